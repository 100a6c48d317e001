"""Shifts: when and where a task's hours are worked, and the rules that make them.

A shift belongs to a task: a day, a start and an end (times on the clock in the pool's time
zone), a place, how many people it takes (``slots``), an optional note, and whether it was
cancelled. A shift whose end is at or before its start ends on the next day (a night shift,
22:00 to 06:00); either way it lasts more than nothing and at most
:data:`~peerconomy.domain.bounds.MAX_SHIFT_HOURS` hours on the clock, so a mistyped
09:00 to 08:00 (23 hours) is refused rather than read as a night. How long a shift *really*
lasts is measured in UTC (:meth:`Shift.span`): the night the clocks go forward, 22:00 to
06:00 in Berlin lasts 7 hours. A time the clock skips (02:30 that night) is read as if the
clock had not changed yet (Python's ``fold=0``).

A :class:`ShiftRule` makes shifts alike on a calendar: every day, or every ``interval`` weeks
on the named weekdays, from ``first`` to ``until`` (both included), at most
:data:`~peerconomy.domain.bounds.MAX_RULE_SHIFTS` of them. Each becomes its own row, to be
cancelled or changed alone.

>>> rule = ShiftRule("harvest", "week", date(2026, 5, 2), date(2026, 5, 31), time(9),
...                  time(12), weekdays=(5,), place="Feld 3", slots=4)
>>> [s.day.isoformat() for s in rule.shifts()]
['2026-05-02', '2026-05-09', '2026-05-16', '2026-05-23', '2026-05-30']
>>> milking = Shift("milking_at_dawn", date(2026, 3, 29), time(5, 30), time(7))
>>> [t.isoformat() for t in milking.span(zone("Europe/Berlin"))]  # summer time began
['2026-03-29T03:30:00+00:00', '2026-03-29T05:00:00+00:00']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from peerconomy.domain.bounds import (
    MAX_RULE_SHIFTS,
    MAX_SHIFT_HOURS,
    MAX_SHIFT_NOTE,
    MAX_SHIFT_PLACE,
    MAX_SHIFT_SLOTS,
)
from peerconomy.domain.ids import check_id
from peerconomy.domain.refusal import InputError, Problems
from peerconomy.domain.schedule import zone
from peerconomy.domain.text import TextKind, check_text

__all__ = [
    "WEEKDAYS",
    "Every",
    "Shift",
    "ShiftRule",
    "by_task",
    "check_rule",
    "check_shift",
    "clock_hours",
    "in_period",
    "parse_date",
    "parse_time",
    "parse_weekdays",
    "zone",
]

Every = Literal["day", "week"]
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The weekdays' short names, Monday first (``date.weekday()`` indexes them)."""
_MAX_INTERVAL: Final = 52
_DAY: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift of a task (see the module's docstring). ``id`` is the pool's number for it,
    given by the store (0 before it is stored)."""

    task: str
    day: date
    start: time
    end: time
    place: str = ""
    slots: int = 1
    note: str = ""
    cancelled: bool = False
    id: int = 0

    @property
    def overnight(self) -> bool:
        """Whether it ends on the next day (its end is at or before its start)."""
        return self.end <= self.start

    @property
    def last_day(self) -> date:
        """The day it ends on."""
        return self.day + _DAY if self.overnight else self.day

    def span(self, where: ZoneInfo) -> tuple[datetime, datetime]:
        """When it begins and ends, in UTC, for a pool in time zone ``where``."""
        begins = datetime.combine(self.day, self.start, tzinfo=where)
        ends = datetime.combine(self.last_day, self.end, tzinfo=where)
        return begins.astimezone(UTC), ends.astimezone(UTC)

    def hours(self, where: ZoneInfo) -> float:
        """How long it really lasts in time zone ``where`` (across a change of the clocks
        too), in hours."""
        begins, ends = self.span(where)
        return (ends - begins).total_seconds() / 3600


def clock_hours(start: time, end: time) -> float:
    """Hours on the clock from ``start`` to ``end`` (the next day where ``end`` is at or
    before ``start``): what the bound on a shift's length reads."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    seconds = minutes * 60 + end.second - start.second
    return (seconds % 86_400 or 86_400) / 3600


def _check_times(start: object, end: object, problems: Problems) -> None:
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, time) or value.tzinfo is not None:
            problems.note(name, f"must be a time of day such as 09:00, got {value!r}")
            return
    assert isinstance(start, time) and isinstance(end, time)
    if start == end:
        problems.note("end", f"must differ from start (a shift lasts more than nothing),"
                             f" got {end.isoformat('minutes')}")
    elif clock_hours(start, end) > MAX_SHIFT_HOURS:
        problems.note("end", f"must be at most {MAX_SHIFT_HOURS} hours after start (an end"
                             " at or before the start is on the next day), got"
                             f" {start.isoformat('minutes')} to {end.isoformat('minutes')}")


