"""Reminders by mail: the scheduler's jobs that tell members what time has made due.

Four reminders go out, each a job of :data:`peerconomy.services.scheduler.JOBS`:

- :func:`offers_closing`: a dated period's offers close within 48 hours, to each member who
  has offered no hours in it (whether or not they wished: the clearing needs their hours;
  members exempt from work are left out). Once per member and period.
- :func:`logs_waiting`: work logs that have waited more than a day unconfirmed, to each
  member who may confirm them (those *My period* lists them to, who may confirm them:
  :func:`~peerconomy.domain.work.awaits` and :func:`~peerconomy.domain.work.may_confirm`),
  with how many and a link to *My period*'s confirm section. At most once a day per member.
- :func:`shift_tomorrow`: a shift a member is placed on begins within a day (a cancelled
  shift has nobody placed on it, and is never due), with its task as people read it, its day
  and times in the pool's time zone, its place and note, and a link to *My period*'s shifts
  (to hand it back or swap it). Once per member and shift.
- :func:`shift_unlogged`: a shift a member was placed on in the current, cleared period
  ended at least half a day ago (and at most a week ago: older shifts are left alone) and
  no log of theirs holds its work (:func:`~peerconomy.domain.reminders.shift_logged`),
  with a link to its "log it" form on *My period*. Once per member and shift.

Each goes, as every pool notice does, only to members whose account's email is verified and
who have not turned that kind off for the pool (on their account page, by the API's
``PUT /api/v1/pools/{pool}/me/notices``, or by the unsubscribe link at the foot of the
reminder itself), in their own language, with the pool's name people read and its dates in
its time zone.

**Once, whoever runs it.** :func:`send` claims a pool's reminders in one transaction under
the pool's row lock: for each, it keeps a :class:`~peerconomy.domain.reminders.SentReminder`
(kind, pool, member, subject: the store keeps that key unique) and queues the notice in the
outbox in the same transaction. Of two schedulers at once (the server's worker and a timer's
``peerconomy tick``), the second waits for the lock, then finds each key taken and sends
nothing; and were the lock not there, its claims would conflict on the key and be skipped.

**Adding a reminder** (as the shifts' two plugged in: a shift tomorrow, work left unlogged
after a shift). A reminder is one kind and one job:

1. its kind in :data:`~peerconomy.domain.mail.NoticeKind`, ``NOTICE_KINDS`` and
   ``REMINDER_KINDS`` (as ``shift_tomorrow``, ``shift_unlogged``), with its name on the account
   page (``web/routes_accounts.notice_kind_names``) and in the German catalog: the opt-out
   (the account page, the API, the unsubscribe link) then works as for every kind;
2. a job here, ``(new_uow, now) -> count``: it finds the pools where something is due (for
   the shifts: the placements on shifts that start within the next day in the pool's time
   zone; the placements on shifts that ended and whose member has not logged them) and calls
   :func:`send` for each with a ``compose`` that returns one :class:`Due` per member to
   remind, whose ``subject`` is the shift's id (``shift:17``): the record then makes the
   reminder go out once per member and shift, however often the job runs;
3. its line in :data:`~peerconomy.services.scheduler.JOBS`, and a test with a moved clock.

Its rule of when it is due is pure, in :mod:`peerconomy.domain.reminders`, and its
``compose`` leaves out the members already reminded (``sent_reminders``), so that a tick
with nothing new to send does not take the pool's lock.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peerconomy.domain.mail import NoticeKind
from peerconomy.domain.names import Labels
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period
from peerconomy.domain.refusal import Refusal
from peerconomy.domain.reminders import (
    LOGS_WAIT,
    OFFERS_CLOSING_NOTICE,
    SHIFT_TOMORROW_NOTICE,
    SHIFT_UNLOGGED_UNTIL,
    SHIFT_UNLOGGED_WAIT,
    SentReminder,
    day_of,
    offers_closing_due,
    quiet_since,
    shift_logged,
    shift_subject,
    shift_tomorrow_due,
    shift_unlogged_due,
)
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import Shift
from peerconomy.domain.work import awaits, may_confirm
from peerconomy.services import lookup, outbox
from peerconomy.services.labels import labels
from peerconomy.services.notices import (
    N_,
    Line,
    Moment,
    Notice,
    Text,
    addressees,
    pool_link,
    text,
)
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.shifts import placed_periods

__all__ = ["Due", "logs_waiting", "offers_closing", "send", "shift_tomorrow",
           "shift_unlogged"]

log = logging.getLogger(__name__)

UnitsOfWork = Callable[[], UnitOfWork]


@dataclass(frozen=True, slots=True)
class Due:
    """One reminder due to one member: about ``subject`` (a period's number, a day, a
    shift's id: with the kind, pool and member, the key that makes it go out once), and the
    notice to mail them."""

    member: str
    subject: str
    notice: Notice


Compose = Callable[[UnitOfWork], list[Due]]
"""Inside a transaction, the reminders of one kind due in one pool now."""


def send(new_uow: UnitsOfWork, pool: str, kind: NoticeKind, now: datetime,
         compose: Compose, *, once_a_day: bool = False) -> int:
    """Mail the reminders of ``kind`` that ``compose`` finds due in ``pool`` at ``now``,
    each once: claimed and queued in one transaction under the pool's lock (those already
    claimed are skipped; with ``once_a_day``, so are members who got one of this kind in the
    last day); how many were queued. ``compose`` is asked first without the lock, and again
    under it only where it found something due."""
    with new_uow() as uow:
        if not compose(uow):
            return 0
    with new_uow() as uow:
        lookup.pool(uow, pool, lock=True)
        quiet = ({sent.member for sent in uow.mail.sent_reminders(pool, kind, quiet_since(now))}
                 if once_a_day else set())
        queued = 0
        for due in compose(uow):
            if due.member in quiet or not uow.mail.claim_reminder(
                    SentReminder(kind, pool, due.member, due.subject, now)):
                continue
            outbox.queue(uow, [due.notice], now=now)
            queued += 1
        uow.commit()
    return queued


def _each_pool(pools: list[str], what: str, remind: Callable[[str], int]) -> int:
    """``remind`` each of ``pools``, adding up what it queued; a pool whose reminders are
    refused (it is gone, say) is logged and the others still get theirs."""
    queued = 0
    for pool in pools:
        try:
            queued += remind(pool)
        except Refusal as refused:
            log.warning("could not send the reminders %s of pool %r: %s", what, pool, refused)
    return queued


def offers_closing(new_uow: UnitsOfWork, now: datetime) -> int:
    """Remind every member who has offered nothing in a period whose offers close within
    48 hours (:func:`~peerconomy.domain.reminders.offers_closing_due`); how many were
    mailed."""
    with new_uow() as uow:  # the periods whose offers will have closed 48 hours from now
        soon = [p for p in uow.periods.closed_for_offers(now + OFFERS_CLOSING_NOTICE)
                if offers_closing_due(p, now)]
    by_pool = {p.pool: p for p in soon}
    return _each_pool(sorted(by_pool), "that offers close", lambda pool: send(
        new_uow, pool, "offers_closing", now,
        lambda uow: _offers_closing(uow, by_pool[pool].number, pool, now)))


def _offers_closing(uow: UnitOfWork, number: int, pool: str, now: datetime) -> list[Due]:
    period = lookup.current_period(uow, pool)
    if period.number != number or not offers_closing_due(period, now):
        return []
    assert period.collect_until is not None  # offers_closing_due holds it dated
    subject = str(number)
    sent = {r.member for r in uow.mail.sent_reminders(
        pool, "offers_closing", period.collect_until - OFFERS_CLOSING_NOTICE)
        if r.subject == subject}
    offered = {o.participant for o in uow.periods.offers(pool, number) if o.hours > 0}
    # a member no account claims has no address: once the others are reminded, the tick
    # reads no account (this job runs every few seconds for two days)
    idle = {m.id for m in uow.pools.members(pool) if m.active and not m.exempt
            and m.account is not None and m.id not in offered and m.id not in sent}
    if not idle:
        return []
    to = addressees(uow, pool, "offers_closing", idle)
    found = lookup.pool(uow, pool)
    notice = _offers_closing_notice(period, found.shown_name, found.settings.schedule.time_zone)
    return [Due(member, subject, Notice(email, notice[0], notice[1], locale,
                                        (account, pool, "offers_closing")))
            for member, (email, locale, account) in to.items()]


def _offers_closing_notice(period: Period, shown: str, zone: str
                           ) -> tuple[Text, tuple[Line, ...]]:
    """The reminder that ``period``'s offers close, of the pool people read as ``shown``, in
    time zone ``zone``."""
    assert period.collect_until is not None
    at = Moment(period.collect_until, zone)
    subject = text(N_("[%(pool)s] Offers close %(at)s"), pool=shown, at=at)
    body: tuple[Line, ...] = (
        (text(N_("Offers and wishes for period %(number)s of pool %(pool)s close %(at)s"
                 " (%(zone)s), and you have offered no hours yet."),
              number=period.number, pool=shown, at=at, zone=zone),),
        (),
        (text(N_("Offer the hours you can give: %(link)s"),
              link=pool_link(period.pool, "/tasks")),),
        (text(N_("Wish for what you need: %(link)s"), link=pool_link(period.pool, "/goods")),),
    )
    return subject, body


def logs_waiting(new_uow: UnitsOfWork, now: datetime) -> int:
    """Remind every member who may confirm work logs that have waited more than a day
    (:data:`~peerconomy.domain.reminders.LOGS_WAIT`), at most once a day; how many were
    mailed."""
    with new_uow() as uow:
        pools = sorted({w.pool for w in uow.periods.work_awaiting(now - LOGS_WAIT)})
    return _each_pool(pools, "of work to confirm", lambda pool: send(
        new_uow, pool, "logs_waiting", now, lambda uow: _logs_waiting(uow, pool, now),
        once_a_day=True))


def _logs_waiting(uow: UnitOfWork, pool: str, now: datetime) -> list[Due]:
    period = lookup.current_period(uow, pool)
    if period.state is not PeriodState.CLEARED:
        return []
    waiting = [w for w in uow.periods.work_logs(pool, period.number)
               if w.status == "pending" and w.logged_at <= now - LOGS_WAIT]
    if not waiting:
        return []
    tasks: dict[str, set[str]] = defaultdict(set)
    for a in uow.periods.assignments(pool, period.number):
        tasks[a.participant].add(a.task)
    mine = {m.id: [w for w in waiting if awaits(w, m, tasks[m.id]) and may_confirm(w, m)]
            for m in uow.pools.members(pool) if m.active}
    quiet = {r.member for r in uow.mail.sent_reminders(pool, "logs_waiting", quiet_since(now))}
    due = {who for who, logs in mine.items() if logs and who not in quiet}
    if not due:  # all reminded today: no account read (this job runs every few seconds)
        return []
    to = addressees(uow, pool, "logs_waiting", due)
    zone = lookup.pool(uow, pool).settings.schedule.time_zone
    day = day_of(now, zone)
    names = labels(uow, pool)
    subject = text(N_("[%(pool)s] Work awaits your confirmation"), pool=names.pool)
    reminders = []
    for member, (email, locale, account) in to.items():
        body: tuple[Line, ...] = (
            (text(N_("Work logs in pool %(pool)s that you may confirm have waited more than"
                     " a day: %(count)s."), pool=names.pool, count=len(mine[member])),),
            *(("  - ", text(N_("%(participant)s: %(hours)s h of %(task)s, logged %(at)s"),
                            participant=names.member(w.participant), hours=float(w.hours),
                            task=names.task(w.task), at=Moment(w.logged_at, zone)))
              for w in mine[member]),
            (),
            (text(N_("Confirm what you saw done: %(link)s"),
                  link=pool_link(pool, "#confirm")),),
        )
        reminders.append(Due(member, day, Notice(email, subject, body, locale,
                                                 (account, pool, "logs_waiting"))))
    return reminders


def _days(since: datetime, until: datetime) -> tuple[date, date]:
    """The days, in any pool's time zone, that a shift whose start or end falls from
    ``since`` to ``until`` may begin on: from two days before ``since``'s day in UTC (a
    pool's day may be one behind UTC's, and a night shift begins the day before it ends)
    to the day after ``until``'s (a pool's day may be one ahead)."""
    return (since.date() - timedelta(days=2), until.date() + timedelta(days=1))


def shift_tomorrow(new_uow: UnitsOfWork, now: datetime) -> int:
    """Remind every member placed on a shift that begins within a day
    (:func:`~peerconomy.domain.reminders.shift_tomorrow_due`), once per member and shift;
    how many were mailed."""
    with new_uow() as uow:
        pools = uow.shifts.placed_pools(*_days(now, now + SHIFT_TOMORROW_NOTICE))
    return _each_pool(pools, "of shifts tomorrow", lambda pool: send(
        new_uow, pool, "shift_tomorrow", now, lambda uow: _shift_tomorrow(uow, pool, now)))


def _shift_tomorrow(uow: UnitOfWork, pool: str, now: datetime) -> list[Due]:
    found = lookup.pool(uow, pool)
    where = zone(found.settings.schedule.time_zone)
    shifts = {s.id: s for s in uow.shifts.of_pool(pool)}
    sent = _sent(uow, pool, "shift_tomorrow", now - SHIFT_TOMORROW_NOTICE)
    due: dict[str, list[Shift]] = defaultdict(list)
    for period in placed_periods(uow, pool):
        for id, who in uow.shifts.placements(pool, period.number):
            shift = shifts.get(id)
            if (shift is not None and shift_tomorrow_due(shift, where, now)
                    and (who, shift_subject(shift)) not in sent):
                due[who].append(shift)
    return _dues(uow, pool, "shift_tomorrow", due, _shift_tomorrow_notice,
                 found.settings.schedule.time_zone)


def shift_unlogged(new_uow: UnitsOfWork, now: datetime) -> int:
    """Remind every member placed on a shift of the current, cleared period that ended
    (:func:`~peerconomy.domain.reminders.shift_unlogged_due`) and whose work they have not
    logged (:func:`~peerconomy.domain.reminders.shift_logged`), once per member and shift;
    how many were mailed."""
    with new_uow() as uow:
        pools = uow.shifts.placed_pools(*_days(now - SHIFT_UNLOGGED_UNTIL,
                                               now - SHIFT_UNLOGGED_WAIT))
    return _each_pool(pools, "of shifts to log", lambda pool: send(
        new_uow, pool, "shift_unlogged", now, lambda uow: _shift_unlogged(uow, pool, now)))


def _shift_unlogged(uow: UnitOfWork, pool: str, now: datetime) -> list[Due]:
    found = lookup.pool(uow, pool)
    period = lookup.current_period(uow, pool)
    if period.state is not PeriodState.CLEARED:  # where My period offers to log a shift
        return []
    where = zone(found.settings.schedule.time_zone)
    shifts = {s.id: s for s in uow.shifts.of_pool(pool)}
    sent = _sent(uow, pool, "shift_unlogged", now - SHIFT_UNLOGGED_UNTIL)
    logs = uow.periods.work_logs(pool, period.number)
    due: dict[str, list[Shift]] = defaultdict(list)
    for id, who in uow.shifts.placements(pool, period.number):
        shift = shifts.get(id)
        if (shift is not None and shift_unlogged_due(shift, where, now)
                and (who, shift_subject(shift)) not in sent
                and not shift_logged(shift, who, logs)):
            due[who].append(shift)
    return _dues(uow, pool, "shift_unlogged", due, _shift_unlogged_notice,
                 found.settings.schedule.time_zone)


def _sent(uow: UnitOfWork, pool: str, kind: NoticeKind, since: datetime
          ) -> set[tuple[str, str]]:
    """The (member, subject) of the pool's reminders of ``kind`` sent since ``since``."""
    return {(r.member, r.subject) for r in uow.mail.sent_reminders(pool, kind, since)}


