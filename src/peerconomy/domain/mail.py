"""Mail waiting to go out, and what each member wants to hear of.

A step that others should hear of puts its messages in the outbox in its own transaction
(:class:`QueuedMail`); the server sends them afterwards, retrying a failing mail server with
a growing pause (:func:`next_try`) until ``max_tries`` tries have failed. So a message is
never sent for a step that was rolled back, and never lost because the server stopped or the
mail server was down when the step was taken.

Each member may turn off each kind of pool notice (:data:`NOTICE_KINDS`, reminders
included) per pool; every notice carries a link that turns its kind off without signing
in.

>>> from datetime import UTC, datetime
>>> at = datetime(2026, 1, 1, tzinfo=UTC)
>>> [str(next_try(at, tries) - at) for tries in (1, 2, 3, 10)]
['0:01:00', '0:02:00', '0:04:00', '6:00:00']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

__all__ = [
    "MAX_TRIES",
    "NOTICE_KINDS",
    "REMINDER_KINDS",
    "NoticeKind",
    "QueuedMail",
    "next_try",
]

NoticeKind = Literal["period_opened", "plan_cleared", "work_awaits_confirmation",
                     "shift_cancelled", "shift_swap", "open_slot", "offers_closing",
                     "logs_waiting", "shift_tomorrow", "shift_unlogged"]
NOTICE_KINDS: Final[tuple[NoticeKind, ...]] = (
    "period_opened", "plan_cleared", "work_awaits_confirmation", "shift_cancelled",
    "shift_swap", "open_slot", "offers_closing", "logs_waiting", "shift_tomorrow",
    "shift_unlogged",
)
"""The pool notices a member may turn off (account mail, such as a reset link, always goes
out), the reminders (:data:`REMINDER_KINDS`) among them."""
REMINDER_KINDS: Final[tuple[NoticeKind, ...]] = ("offers_closing", "logs_waiting",
                                                 "shift_tomorrow", "shift_unlogged")
"""The notices the scheduler sends because time passed (:mod:`peerconomy.domain.reminders`):
offers close within 48 hours and you offered nothing; work logs you could confirm have
waited a day; a shift you are placed on begins within a day; a shift you were placed on
ended and you have not logged its work."""

MAX_TRIES: Final = 8
"""Tries before a message is given up on (about eight hours of pauses in all)."""
_FIRST_PAUSE: Final = timedelta(minutes=1)
_LONGEST_PAUSE: Final = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class QueuedMail:
    """One message in the outbox: to whom, what (a notice as JSON, see
    :mod:`peerconomy.services.notices`), and how its sending went.

    Sent or given up on, its ``notice`` is emptied: a message may carry a one-time link."""

    id: int
    """Numbered by the store when it is queued (0 before)."""
    recipient: str
    notice: str
    created_at: datetime
    next_try_at: datetime
    tries: int = 0
    sent_at: datetime | None = None
    failed_at: datetime | None = None
    """When it was given up on (``MAX_TRIES`` tries failed, or no mail server is set up)."""
    last_error: str = ""


def next_try(now: datetime, tries: int) -> datetime:
    """When to try again after ``tries`` failed tries: a minute, then twice as long each
    time, never more than six hours."""
    pause: timedelta = _FIRST_PAUSE * 2 ** min(max(tries - 1, 0), 16)
    return now + min(pause, _LONGEST_PAUSE)