def _check_slots(slots: object, problems: Problems) -> None:
    if isinstance(slots, bool) or not isinstance(slots, int) or not (
            1 <= slots <= MAX_SHIFT_SLOTS):
        problems.note("slots", f"must be a whole number from 1 to {MAX_SHIFT_SLOTS},"
                               f" got {slots!r}"[:200])


def check_shift(shift: Shift) -> Shift:
    """``shift`` with its texts trimmed, where every field is within its bounds
    (:mod:`peerconomy.domain.bounds`); else :class:`InputError` naming each field at fault.
    The one check every door's shifts pass (a rule's shifts too)."""
    problems = Problems()
    with problems.gathering():
        check_id(shift.task, "task", item=True)
    timed = len(problems.found)
    _check_times(shift.start, shift.end, problems)
    timed = len(problems.found) == timed
    if not isinstance(shift.day, date) or isinstance(shift.day, datetime):
        problems.note("date", f"must be a date such as 2026-05-02, got {shift.day!r}")
    elif timed and shift.overnight and shift.day == date.max:
        problems.note("date", "must leave the shift's end inside the calendar")
    place = note = ""
    with problems.gathering():
        place = check_text(shift.place, "place", TextKind(MAX_SHIFT_PLACE))
    with problems.gathering():
        note = check_text(shift.note, "note", TextKind(MAX_SHIFT_NOTE, lines=True))
    _check_slots(shift.slots, problems)
    if not isinstance(shift.cancelled, bool):
        problems.note("cancelled", f"must be true or false, got {shift.cancelled!r}")
    problems.refuse()
    return replace(shift, place=place, note=note)