ShiftNotice = Callable[[str, Labels, Shift, str], tuple[Text, tuple[Line, ...]]]
"""Composes a shift's reminder: of the pool (its id), as people read its names, of a shift,
in the pool's time zone."""


def _dues(uow: UnitOfWork, pool: str, kind: NoticeKind, due: dict[str, list[Shift]],
          compose: ShiftNotice, time_zone: str) -> list[Due]:
    """A reminder of ``kind`` for each member of ``due`` who may get one, of each of their
    shifts, by day and time (the pool's in ``time_zone``)."""
    if not due:
        return []
    to = addressees(uow, pool, kind, set(due))
    if not to:
        return []
    names = labels(uow, pool)
    reminders = []
    for member, (email, locale, account) in sorted(to.items()):
        for shift in sorted(due[member], key=lambda s: (s.day, s.start, s.id)):
            subject, body = compose(pool, names, shift, time_zone)
            reminders.append(Due(member, shift_subject(shift), Notice(
                email, subject, body, locale, (account, pool, kind))))
    return reminders


def _shift_lines(names: Labels, shift: Shift, time_zone: str) -> tuple[Line, ...]:
    """A shift as its reminders show it: the task as people read it, its day and times in
    the pool's time zone, its place and its note (the last two where it has them)."""
    begins = shift.span(zone(time_zone))[0]
    lines: list[Line] = [
        ("  ", text(N_("Task: %(task)s"), task=names.task(shift.task))),
        ("  ", text(N_("When: %(at)s to %(end)s (%(zone)s)"), at=Moment(begins, time_zone),
                    end=shift.end.isoformat("minutes"), zone=time_zone)),
    ]
    if shift.place:
        lines.append(("  ", text(N_("Place: %(place)s"), place=shift.place)))
    if shift.note:
        lines.append(("  ", text(N_("Note: %(note)s"), note=shift.note)))
    return tuple(lines)


