"""What a work log says of the work: the day it was done and a note for those who confirm
it, and what a log made from a shift takes from the shift. One rule each, used by every door.

A log's day (``worked_on``) is at most today in the pool's time zone (work is logged once it
is done) and at least the period's first day where the period is dated; an undated period's
logs go back at most :data:`~peerconomy.domain.bounds.MAX_WORK_LOG_DAYS` days. Its note is
free text (:func:`~peerconomy.domain.text.check_text`, line breaks allowed) of at most
:data:`~peerconomy.domain.bounds.MAX_WORK_NOTE` characters. A shift is logged once it has
ended, dated the day it began, with the hours it really lasted (:meth:`Shift.hours`).

>>> from datetime import UTC, datetime, time
>>> from peerconomy.domain.schedule import zone
>>> milking = Shift("milking_at_dawn", date(2026, 5, 9), time(5, 30), time(7), id=4)
>>> done = from_shift(milking, zone("Europe/Berlin"), datetime(2026, 5, 9, 6, tzinfo=UTC))
>>> done.worked_on.isoformat(), done.hours
('2026-05-09', 1.5)
>>> try:
...     check_worked_on(date(2026, 5, 3), today=date(2026, 5, 9), starts_on=date(2026, 5, 4))
... except InputError as refused:
...     print(refused)
worked_on: must be on or after 2026-05-04 (the period's first day), got 2026-05-03
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from peerconomy.domain.bounds import MAX_WORK_LOG_DAYS, MAX_WORK_NOTE
from peerconomy.domain.refusal import ConflictError, InputError
from peerconomy.domain.shifts import Shift
from peerconomy.domain.text import TextKind, check_text

__all__ = ["ShiftDone", "check_note", "check_worked_on", "earliest_day", "from_shift",
           "today_in"]


def today_in(where: ZoneInfo, now: datetime) -> date:
    """The day it is at ``now`` in time zone ``where``: a log's day by default."""
    return now.astimezone(where).date()


def earliest_day(today: date, starts_on: date | None) -> date:
    """The earliest day a log may name: the period's first day where it is dated, else
    :data:`~peerconomy.domain.bounds.MAX_WORK_LOG_DAYS` days before ``today``."""
    if starts_on is not None:
        return starts_on
    if (today - date.min).days <= MAX_WORK_LOG_DAYS:  # the calendar's first year
        return date.min
    return today - timedelta(days=MAX_WORK_LOG_DAYS)


def check_worked_on(value: object, *, today: date, starts_on: date | None,
                    path: str = "worked_on") -> date:
    """``value`` if it is a day from :func:`earliest_day` to ``today``; else
    :class:`InputError` naming ``path``."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InputError(path, f"must be a date such as 2026-05-09, got {value!r}"[:200])
    if value > today:
        raise InputError(path, f"must be today ({today}) or earlier, got {value}")
    earliest = earliest_day(today, starts_on)
    if value < earliest:
        why = ("the period's first day" if starts_on is not None
               else f"{MAX_WORK_LOG_DAYS} days ago")
        raise InputError(path, f"must be on or after {earliest} ({why}), got {value}")
    return value


def check_note(value: object, path: str = "note") -> str:
    """A log's note, trimmed, if it is text by :func:`~peerconomy.domain.text.check_text`
    (line breaks allowed) within :data:`~peerconomy.domain.bounds.MAX_WORK_NOTE`
    characters; else :class:`InputError` naming ``path``."""
    return check_text(value, path, TextKind(MAX_WORK_NOTE, lines=True))


@dataclass(frozen=True, slots=True)
class ShiftDone:
    """What a log made from a shift takes from it: its task, day and hours."""

    shift: int
    task: str
    worked_on: date
    hours: float


def from_shift(shift: Shift, where: ZoneInfo, now: datetime) -> ShiftDone:
    """The task, day and hours of ``shift`` for a log made at ``now``; a
    :class:`ConflictError` if it has not ended yet (or was cancelled)."""
    if shift.cancelled:
        raise ConflictError(f"shift {shift.id} is cancelled: log the work by hand")
    ends = shift.span(where)[1]
    if ends > now:
        raise ConflictError(f"shift {shift.id} ends at {ends.astimezone(where):%Y-%m-%d %H:%M}:"
                            " log it once it has ended")
    return ShiftDone(shift.id, shift.task, shift.day, round(shift.hours(where), 6))
