"""What a member's calendar lists, and the pool's calendar of open slots: entries gathered
from several *sources*, for the doors to write as iCalendar (``web/ical.py``).

A source is a function ``(uow, scope) -> entries``: given an open unit of work and one pool
seen by one member (:class:`CalendarScope`), it yields :class:`CalendarEntry` values. A
member's calendar asks each of :data:`MEMBER_SOURCES` once per pool they are an active
member of; a pool's calendar of open slots asks each of :data:`POOL_SOURCES` for that pool
(``scope.member`` None). Today's sources are the period's days, its deadline for offers
and wishes, the member's pick-up and the shifts they are placed on; a pool's calendar lists
its open slots. Each entry's ``uid`` is
stable, so a calendar app updates an event rather than adding it twice, and an entry that
is gone from a source disappears from the calendar at the app's next fetch.

Entries speak in :class:`~peerconomy.services.notices.Text` (messages marked with
:func:`~peerconomy.services.notices.N_`), put in the reader's language by the door, and in
moments with a zone: the door shows each in its pool's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from peerconomy.domain.account import User
from peerconomy.domain.distribution import distribution
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Member, Period, Pool
from peerconomy.services import lookup, shift_exchange
from peerconomy.services.errors import NotFoundError
from peerconomy.services.labels import labels
from peerconomy.services.notices import N_, Text, text
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.shifts import my_shifts

__all__ = [
    "MEMBER_SOURCES",
    "PERIODS_SHOWN",
    "POOL_SOURCES",
    "Calendar",
    "CalendarEntry",
    "CalendarScope",
    "Source",
    "deadlines",
    "member_calendar",
    "member_of",
    "open_slots",
    "period_days",
    "pickups",
    "placed_shifts",
    "pool_calendar",
]

PERIODS_SHOWN: Final = 6
"""How many of a pool's latest periods a calendar shows (the current one and those before
it): enough for the weeks around today, without a year of history on every fetch."""


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One event of a calendar.

    ``starts`` is a day (an all-day event, lasting to ``ends``, the last day included) or a
    moment with a zone (lasting to ``ends``, or a moment without length where ``ends`` is
    None); the door writes moments in ``time_zone``, the pool's.
    """

    uid: str
    """Stable and unique on the site (the door adds the site's host): ``pool/what/which``."""
    summary: Text
    starts: date | datetime
    ends: date | datetime | None = None
    time_zone: str = "UTC"
    location: str = ""
    """Where: a place's name and address, as people read them (not translated)."""
    description: tuple[Text, ...] = ()
    """Lines of the event's notes."""
    cancelled: bool = False
    """Called off (the event stays, marked cancelled, so the calendar app shows that)."""
    busy: bool = True
    """Whether it takes the member's time (False: a day marked, not blocked)."""


@dataclass(frozen=True, slots=True)
class CalendarScope:
    """One pool as a calendar shows it: to one of its members, or (``member`` None) to all
    of them, as its calendar of open slots."""

    pool: Pool
    member: Member | None
    periods: tuple[Period, ...]
    """The dated ones of the pool's latest :data:`PERIODS_SHOWN` periods, oldest first."""
    now: datetime | None = None
    """The time of the fetch (None: the clock's), for what lies ahead (open slots)."""

    @property
    def time_zone(self) -> str:
        """The pool's time zone, in which its entries are shown."""
        return self.pool.settings.schedule.time_zone


Source = Callable[[UnitOfWork, CalendarScope], Iterable[CalendarEntry]]
"""Yields the entries of one pool for one calendar; called inside an open unit of work."""


@dataclass(frozen=True, slots=True)
class Calendar:
    """A calendar to write: its name, its entries, and the language of its reader."""

    uid: str
    """Stable: ``member/<user>`` or ``pool/<pool>`` (the door adds the site's host)."""
    name: Text
    entries: tuple[CalendarEntry, ...]
    locale: str | None = None