def _shift_tomorrow_notice(pool: str, names: Labels, shift: Shift, time_zone: str
                           ) -> tuple[Text, tuple[Line, ...]]:
    """The reminder of a shift that begins within a day."""
    begins = shift.span(zone(time_zone))[0]
    subject = text(N_("[%(pool)s] Your shift: %(task)s, %(at)s"), pool=names.pool,
                   task=names.task(shift.task), at=Moment(begins, time_zone))
    body: tuple[Line, ...] = (
        (text(N_("You are placed on a shift in pool %(pool)s:"), pool=names.pool),),
        *_shift_lines(names, shift, time_zone),
        (),
        (text(N_("Cannot come? Hand the shift back or swap it on My period: %(link)s"),
              link=pool_link(pool, "#shifts")),),
    )
    return subject, body


def _shift_unlogged_notice(pool: str, names: Labels, shift: Shift, time_zone: str
                           ) -> tuple[Text, tuple[Line, ...]]:
    """The reminder to log a shift that ended."""
    begins = shift.span(zone(time_zone))[0]
    subject = text(N_("[%(pool)s] Log your shift: %(task)s, %(at)s"), pool=names.pool,
                   task=names.task(shift.task), at=Moment(begins, time_zone))
    body: tuple[Line, ...] = (
        (text(N_("Your shift in pool %(pool)s has ended, and you have not logged its work"
                 " yet:"), pool=names.pool),),
        *_shift_lines(names, shift, time_zone),
        (),
        (text(N_("Log it in one step on My period: %(link)s"),
              link=pool_link(pool, f"#to-log-{shift.id}")),),
    )
    return subject, body
