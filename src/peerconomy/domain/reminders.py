"""Reminders: mail that goes out because time passed, not because someone took a step, and
the record that makes each one go out once.

Four kinds are sent (:data:`~peerconomy.domain.mail.REMINDER_KINDS`):

- ``offers_closing``: a dated period's offers close within :data:`OFFERS_CLOSING_NOTICE`
  (48 hours) and the member has offered nothing in it (:func:`offers_closing_due`). Once
  per member and period: the record's subject is the period's number.
- ``logs_waiting``: work logs the member could confirm have waited more than
  :data:`LOGS_WAIT` (24 hours) unconfirmed. At most once in :data:`LOGS_QUIET` (a day) per
  member: the record's subject is the day in the pool's time zone (:func:`day_of`), and
  none is sent while one of the last day stands (:func:`quiet_since`).
- ``shift_tomorrow``: a shift the member is placed on begins within
  :data:`SHIFT_TOMORROW_NOTICE` (a day; :func:`shift_tomorrow_due`). Once per member and
  shift: the record's subject is the shift's (:func:`shift_subject`, ``shift:17``).
- ``shift_unlogged``: a shift the member was placed on ended at least
  :data:`SHIFT_UNLOGGED_WAIT` (12 hours) ago and at most :data:`SHIFT_UNLOGGED_UNTIL` (7
  days), and no log of theirs holds its work (:func:`shift_unlogged_due`,
  :func:`shift_logged`). Once per member and shift, subject ``shift:17`` too.

A reminder sent is a :class:`SentReminder`: its kind, pool, member and subject are its key,
which the store keeps unique, so two schedulers running at once claim each reminder once
(the loser's claim finds the key taken and sends nothing).

>>> from datetime import UTC, datetime
>>> from peerconomy.domain.period import PeriodState
>>> from peerconomy.domain.pool import Period
>>> friday = datetime(2026, 5, 8, 16, tzinfo=UTC)
>>> period = Period("farm", 1, PeriodState.COLLECTING, collect_until=friday)
>>> [offers_closing_due(period, friday - timedelta(hours=h)) for h in (49, 47, 0)]
[False, True, False]
>>> day_of(datetime(2026, 5, 8, 23, 30, tzinfo=UTC), "Europe/Berlin")
'2026-05-09'

Saturday's harvest in Berlin, 9:00 to 12:00 (7:00 to 10:00 UTC): its people are reminded
from 9:00 on Friday, and those who have not logged it from midnight after it on:

>>> from datetime import date, time
>>> from peerconomy.domain.shifts import Shift
>>> harvest = Shift("harvest", date(2026, 5, 9), time(9), time(12), id=17)
>>> berlin = zone("Europe/Berlin")
>>> [shift_tomorrow_due(harvest, berlin, datetime(2026, 5, d, h, tzinfo=UTC))
...  for d, h in ((8, 6), (8, 7), (9, 6), (9, 7))]
[False, True, True, False]
>>> [shift_unlogged_due(harvest, berlin, datetime(2026, 5, d, h, tzinfo=UTC))
...  for d, h in ((9, 21), (9, 22), (16, 9), (16, 10))]
[False, True, True, False]
>>> shift_subject(harvest)
'shift:17'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from peerconomy.domain.mail import NoticeKind
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period, WorkLog
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import Shift

__all__ = [
    "LOGS_QUIET",
    "LOGS_WAIT",
    "OFFERS_CLOSING_NOTICE",
    "SHIFT_TOMORROW_NOTICE",
    "SHIFT_UNLOGGED_UNTIL",
    "SHIFT_UNLOGGED_WAIT",
    "SentReminder",
    "day_of",
    "offers_closing_due",
    "quiet_since",
    "shift_logged",
    "shift_subject",
    "shift_tomorrow_due",
    "shift_unlogged_due",
]

OFFERS_CLOSING_NOTICE: Final = timedelta(hours=48)
"""How long before a period's offers close its members who offered nothing are reminded."""
LOGS_WAIT: Final = timedelta(hours=24)
"""How long a work log waits unconfirmed before those who may confirm it are reminded."""
LOGS_QUIET: Final = timedelta(hours=24)
"""The least time between two reminders of waiting logs to one member (at most once a
day)."""
SHIFT_TOMORROW_NOTICE: Final = timedelta(hours=24)
"""How long before a shift begins its people are reminded of it: from a day before (the
evening before an early shift, the morning before an evening one) until it begins."""
SHIFT_UNLOGGED_WAIT: Final = timedelta(hours=12)
"""How long after a shift ends its people are reminded to log it, if they have not: half a
day, time enough to log it themselves the same day, and not yet a nag."""
SHIFT_UNLOGGED_UNTIL: Final = timedelta(days=7)
"""How long after a shift ends the reminder to log it may still go out: a week (a tick
missed for a while still sends it), never for shifts ended longer ago, so a scheduler first
started on an old pool does not mail about its past shifts."""


