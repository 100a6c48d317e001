"""A pool's calendar: how long its periods last, when their offers close, and whether a
period clears itself then.

A dated period runs from ``starts_on`` to ``ends_on`` (both days included), and its offers
and wishes close at ``collect_until``: ``close_days`` days before the period's last day, at
``close_time`` in the pool's ``time_zone``. The next period begins the day after one ends.
With weekly periods from Monday to Sunday and the defaults (2 days, 18:00), offers close on
Friday at 18:00: a Solawi that harvests on Saturday clears on Friday evening, so its members
know on Friday who harvests the next day. A pool without a period length has undated periods
and never schedules anything.

>>> week = Schedule(PeriodLength(1, "weeks"), time_zone="Europe/Berlin")
>>> dates = week.dates(date(2026, 5, 4))
>>> dates.ends_on, dates.collect_until.isoformat()
(datetime.date(2026, 5, 10), '2026-05-08T16:00:00+00:00')
>>> PeriodLength(1, "months").next_start(date(2026, 1, 31))  # February has no 31st
datetime.date(2026, 3, 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peerconomy.domain.bounds import MAX_CLOSE_DAYS, MAX_PERIOD_COUNT
from peerconomy.domain.refusal import InputError

__all__ = ["PeriodDates", "PeriodLength", "Schedule", "Unit", "check_schedule", "zone"]

Unit = Literal["days", "weeks", "months"]

_WORDS: Final[dict[str, Unit]] = {
    "day": "days", "days": "days", "tag": "days", "tage": "days",
    "week": "weeks", "weeks": "weeks", "woche": "weeks", "wochen": "weeks",
    "month": "months", "months": "months", "monat": "months", "monate": "months",
}
"""The words a period length may be written with (English and German), by unit."""
_LENGTH: Final = re.compile(r"\s*(\d{1,4})?\s*([^\W\d_]+)\s*")


@dataclass(frozen=True, slots=True)
class PeriodLength:
    """How long each period lasts: ``count`` days, weeks or months. Written ``1 week``,
    ``2 weeks``, ``10 days``, ``1 month`` (:meth:`parse` reads these, German words too)."""

    count: int
    unit: Unit

    def __str__(self) -> str:
        word = self.unit if self.count != 1 else self.unit[:-1]
        return f"{self.count} {word}"

    @classmethod
    def parse(cls, text: str, path: str = "period_length") -> PeriodLength:
        """The length ``text`` names (``1 week``, ``14 days``, ``month``, ``2 Wochen``);
        :class:`InputError` naming ``path`` otherwise (checked: :func:`check_length`)."""
        found = _LENGTH.fullmatch(text) if isinstance(text, str) else None
        unit = _WORDS.get(found.group(2).casefold()) if found else None
        if found is None or unit is None:
            raise InputError(path, "must be a number of days, weeks or months, such as"
                                   f" '1 week', '14 days' or '1 month', got {text!r}"[:200])
        return check_length(cls(int(found.group(1) or 1), unit), path)

    def next_start(self, starts_on: date) -> date:
        """The first day after a period that begins on ``starts_on``. A month from the 31st
        of January reaches a day February lacks: the period then runs to the end of February
        and the next begins on the 1st of March (months never drift to earlier days)."""
        if self.unit == "days":
            return starts_on + timedelta(days=self.count)
        if self.unit == "weeks":
            return starts_on + timedelta(weeks=self.count)
        months = starts_on.month - 1 + self.count
        year, month = starts_on.year + months // 12, months % 12 + 1
        try:
            return starts_on.replace(year=year, month=month)
        except ValueError:  # no such day in that month: the first of the month after
            return date(year + month // 12, month % 12 + 1, 1)

    def ends_on(self, starts_on: date) -> date:
        """The last day of a period that begins on ``starts_on``."""
        return self.next_start(starts_on) - timedelta(days=1)

    @property
    def fewest_days(self) -> int:
        """The fewest days a period of this length has (a month: 28)."""
        per = {"days": 1, "weeks": 7, "months": 28}[self.unit]
        return self.count * per


def check_length(length: PeriodLength, path: str = "period_length") -> PeriodLength:
    """``length`` if its unit is known and its count a whole number from 1 to a year's
    worth (:data:`~peerconomy.domain.bounds.MAX_PERIOD_COUNT`); else :class:`InputError`."""
    if length.unit not in get_args(Unit):
        raise InputError(path, f"must be in days, weeks or months, got {length.unit!r}")
    most = MAX_PERIOD_COUNT[length.unit]
    count = length.count
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= most:
        raise InputError(path, f"must be 1 to {most} {length.unit}, got {count!r}")
    return length


@dataclass(frozen=True, slots=True)
class PeriodDates:
    """A period's first and last day and when its offers and wishes close (in UTC)."""

    starts_on: date
    ends_on: date
    collect_until: datetime


