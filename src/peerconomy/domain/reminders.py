"""Reminders: mail that goes out because time passed, not because someone took a step, and
the record that makes each one go out once.

Two kinds are sent today (:data:`~peerconomy.domain.mail.REMINDER_KINDS`):

- ``offers_closing``: a dated period's offers close within :data:`OFFERS_CLOSING_NOTICE`
  (48 hours) and the member has offered nothing in it (:func:`offers_closing_due`). Once
  per member and period: the record's subject is the period's number.
- ``logs_waiting``: work logs the member could confirm have waited more than
  :data:`LOGS_WAIT` (24 hours) unconfirmed. At most once in :data:`LOGS_QUIET` (a day) per
  member: the record's subject is the day in the pool's time zone (:func:`day_of`), and
  none is sent while one of the last day stands (:func:`quiet_since`).

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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from peerconomy.domain.mail import NoticeKind
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period
from peerconomy.domain.schedule import zone

__all__ = [
    "LOGS_QUIET",
    "LOGS_WAIT",
    "OFFERS_CLOSING_NOTICE",
    "SentReminder",
    "day_of",
    "offers_closing_due",
    "quiet_since",
]

OFFERS_CLOSING_NOTICE: Final = timedelta(hours=48)
"""How long before a period's offers close its members who offered nothing are reminded."""
LOGS_WAIT: Final = timedelta(hours=24)
"""How long a work log waits unconfirmed before those who may confirm it are reminded."""
LOGS_QUIET: Final = timedelta(hours=24)
"""The least time between two reminders of waiting logs to one member (at most once a
day)."""


@dataclass(frozen=True, slots=True)
class SentReminder:
    """A reminder sent: of ``kind``, in ``pool``, to ``member``, about ``subject`` (a
    period's number, a day, or a shift's id), at ``sent_at``. Kind, pool, member and subject
    are its key: the same reminder is never sent twice."""

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