def period_days(uow: UnitOfWork, scope: CalendarScope) -> Iterator[CalendarEntry]:
    """Each period's days, from its first to its last, marked but not blocked."""
    del uow
    for period in scope.periods:
        if period.starts_on is None or period.ends_on is None:
            continue
        yield CalendarEntry(
            f"{scope.pool.name}/period-{period.number}",
            text(N_("%(pool)s: period %(number)s"), pool=scope.pool.shown_name,
                 number=period.number),
            period.starts_on, period.ends_on, scope.time_zone, busy=False)


def deadlines(uow: UnitOfWork, scope: CalendarScope) -> Iterator[CalendarEntry]:
    """When each period's offers and wishes close: a moment, in the pool's time zone."""
    del uow
    clears = scope.pool.settings.schedule.auto_clear
    for period in scope.periods:
        if period.collect_until is None:
            continue
        notes = [text(N_("Until then offers and wishes for period %(number)s can be made and"
                         " changed."), number=period.number)]
        if clears:
            notes.append(text(N_("The period clears itself then.")))
        yield CalendarEntry(
            f"{scope.pool.name}/period-{period.number}/offers-close",
            text(N_("%(pool)s: offers close (period %(number)s)"),
                 pool=scope.pool.shown_name,
                 number=period.number),
            period.collect_until, None, scope.time_zone, description=tuple(notes))


def pickups(uow: UnitOfWork, scope: CalendarScope) -> Iterator[CalendarEntry]:
    """The member's pick-up in each period whose plan gives them goods: all day, from the
    day after offers close (the plan is cleared by then) to the period's last day, at the
    pick-up point they chose, with its opening times (free text) and what they take home in
    the notes."""
    member = scope.member
    if member is None:
        return
    pool, shown = scope.pool.name, scope.pool.shown_name
    points = uow.pools.pickup_points(pool)
    goods = uow.pools.goods(pool)
    for period in scope.periods:
        plan = uow.periods.plan(pool, period.number)
        if plan is None or period.ends_on is None:
            continue
        own = tuple(a for a in plan.data.allocations if a.participant == member.id)
        if not own:
            continue
        point, parcel = distribution(ClearedPlan(allocations=own), [member], points,
                                     goods).of(member.id)
        if parcel is None or not parcel.goods:
            continue
        first = period.ends_on
        if period.collect_until is not None:
            closing = period.collect_until.astimezone(ZoneInfo(scope.time_zone)).date()
            first = min(closing + timedelta(days=1), period.ends_on)
        notes: list[Text] = []
        if point is None:
            summary = text(N_("%(pool)s: pick-up (choose a pick-up point)"), pool=shown)
        else:
            summary = text(N_("%(pool)s: pick-up at %(point)s"), pool=shown, point=point.name)
            if point.opening_times:
                notes.append(text(N_("Opening times: %(times)s"), times=point.opening_times))
        notes.extend(text(N_("%(good)s: %(units)s"), good=good, units=units)
                     for good, units in parcel.goods)
        yield CalendarEntry(
            f"{pool}/period-{period.number}/pickup/{member.id}", summary, first,
            period.ends_on, scope.time_zone,
            location=", ".join(part for part in (point.name, point.address) if part)
            if point is not None else "",
            description=tuple(notes), busy=False)


def placed_shifts(uow: UnitOfWork, scope: CalendarScope) -> Iterator[CalendarEntry]:
    """The shifts the member is placed on (the current period's and the one before's): the
    task as people read it, from its start to its end in the pool's time zone, at its place,
    with its note. A shift handed back or cancelled is no placement, so it disappears."""
    member = scope.member
    if member is None:
        return
    pool = scope.pool.name
    names = labels(uow, pool)
    where = ZoneInfo(scope.time_zone)
    for mine in my_shifts(uow, pool, member.id).shifts:
        shift = mine.shift
        begins, ends = shift.span(where)
        yield CalendarEntry(
            f"{pool}/shift/{shift.id}/{member.id}",
            text(N_("%(pool)s: shift, %(task)s"), pool=names.pool,
                 task=names.task(shift.task)),
            begins, ends, scope.time_zone, location=shift.place,
            description=(text(N_("Note: %(note)s"), note=shift.note),) if shift.note else ())