def zone(name: str, path: str = "time_zone") -> ZoneInfo:
    """The IANA time zone called ``name`` (``Europe/Berlin``, ``UTC``); :class:`InputError`
    naming ``path`` if there is none."""
    try:
        if not isinstance(name, str) or not name or len(name) > 64:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError, OSError):
        raise InputError(path, "must be a time zone such as 'Europe/Berlin' or 'UTC',"
                               f" got {str(name)[:70]!r}") from None


@dataclass(frozen=True, slots=True)
class Schedule:
    """A pool's calendar settings (see the module's docstring)."""

    length: PeriodLength | None = None
    """How long each period lasts (None: periods are undated, nothing is scheduled)."""
    close_days: int = 2
    """Offers and wishes close this many days before the period's last day ..."""
    close_time: time = time(18, 0)
    """... at this time of day, in :attr:`time_zone`."""
    time_zone: str = "UTC"
    """The pool's time zone (IANA name): where its days begin and its deadlines fall."""
    auto_clear: bool = False
    """Whether a period clears itself when its offers close (off: a coordinator clears)."""

    def dates(self, starts_on: date) -> PeriodDates:
        """The dates of a period of this schedule that begins on ``starts_on`` (ValueError
        for an undated schedule: the caller asks only where there is a length;
        :class:`InputError` naming ``starts_on`` where they fall outside the calendar)."""
        if self.length is None:
            raise ValueError("an undated schedule has no period dates")
        try:
            ends_on = self.length.ends_on(starts_on)
            closing = datetime.combine(ends_on - timedelta(days=self.close_days),
                                       self.close_time, tzinfo=zone(self.time_zone))
            return PeriodDates(starts_on, ends_on, closing.astimezone(UTC))
        except OverflowError:  # the calendar's end (year 9999) or beginning (year 1)
            raise InputError("starts_on", "must leave the period and its deadline inside"
                                          f" the years 1 to 9999, got {starts_on}") from None

    def today(self, now: datetime) -> date:
        """The day it is at ``now`` in the pool's time zone."""
        return now.astimezone(zone(self.time_zone)).date()


def check_schedule(schedule: Schedule) -> Schedule:
    """``schedule`` if each setting is within its bounds (:mod:`peerconomy.domain.bounds`),
    and offers close inside the period (fewer closing days than the period has); else
    :class:`InputError` naming the setting."""
    if schedule.length is not None:
        check_length(schedule.length)
    days = schedule.close_days
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_CLOSE_DAYS:
        raise InputError("close_days", f"must be a whole number from 0 to {MAX_CLOSE_DAYS},"
                                       f" got {days!r}")
    if schedule.length is not None and days >= schedule.length.fewest_days:
        raise InputError("close_days", f"must be fewer than the {schedule.length.fewest_days}"
                                       f" days a period of {schedule.length} has, got {days}")
    if not isinstance(schedule.close_time, time) or schedule.close_time.tzinfo is not None:
        raise InputError("close_time", "must be a time of day such as 18:00, got"
                                       f" {schedule.close_time!r}")
    zone(schedule.time_zone)
    if not isinstance(schedule.auto_clear, bool):
        raise InputError("auto_clear", f"must be true or false, got {schedule.auto_clear!r}")
    return schedule
