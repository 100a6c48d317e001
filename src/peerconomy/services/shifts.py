"""Shifts: a coordinator adds them (one at a time, or from a rule) and cancels them; an offer
names the ones its participant can do; clearing a dated period places each participant's
assigned hours on them (:mod:`peerconomy.mechanisms.placement`), in the clearing's own
transaction, and reopening withdraws the placements with the plan.

Cancelling a shift people were placed on removes their placement and records
:class:`~peerconomy.domain.events.ShiftCancelled`, whose handler tells them through the outbox.
The views list each task's shifts with their free places and a member's own shifts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from peerconomy.domain.events import ShiftCancelled, SlotOpened
from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Period
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import Shift, ShiftRule, check_shift, in_period
from peerconomy.mechanisms.placement import HoursPlaced, Need, ShiftSlot, place
from peerconomy.services import lookup, messagebus
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, InputError, NotFoundError
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "MyShift",
    "MyShifts",
    "ShiftRow",
    "add_shift",
    "cancel_shift",
    "check_offer_shifts",
    "my_shifts",
    "offer_shifts",
    "period_of",
    "place_plan",
    "placed_periods",
    "recent_periods",
    "repeat_shifts",
    "task_shifts",
    "withdraw_placements",
]

_PLACED = (PeriodState.CLEARED, PeriodState.SETTLED, PeriodState.CLOSED)
"""The states of a period whose plan has placed its work on shifts."""


def _task_of(uow: UnitOfWork, pool: str, task: str) -> None:
    """Refuse a task the pool's active projects do not have."""
    found = lookup.task(uow, pool, task)
    if not any(p.id == found.project and p.active for p in uow.pools.projects(pool)):
        raise NotFoundError("task", task, pool)


def add_shift(uow: UnitOfWork, pool: str, shift: Shift, *, actor: str | None = None,
              now: datetime | None = None) -> Shift:
    """Add a one-off shift to a task of the pool; return it numbered. Where it falls in a
    cleared period and is still ahead, its places are open slots: the project's followers
    are told (:class:`~peerconomy.domain.events.SlotOpened`)."""
    checked = check_shift(shift)
    with uow:
        found = lookup.pool(uow, pool, lock=True)
        _task_of(uow, pool, checked.task)
        (stored,) = uow.shifts.add(pool, [checked])
        record(uow, pool, "shift.add", actor=actor, subject=stored.id, now=now,
               detail={"task": stored.task, "date": stored.day.isoformat()})
        moment = now or datetime.now(UTC)
        if period_of(uow, pool, stored) is not None and stored.span(
                zone(found.settings.schedule.time_zone))[0] > moment:
            messagebus.record(uow, SlotOpened(pool, stored, stored.slots, None, moment))
        messagebus.commit(uow)
    return stored


def repeat_shifts(uow: UnitOfWork, pool: str, rule: ShiftRule, *, actor: str | None = None,
                  now: datetime | None = None) -> list[Shift]:
    """Add the shifts ``rule`` makes (each its own row); return them numbered, by day."""
    made = rule.shifts()
    with uow:
        lookup.pool(uow, pool, lock=True)
        _task_of(uow, pool, rule.task)
        stored = uow.shifts.add(pool, made)
        record(uow, pool, "shift.repeat", actor=actor, subject=rule.task, now=now,
               detail={"first": stored[0].id, "last": stored[-1].id, "count": len(stored)})
        uow.commit()
    return stored