def parse_date(text: str, path: str) -> date:
    """The ISO date ``text`` (``2026-05-09``); :class:`InputError` naming ``path``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(path, f"must be a date such as 2026-05-09, got {text[:40]!r}"
                         ) from None


def parse_time(text: str, path: str) -> time:
    """The time of day ``text`` (``09:00``, ``5:30``); :class:`InputError` naming
    ``path``."""
    written = text.strip()
    if len(written) == 4 and written[1] == ":":
        written = "0" + written
    try:
        found = time.fromisoformat(written)
    except ValueError:
        found = None
    if found is None or found.tzinfo is not None:
        raise InputError(path, f"must be a time of day such as 09:00, got {text[:40]!r}")
    return found


def parse_weekdays(text: str, path: str = "weekdays") -> tuple[int, ...]:
    """The weekdays named in ``text`` (``sat``, ``mon,thu``; Monday is 0), sorted;
    :class:`InputError` naming ``path`` for a name that is none."""
    days = set()
    for word in (w.strip().casefold()[:3] for w in text.split(",") if w.strip()):
        if word not in WEEKDAYS:
            raise InputError(path, f"must name weekdays such as 'sat' or 'mon,thu', got"
                                   f" {text[:40]!r}")
        days.add(WEEKDAYS.index(word))
    return tuple(sorted(days))


@dataclass(frozen=True, slots=True)
class ShiftRule:
    """Shifts alike on a calendar (see the module's docstring): every day, or every
    ``interval`` weeks on ``weekdays`` (Monday 0; none given: ``first``'s weekday), from
    ``first`` to ``until``, each from ``start`` to ``end`` at ``place`` for ``slots``
    people."""

    task: str
    every: Every
    first: date
    until: date
    start: time
    end: time
    weekdays: tuple[int, ...] = ()
    interval: int = 1
    place: str = ""
    slots: int = 1
    note: str = ""

    def days(self) -> list[date]:
        """The days the rule makes shifts on, at most one more than the bound allows (so
        that the check can tell it makes too many)."""
        found: list[date] = []
        if self.until < self.first:
            return found
        weekdays = set(self.weekdays or (self.first.weekday(),))
        week_of_first = self.first - timedelta(days=self.first.weekday())
        day = self.first
        while day <= self.until and len(found) <= MAX_RULE_SHIFTS:
            if self.every == "day":
                weeks_in = (day - self.first).days
            else:
                weeks_in = (day - week_of_first).days // 7
            if weeks_in % self.interval == 0 and (
                    self.every == "day" or day.weekday() in weekdays):
                found.append(day)
            if day == date.max:
                break
            day += _DAY
        return found

    def shifts(self) -> list[Shift]:
        """The shifts the rule makes, by day (checked: :func:`check_rule`)."""
        check_rule(self)
        return [check_shift(Shift(self.task, day, self.start, self.end, self.place,
                                  self.slots, self.note)) for day in self.days()]


def check_rule(rule: ShiftRule) -> ShiftRule:
    """``rule`` if it makes 1 to :data:`~peerconomy.domain.bounds.MAX_RULE_SHIFTS` valid
    shifts; else :class:`InputError` naming each field at fault."""
    problems = Problems()
    if rule.every not in ("day", "week"):
        problems.note("every", f"must be 'day' or 'week', got {rule.every!r}"[:200])
    interval = rule.interval
    if isinstance(interval, bool) or not isinstance(interval, int) or not (
            1 <= interval <= _MAX_INTERVAL):
        problems.note("interval", f"must be a whole number from 1 to {_MAX_INTERVAL},"
                                  f" got {interval!r}"[:200])
    if not isinstance(rule.weekdays, tuple) or any(
            isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6
            for d in rule.weekdays):
        problems.note("weekdays", f"must be weekdays 0 (Monday) to 6 (Sunday), got"
                                  f" {rule.weekdays!r}"[:200])
    dated = True
    for name, value in (("first", rule.first), ("until", rule.until)):
        if not isinstance(value, date) or isinstance(value, datetime):
            problems.note(name, f"must be a date such as 2026-05-02, got {value!r}"[:200])
            dated = False
    if dated and rule.until < rule.first:
        problems.note("until", f"must be on or after first ({rule.first}), got {rule.until}")
    with problems.gathering():  # the shift's own fields, named as the rule names them
        check_shift(Shift(rule.task, rule.first if dated else date.min, rule.start, rule.end,
                          rule.place, rule.slots, rule.note))
    problems.refuse()
    count = len(rule.days())
    if count == 0:
        raise InputError("weekdays", f"must fall on a day from {rule.first} to {rule.until}:"
                                     " the rule makes no shift")
    if count > MAX_RULE_SHIFTS:
        raise InputError("until", f"must end the rule within {MAX_RULE_SHIFTS} shifts,"
                                  f" got {rule.until} (more shifts)")
    return rule


def in_period(shifts: Iterable[Shift], starts_on: date, ends_on: date) -> list[Shift]:
    """The shifts beginning on a day from ``starts_on`` to ``ends_on``, not cancelled, by
    day, start and id: the shifts a dated period's work is placed on."""
    return sorted((s for s in shifts if not s.cancelled and starts_on <= s.day <= ends_on),
                  key=lambda s: (s.day, s.start, s.id))


def by_task(shifts: Sequence[Shift]) -> dict[str, list[Shift]]:
    """The shifts of each task, in their order."""
    found: dict[str, list[Shift]] = {}
    for s in shifts:
        found.setdefault(s.task, []).append(s)
    return found
