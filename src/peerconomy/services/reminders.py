"""Reminders by mail: the scheduler's jobs that tell members what time has made due.

Two reminders go out today, each a job of :data:`peerconomy.services.scheduler.JOBS`:

- :func:`offers_closing`: a dated period's offers close within 48 hours, to each member who
  has offered no hours in it (whether or not they wished: the clearing needs their hours;
  members exempt from work are left out). Once per member and period.
- :func:`logs_waiting`: work logs that have waited more than a day unconfirmed, to each
  member who may confirm them (those *My period* lists them to, who may confirm them:
  :func:`~peerconomy.domain.work.awaits` and :func:`~peerconomy.domain.work.may_confirm`),
  with how many and a link to *My period*'s confirm section. At most once a day per member.

Each goes, as every pool notice does, only to members whose account's email is verified and
who have not turned that kind off for the pool (on their account page, by the API's
``PUT /api/v1/pools/{pool}/me/notices``, or by the unsubscribe link at the foot of the
reminder itself), in their own language, with the pool's dates in its time zone.

**Once, whoever runs it.** :func:`send` claims a pool's reminders in one transaction under
the pool's row lock: for each, it keeps a :class:`~peerconomy.domain.reminders.SentReminder`
(kind, pool, member, subject: the store keeps that key unique) and queues the notice in the
outbox in the same transaction. Of two schedulers at once (the server's worker and a timer's
``peerconomy tick``), the second waits for the lock, then finds each key taken and sends
nothing; and were the lock not there, its claims would conflict on the key and be skipped.

**Adding a reminder** (how the shifts' two plug in: a shift tomorrow, work left unlogged
after a shift). A reminder is one kind and one job:

1. its kind in :data:`~peerconomy.domain.mail.NoticeKind`, ``NOTICE_KINDS`` and
   ``REMINDER_KINDS`` (``shift_tomorrow``, ``shift_unlogged``), with its name on the account
   page (``web/routes_accounts.notice_kind_names``) and in the German catalog: the opt-out
   (the account page, the API, the unsubscribe link) then works as for every kind;
2. a job here, ``(new_uow, now) -> count``: it finds the pools where something is due (for
   the shifts: the placements on shifts that start within the next day in the pool's time
   zone; the placements on shifts that ended and whose hours nobody logged) and calls
   :func:`send` for each with a ``compose`` that returns one :class:`Due` per member to
   remind, whose ``subject`` is the shift's id (``shift:17``): the record then makes the
   reminder go out once per member and shift, however often the job runs;
3. its line in :data:`~peerconomy.services.scheduler.JOBS`, and a test with a moved clock.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from peerconomy.domain.mail import NoticeKind
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period
from peerconomy.domain.refusal import Refusal
from peerconomy.domain.reminders import (
    LOGS_WAIT,
    OFFERS_CLOSING_NOTICE,
    SentReminder,
    day_of,
    offers_closing_due,
    quiet_since,
)
from peerconomy.domain.work import awaits, may_confirm
from peerconomy.services import lookup, outbox
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

__all__ = ["Due", "logs_waiting", "offers_closing", "send"]

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
    notice = _offers_closing_notice(period, lookup.pool(uow, pool).settings.schedule.time_zone)
    return [Due(member, subject, Notice(email, notice[0], notice[1], locale,
                                        (account, pool, "offers_closing")))
            for member, (email, locale, account) in to.items()]


def _offers_closing_notice(period: Period, zone: str) -> tuple[Text, tuple[Line, ...]]:
    assert period.collect_until is not None
    at = Moment(period.collect_until, zone)
    subject = text(N_("[%(pool)s] Offers close %(at)s"), pool=period.pool, at=at)
    body: tuple[Line, ...] = (
        (text(N_("Offers and wishes for period %(number)s of pool %(pool)s close %(at)s"
                 " (%(zone)s), and you have offered no hours yet."),
              number=period.number, pool=period.pool, at=at, zone=zone),),
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
    subject = text(N_("[%(pool)s] Work awaits your confirmation"), pool=pool)
    reminders = []
    for member, (email, locale, account) in to.items():
        body: tuple[Line, ...] = (
            (text(N_("Work logs in pool %(pool)s that you may confirm have waited more than"
                     " a day: %(count)s."), pool=pool, count=len(mine[member])),),
            *(("  - ", text(N_("%(participant)s: %(hours)s h of %(task)s, logged %(at)s"),
                            participant=w.participant, hours=float(w.hours), task=w.task,
                            at=Moment(w.logged_at, zone)))
              for w in mine[member]),
            (),
            (text(N_("Confirm what you saw done: %(link)s"),
                  link=pool_link(pool, "#confirm")),),
        )
        reminders.append(Due(member, day, Notice(email, subject, body, locale,
                                                 (account, pool, "logs_waiting"))))
    return reminders
