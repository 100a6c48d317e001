"""Shifts and their rules, on the farm: milking at dawn every day, the harvest every Saturday
until the season ends; a night shift across midnight; the clock changing in Berlin; and every
bound refused naming its field."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from peerconomy.domain.bounds import MAX_RULE_SHIFTS
from peerconomy.domain.refusal import InputError
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import (
    Shift,
    ShiftRule,
    check_shift,
    clock_hours,
    in_period,
    parse_weekdays,
)

BERLIN = zone("Europe/Berlin")
SEASON_START = date(2026, 4, 4)  # a Saturday
SEASON_END = date(2026, 10, 31)  # a Saturday


def test_the_harvest_every_saturday_until_the_seasons_end() -> None:
    rule = ShiftRule("harvest", "week", SEASON_START, SEASON_END, time(9), time(12),
                     weekdays=(5,), place="Feld 3", slots=4)
    shifts = rule.shifts()
    assert len(shifts) == 31
    assert shifts[0].day == SEASON_START and shifts[-1].day == SEASON_END
    assert {s.day.weekday() for s in shifts} == {5}
    assert {(s.start, s.end, s.place, s.slots) for s in shifts} == {
        (time(9), time(12), "Feld 3", 4)}


def test_a_rule_ending_midweek_stops_at_its_last_saturday() -> None:
    rule = ShiftRule("harvest", "week", SEASON_START, date(2026, 4, 22), time(9), time(12),
                     weekdays=(5,))
    assert [s.day for s in rule.shifts()] == [date(2026, 4, 4), date(2026, 4, 11),
                                             date(2026, 4, 18)]


def test_every_other_week_on_two_weekdays() -> None:
    rule = ShiftRule("weed", "week", date(2026, 5, 4), date(2026, 5, 31), time(17),
                     time(19), weekdays=(0, 3), interval=2)
    assert [s.day.isoformat() for s in rule.shifts()] == [
        "2026-05-04", "2026-05-07", "2026-05-18", "2026-05-21"]


def test_milking_at_dawn_every_day_keeps_its_local_time_when_the_clocks_go_forward() -> None:
    rule = ShiftRule("milking", "day", date(2026, 3, 28), date(2026, 3, 30), time(5, 30),
                     time(7), place="Stall")
    shifts = rule.shifts()
    assert [s.day for s in shifts] == [date(2026, 3, 28), date(2026, 3, 29),
                                       date(2026, 3, 30)]
    spans = [s.span(BERLIN) for s in shifts]
    assert spans[0][0] == datetime(2026, 3, 28, 4, 30, tzinfo=UTC)  # winter time, UTC+1
    assert spans[1][0] == datetime(2026, 3, 29, 3, 30, tzinfo=UTC)  # summer time, UTC+2
    assert [s.hours(BERLIN) for s in shifts] == [1.5, 1.5, 1.5]


def test_a_night_shift_ends_the_next_day_and_lasts_an_hour_less_when_the_clocks_go_forward(
) -> None:
    night = check_shift(Shift("guard", date(2026, 3, 28), time(22), time(6)))
    assert night.overnight and night.last_day == date(2026, 3, 29)
    assert clock_hours(night.start, night.end) == 8
    assert night.hours(BERLIN) == 7
    autumn = Shift("guard", date(2026, 10, 24), time(22), time(6))
    assert autumn.hours(BERLIN) == 9


def test_a_rule_makes_at_most_a_year_of_shifts() -> None:
    daily = ShiftRule("milking", "day", date(2026, 1, 1), date(2026, 12, 31), time(5, 30),
                      time(7))
    assert len(daily.shifts()) == 365
    too_long = ShiftRule("milking", "day", date(2026, 1, 1), date(2027, 1, 2), time(5, 30),
                         time(7))
    with pytest.raises(InputError, match=rf"^until: must end the rule within {MAX_RULE_SHIFTS}"):
        too_long.shifts()


@pytest.mark.parametrize(("shift", "field", "reason"), [
    (Shift("harvest", date(2026, 5, 9), time(9), time(9)), "end", "must differ from start"),
    (Shift("harvest", date(2026, 5, 9), time(9), time(8)), "end",
     "must be at most 16 hours after start"),
    (Shift("harvest", date(2026, 5, 9), time(9), time(12), slots=0), "slots",
     "must be a whole number from 1 to 100, got 0"),
    (Shift("harvest", date(2026, 5, 9), time(9), time(12), slots=101), "slots",
     "must be a whole number from 1 to 100, got 101"),
    (Shift("harvest", date(2026, 5, 9), time(9), time(12), slots=True), "slots",
     "must be a whole number"),
    (Shift("harvest", date(2026, 5, 9), time(9), time(12), place="Feld\x00"), "place",
     "holds a NUL character"),
    (Shift("harvest", date(2026, 5, 9), time(9), time(12), place="\ud800"), "place",
     "holds a lone surrogate"),
    (Shift("harvest", date(2026, 5, 9), time(9), time(12), place="x" * 201), "place",
     "must be at most 200 characters"),
    (Shift("harvest", date(2026, 5, 9), time(9), time(12), note="x" * 1001), "note",
     "must be at most 1000 characters"),
    (Shift("harvest", date(2026, 5, 9), "9:00", time(12)), "start",  # type: ignore[arg-type]
     "must be a time of day"),
    (Shift("harvest\x1b", date(2026, 5, 9), time(9), time(12)), "task", "must be 1 to 100"),
])
def test_a_bad_shift_is_refused_naming_its_field(shift: Shift, field: str,
                                                 reason: str) -> None:
    with pytest.raises(InputError) as refused:
        check_shift(shift)
    assert refused.value.path == field
    assert reason in refused.value.reason


def test_every_mistake_of_a_shift_is_named_at_once() -> None:
    with pytest.raises(InputError) as refused:
        check_shift(Shift("harvest", date(2026, 5, 9), time(9), time(9), slots=0,
                          place="\x07"))
    assert [p.path for p in refused.value.problems] == ["end", "place", "slots"]


def test_a_note_may_hold_line_breaks_and_texts_are_trimmed() -> None:
    shift = check_shift(Shift("harvest", date(2026, 5, 9), time(9), time(12),
                              place="  Hof Sonnenwiese ", note="Handschuhe\nund Hut "))
    assert (shift.place, shift.note) == ("Hof Sonnenwiese", "Handschuhe\nund Hut")


@pytest.mark.parametrize(("rule", "field"), [
    (ShiftRule("h", "week", date(2026, 5, 9), date(2026, 5, 1), time(9), time(12)), "until"),
    (ShiftRule("h", "month", date(2026, 5, 9), date(2026, 6, 1), time(9),  # type: ignore[arg-type]
               time(12)), "every"),
    (ShiftRule("h", "week", date(2026, 5, 9), date(2026, 6, 1), time(9), time(12),
               interval=0), "interval"),
    (ShiftRule("h", "week", date(2026, 5, 9), date(2026, 6, 1), time(9), time(12),
               weekdays=(7,)), "weekdays"),
    (ShiftRule("h", "week", date(2026, 5, 4), date(2026, 5, 5), time(9), time(12),
               weekdays=(5,)), "weekdays"),
    (ShiftRule("h", "week", date(2026, 5, 9), date(2026, 6, 1), time(9), time(12),
               slots=0), "slots"),
])
def test_a_bad_rule_is_refused_naming_its_field(rule: ShiftRule, field: str) -> None:
    with pytest.raises(InputError) as refused:
        rule.shifts()
    assert refused.value.path == field


def test_weekdays_are_read_by_their_short_names() -> None:
    assert parse_weekdays("sat") == (5,)
    assert parse_weekdays("Thu, mon,thursday") == (0, 3)
    with pytest.raises(InputError, match=r"^weekdays: must name weekdays"):
        parse_weekdays("someday")


def test_a_periods_shifts_are_those_not_cancelled_on_its_days_by_time() -> None:
    week = [Shift("milking", date(2026, 5, d), time(5, 30), time(7), id=d) for d in (3, 4, 10,
                                                                                        11)]
    harvest = Shift("harvest", date(2026, 5, 9), time(9), time(12), id=20)
    cancelled = Shift("harvest", date(2026, 5, 9), time(13), time(15), cancelled=True, id=21)
    found = in_period([*week, harvest, cancelled], date(2026, 5, 4), date(2026, 5, 10))
    assert [s.id for s in found] == [4, 20, 10]