def open_slots(uow: UnitOfWork, scope: CalendarScope) -> Iterator[CalendarEntry]:
    """The pool's open slots ahead (the hint board's: free places on shifts of a cleared,
    dated period that have not begun), each with how many places are free."""
    pool = scope.pool.name
    names = labels(uow, pool)
    where = ZoneInfo(scope.time_zone)
    for slot in shift_exchange.open_slots(uow, pool, now=scope.now):
        shift = slot.shift
        begins, ends = shift.span(where)
        yield CalendarEntry(
            f"{pool}/shift/{shift.id}/open",
            text(N_("%(pool)s: %(task)s, %(free)s of %(slots)s places free"), pool=names.pool,
                 task=names.task(shift.task), free=slot.free, slots=shift.slots),
            begins, ends, scope.time_zone, location=shift.place,
            description=(text(N_("Note: %(note)s"), note=shift.note),) if shift.note else ())


MEMBER_SOURCES: Final[tuple[Source, ...]] = (period_days, deadlines, pickups, placed_shifts)
"""What a member's calendar lists, pool by pool."""
POOL_SOURCES: Final[tuple[Source, ...]] = (period_days, deadlines, open_slots)
"""What a pool's calendar of open slots lists."""


def _periods(uow: UnitOfWork, pool: str) -> tuple[Period, ...]:
    latest = lookup.current_period(uow, pool).number
    found = (uow.periods.get(pool, n)
             for n in range(max(1, latest - PERIODS_SHOWN + 1), latest + 1))
    return tuple(p for p in found if p is not None and p.starts_on is not None)


def _entries(uow: UnitOfWork, scope: CalendarScope, sources: Iterable[Source]
             ) -> list[CalendarEntry]:
    return [entry for source in sources for entry in source(uow, scope)]


def member_calendar(uow: UnitOfWork, user: User, *,
                    sources: Iterable[Source] = MEMBER_SOURCES,
                    now: datetime | None = None) -> Calendar:
    """``user``'s calendar: the entries of every pool they are an active member of (a pool
    they have left shows nothing of itself any more)."""
    entries: list[CalendarEntry] = []
    with uow:
        for name, member in uow.accounts.memberships(user.name).items():
            if not member.active:
                continue
            pool = lookup.pool(uow, name)
            scope = CalendarScope(pool, member, _periods(uow, name), now)
            entries.extend(_entries(uow, scope, tuple(sources)))
    return Calendar(f"member/{user.name}",
                    text(N_("peerconomy: %(name)s"), name=user.display_name or user.name),
                    tuple(entries), user.locale)


def member_of(uow: UnitOfWork, user: User, pool: str) -> tuple[Pool, Member]:
    """The pool and ``user``'s active membership in it; :class:`NotFoundError` naming the
    pool where they have none (a pool they are not in is not revealed)."""
    with uow:
        member = uow.accounts.memberships(user.name).get(pool)
        found = uow.pools.get(pool)
    if member is None or not member.active or found is None:
        raise NotFoundError("pool", pool)
    return found, member


def pool_calendar(uow: UnitOfWork, user: User, pool: str, *,
                  sources: Iterable[Source] = POOL_SOURCES,
                  now: datetime | None = None) -> Calendar:
    """The calendar of ``pool``'s open slots, for ``user``, one of its active members
    (else :class:`NotFoundError`)."""
    with uow:
        found, _member = member_of(uow, user, pool)
        scope = CalendarScope(found, None, _periods(uow, pool), now)
        entries = _entries(uow, scope, tuple(sources))
    return Calendar(f"pool/{pool}", text(N_("%(pool)s: open slots"), pool=found.shown_name),
                    tuple(entries), user.locale)