def cancel_shift(uow: UnitOfWork, pool: str, id: int, *, task: str | None = None,
                 actor: str | None = None, now: datetime | None = None) -> Shift:
    """Cancel shift ``id`` (of ``task``, if given): its placements in the current period and
    the one before are removed and the people on it told
    (:class:`~peerconomy.domain.events.ShiftCancelled`). Refused for a shift already
    cancelled."""
    moment = now or datetime.now(UTC)
    with uow:
        lookup.pool(uow, pool, lock=True)
        shift = uow.shifts.get(pool, id)
        if shift is None or task not in (None, shift.task):
            raise NotFoundError("shift", id, pool)
        if shift.cancelled:
            raise ConflictError(f"shift {id} of pool {pool!r} is cancelled already")
        cancelled = replace(shift, cancelled=True)
        uow.shifts.put(pool, cancelled)
        people: set[str] = set()
        for period in recent_periods(uow, pool):
            people |= {who for _, who in
                       uow.shifts.remove_placements(pool, period.number, shift=id)}
        record(uow, pool, "shift.cancel", actor=actor, subject=id, now=moment,
               detail={"people": sorted(people)})
        if people:
            messagebus.record(uow, ShiftCancelled(pool, cancelled, tuple(sorted(people)),
                                                  moment))
        messagebus.commit(uow)
    return cancelled


def recent_periods(uow: UnitOfWork, pool: str) -> list[Period]:
    """The pool's current period and the one before it: the periods whose placements are
    still ahead or being worked (a settled period's shifts are worked while the next one
    collects)."""
    latest = lookup.current_period(uow, pool)
    before = uow.periods.get(pool, latest.number - 1) if latest.number > 1 else None
    return [p for p in (before, latest) if p is not None]


def placed_periods(uow: UnitOfWork, pool: str) -> list[Period]:
    """Of :func:`recent_periods`, those whose plan placed work on shifts (cleared, dated)."""
    return [p for p in recent_periods(uow, pool)
            if p.state in _PLACED and p.starts_on is not None and p.ends_on is not None]


def period_of(uow: UnitOfWork, pool: str, shift: Shift) -> Period | None:
    """Inside a transaction: the period of :func:`placed_periods` that ``shift`` falls in
    (None: none; its places are given out when its period is cleared)."""
    for p in placed_periods(uow, pool):
        assert p.starts_on is not None and p.ends_on is not None
        if p.starts_on <= shift.day <= p.ends_on:
            return p
    return None


def check_offer_shifts(uow: UnitOfWork, pool: str, period: Period, task: str,
                       shifts: Sequence[int]) -> tuple[int, ...]:
    """Inside a transaction: ``shifts``, sorted, where each is a shift of ``task`` that is
    not cancelled and falls in ``period`` (where it is dated); else :class:`InputError`
    naming ``shifts``."""
    if not shifts:
        raise InputError("shifts", "must name at least one shift (leave it out for any)")
    known = {s.id: s for s in uow.shifts.of_pool(pool, task=task)}
    for n, id in enumerate(shifts):
        shift = known.get(id)
        if shift is None or shift.cancelled:
            raise InputError(f"shifts[{n}]", f"must be a shift of task {task!r} that is not"
                                             f" cancelled, got {id!r}"[:200])
        if period.starts_on is not None and period.ends_on is not None and not (
                period.starts_on <= shift.day <= period.ends_on):
            raise InputError(f"shifts[{n}]", f"must fall in period {period.number}"
                                             f" ({period.starts_on} to {period.ends_on}),"
                                             f" got shift {id} on {shift.day}")
    return tuple(sorted(set(shifts)))


def offer_shifts(uow: UnitOfWork, pool: str, participant: str
                 ) -> tuple[dict[str, list[Shift]], dict[str, tuple[int, ...]]]:
    """For the current period's offer form: each task's shifts an offer may name (not
    cancelled, within the period's dates where it is dated), and the shifts
    ``participant``'s offers name now, by task."""
    with uow:
        period = lookup.current_period(uow, pool)
        named = uow.shifts.availability(pool, period.number)
        open_to_offers: dict[str, list[Shift]] = {}
        for s in uow.shifts.of_pool(pool):
            if not s.cancelled and (period.starts_on is None or period.ends_on is None
                                    or period.starts_on <= s.day <= period.ends_on):
                open_to_offers.setdefault(s.task, []).append(s)
    return open_to_offers, {task: ids for (who, task), ids in named.items()
                            if who == participant}