@dataclass(frozen=True, slots=True)
class SentReminder:
    """A reminder sent: of ``kind``, in ``pool``, to ``member``, about ``subject`` (a
    period's number, a day, or a shift, :func:`shift_subject`), at ``sent_at``. Kind, pool,
    member and subject are its key: the same reminder is never sent twice."""

    kind: NoticeKind
    pool: str
    member: str
    subject: str
    sent_at: datetime


def offers_closing_due(period: Period, now: datetime) -> bool:
    """Whether the reminder that ``period``'s offers close soon is due at ``now``: it
    collects, is dated, and ``now`` lies in the last :data:`OFFERS_CLOSING_NOTICE` before its
    deadline (from 48 hours before it, up to but not at it)."""
    until = period.collect_until
    return (period.state is PeriodState.COLLECTING and until is not None
            and until - OFFERS_CLOSING_NOTICE <= now < until)


def day_of(now: datetime, time_zone: str) -> str:
    """The day ``now`` falls on in ``time_zone``, as ISO 8601 (``2026-05-09``): the subject
    of a reminder sent at most once a day."""
    return now.astimezone(zone(time_zone)).date().isoformat()


def quiet_since(now: datetime) -> datetime:
    """From when a reminder of waiting logs already sent keeps a member from another at
    ``now``."""
    return now - LOGS_QUIET


def shift_subject(shift: Shift) -> str:
    """The subject of a reminder about ``shift`` (``shift:17``): with the kind, pool and
    member, the key that sends it once per member and shift."""
    return f"shift:{shift.id}"


def shift_tomorrow_due(shift: Shift, where: ZoneInfo, now: datetime) -> bool:
    """Whether the reminder of ``shift`` (in a pool in time zone ``where``) is due at ``now``:
    it is not cancelled and begins within :data:`SHIFT_TOMORROW_NOTICE` (from a day before it
    begins, up to but not at its start)."""
    begins = shift.span(where)[0]
    return not shift.cancelled and begins - SHIFT_TOMORROW_NOTICE <= now < begins


def shift_unlogged_due(shift: Shift, where: ZoneInfo, now: datetime) -> bool:
    """Whether the reminder to log ``shift`` is due at ``now`` (for a member who has not,
    :func:`shift_logged`): it is not cancelled and ended from :data:`SHIFT_UNLOGGED_WAIT` to
    :data:`SHIFT_UNLOGGED_UNTIL` ago (that included, this not)."""
    ends = shift.span(where)[1]
    return (not shift.cancelled
            and ends + SHIFT_UNLOGGED_WAIT <= now < ends + SHIFT_UNLOGGED_UNTIL)


def shift_logged(shift: Shift, participant: str, logs: Iterable[WorkLog]) -> bool:
    """Whether ``participant`` logged the work of ``shift``: a log of theirs names it, or one
    they logged by hand is of its task on the day it began (its work, logged without the
    shift). A log counts whatever its state: confirmed, waiting or rejected, it was logged.

    >>> from datetime import UTC, date, time
    >>> harvest = Shift("harvest", date(2026, 5, 9), time(9), time(12), id=17)
    >>> def log(task, day, shift=None):
    ...     return WorkLog(1, "farm", 1, "ana", task, 3.0, datetime.now(UTC), True,
    ...                    worked_on=day, shift=shift)
    >>> [shift_logged(harvest, "ana", logs) for logs in (
    ...     [], [log("harvest", date(2026, 5, 9), 17)], [log("harvest", date(2026, 5, 9))],
    ...     [log("harvest", date(2026, 5, 8))], [log("weeding", date(2026, 5, 9))])]
    [False, True, True, False, False]
    >>> shift_logged(harvest, "ben", [log("harvest", date(2026, 5, 9), 17)])
    False
    """
    return any(log.participant == participant and (
        log.shift == shift.id
        or (log.shift is None and log.task == shift.task and log.worked_on == shift.day))
        for log in logs)