def place_plan(uow: UnitOfWork, period: Period, plan: ClearedPlan) -> int:
    """Inside the clearing's transaction: place the plan's assignments on the shifts of a
    dated ``period`` and store the placements; how many were made (an undated period's
    work is not placed)."""
    if period.starts_on is None or period.ends_on is None:
        return 0
    pool = lookup.pool(uow, period.pool)
    where = zone(pool.settings.schedule.time_zone)
    shifts = in_period(uow.shifts.of_pool(period.pool), period.starts_on, period.ends_on)
    if not shifts:
        return 0
    named = uow.shifts.availability(period.pool, period.number)
    slots = [ShiftSlot(s.id, s.task, *_minutes(s, where), s.slots) for s in shifts]
    needs = [Need(a.participant, a.task, a.hours,
                  frozenset(named[(a.participant, a.task)])
                  if (a.participant, a.task) in named else None)
             for a in plan.assignments if a.hours > 0]
    placed = place(slots, needs).placed
    uow.shifts.add_placements(period.pool, period.number, placed)
    return len(placed)


def _minutes(shift: Shift, where: ZoneInfo) -> tuple[int, int]:
    """When ``shift`` begins and ends, in minutes since the epoch (UTC)."""
    begins, ends = shift.span(where)
    return int(begins.timestamp()) // 60, int(ends.timestamp()) // 60


def withdraw_placements(uow: UnitOfWork, period: Period) -> None:
    """Inside the reopening's transaction: the period's placements go with its plan."""
    uow.shifts.remove_placements(period.pool, period.number)


@dataclass(frozen=True, slots=True)
class ShiftRow:
    """A shift as the pool's lists show it: how many people are placed on it and how many
    places are free."""

    shift: Shift
    taken: int

    @property
    def free(self) -> int:
        """Places nobody is placed on (none for a cancelled shift)."""
        return 0 if self.shift.cancelled else max(self.shift.slots - self.taken, 0)


def task_shifts(uow: UnitOfWork, pool: str) -> dict[str, list[ShiftRow]]:
    """Each task's shifts with their places taken (in the current period and the one
    before), by day and time."""
    with uow:
        lookup.pool(uow, pool)
        shifts = uow.shifts.of_pool(pool)
        taken: dict[int, int] = {}
        for period in recent_periods(uow, pool):
            for id, _ in uow.shifts.placements(pool, period.number):
                taken[id] = taken.get(id, 0) + 1
    found: dict[str, list[ShiftRow]] = {}
    for s in shifts:
        found.setdefault(s.task, []).append(ShiftRow(s, taken.get(s.id, 0)))
    return found


@dataclass(frozen=True, slots=True)
class MyShift:
    """A shift a member is placed on, in period ``period``."""

    period: int
    shift: Shift


@dataclass(frozen=True, slots=True)
class MyShifts:
    """A member's placed shifts (the current period's and the one before's, by day) and, for
    each assignment on a task with shifts, the hours placed and those that fit no shift."""

    shifts: tuple[MyShift, ...]
    hours: tuple[HoursPlaced, ...]


def my_shifts(uow: UnitOfWork, pool: str, participant: str) -> MyShifts:
    """What ``participant`` was placed on (see :class:`MyShifts`)."""
    with uow:
        found = lookup.pool(uow, pool)
        where = zone(found.settings.schedule.time_zone)
        mine: list[MyShift] = []
        hours: list[HoursPlaced] = []
        shifts = {s.id: s for s in uow.shifts.of_pool(pool)}  # read once for both periods
        for period in recent_periods(uow, pool):
            plan = uow.periods.plan(pool, period.number)
            if plan is None or period.starts_on is None or period.ends_on is None:
                continue
            placed = [shifts[id] for id, who in uow.shifts.placements(pool, period.number)
                      if who == participant]
            mine += [MyShift(period.number, s) for s in placed]
            with_shifts = {s.task for s in shifts.values()
                           if period.starts_on <= s.day <= period.ends_on}
            for a in plan.data.assignments:
                if a.participant == participant and a.task in with_shifts:
                    hours.append(HoursPlaced(participant, a.task, a.hours, sum(
                        s.hours(where) for s in placed if s.task == a.task)))
    mine.sort(key=lambda m: (m.shift.day, m.shift.start, m.shift.id))
    return MyShifts(tuple(mine), tuple(hours))
