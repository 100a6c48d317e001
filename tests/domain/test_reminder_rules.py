"""The reminders' rules: when the reminder that offers close is due (the last 48 hours before
a collecting, dated period's deadline, never at or after it), the day a daily reminder
counts in (the pool's, not UTC's), when a shift's people are reminded of it (the day before
it begins, in the pool's time zone, night shifts and the change of the clocks included) and
to log it (from 12 hours to 7 days after it ended), and what counts as its work logged."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period, WorkLog
from peerconomy.domain.reminders import (
    OFFERS_CLOSING_NOTICE,
    SHIFT_TOMORROW_NOTICE,
    SHIFT_UNLOGGED_UNTIL,
    SHIFT_UNLOGGED_WAIT,
    day_of,
    offers_closing_due,
    shift_logged,
    shift_subject,
    shift_tomorrow_due,
    shift_unlogged_due,
)
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import Shift

DEADLINE = datetime(2026, 5, 8, 16, 0, tzinfo=UTC)  # Friday 18:00 in Berlin


@given(st.integers(min_value=-10 * 24 * 60, max_value=10 * 24 * 60),
       st.sampled_from(list(PeriodState)))
def test_offers_closing_is_due_in_the_last_48_hours_of_a_collecting_period(
    minutes_before: int, state: PeriodState,
) -> None:
    now = DEADLINE - timedelta(minutes=minutes_before)
    period = Period("farm", 1, state, collect_until=DEADLINE)
    expected = (state is PeriodState.COLLECTING
                and timedelta(0) < DEADLINE - now <= OFFERS_CLOSING_NOTICE)
    assert offers_closing_due(period, now) is expected


def test_an_undated_period_is_never_due() -> None:
    assert not offers_closing_due(Period("farm", 1, PeriodState.COLLECTING), DEADLINE)


def test_the_day_of_a_daily_reminder_is_the_pools() -> None:
    late_friday = datetime(2026, 5, 8, 22, 30, tzinfo=UTC)  # already Saturday in Berlin
    assert day_of(late_friday, "Europe/Berlin") == "2026-05-09"
    assert day_of(late_friday, "UTC") == "2026-05-08"
    assert day_of(late_friday, "America/New_York") == "2026-05-08"


BERLIN = zone("Europe/Berlin")
HARVEST = Shift("harvest", date(2026, 5, 9), time(9), time(12), "Feld 3", id=17)
NIGHT = Shift("milking", date(2026, 3, 28), time(22), time(6), id=18)  # clocks go forward


@given(st.sampled_from([HARVEST, NIGHT]), st.booleans(),
       st.integers(min_value=-3 * 24 * 60, max_value=10 * 24 * 60))
def test_a_shifts_people_are_reminded_the_day_before_and_to_log_it_after(
    shift: Shift, cancelled: bool, minutes: int,
) -> None:
    begins, ends = shift.span(BERLIN)
    now = begins - SHIFT_TOMORROW_NOTICE + timedelta(minutes=minutes)
    if cancelled:
        shift = Shift(shift.task, shift.day, shift.start, shift.end, cancelled=True,
                      id=shift.id)
    assert shift_tomorrow_due(shift, BERLIN, now) is (
        not cancelled and begins - SHIFT_TOMORROW_NOTICE <= now < begins)
    assert shift_unlogged_due(shift, BERLIN, now) is (
        not cancelled and SHIFT_UNLOGGED_WAIT <= now - ends < SHIFT_UNLOGGED_UNTIL)


def test_the_day_before_a_night_shift_is_measured_in_real_hours() -> None:
    # 22:00 on Saturday 28 March in Berlin (21:00 UTC) to 06:00 CEST on Sunday (04:00 UTC):
    # seven hours, the clocks go forward in between
    begins, ends = NIGHT.span(BERLIN)
    assert (begins, ends) == (datetime(2026, 3, 28, 21, tzinfo=UTC),
                              datetime(2026, 3, 29, 4, tzinfo=UTC))
    assert shift_tomorrow_due(NIGHT, BERLIN, datetime(2026, 3, 27, 21, tzinfo=UTC))
    assert not shift_tomorrow_due(NIGHT, BERLIN, datetime(2026, 3, 27, 20, 59, tzinfo=UTC))
    assert shift_unlogged_due(NIGHT, BERLIN, datetime(2026, 3, 29, 16, tzinfo=UTC))
    assert not shift_unlogged_due(NIGHT, BERLIN, datetime(2026, 3, 29, 15, 59, tzinfo=UTC))
    assert shift_subject(NIGHT) == "shift:18"


def _log(who: str, task: str, day: date | None, shift: int | None = None,
         status: str = "pending") -> WorkLog:
    return WorkLog(1, "farm", 1, who, task, 3.0, datetime(2026, 5, 9, tzinfo=UTC), True,
                   status, worked_on=day, shift=shift)  # type: ignore[arg-type]


def test_a_shift_counts_as_logged_by_a_log_of_it_or_of_its_task_on_its_day() -> None:
    day = HARVEST.day
    assert shift_logged(HARVEST, "ana", [_log("ana", "harvest", day, 17)])
    assert shift_logged(HARVEST, "ana", [_log("ana", "harvest", day, 17, "rejected")])
    assert shift_logged(HARVEST, "ana", [_log("ana", "harvest", day)])  # by hand, its day
    assert not shift_logged(HARVEST, "ana", [])
    assert not shift_logged(HARVEST, "ana", [_log("ben", "harvest", day, 17)])  # ben's
    assert not shift_logged(HARVEST, "ana", [_log("ana", "harvest", date(2026, 5, 8))])
    assert not shift_logged(HARVEST, "ana", [_log("ana", "weeding", day)])
    assert not shift_logged(HARVEST, "ana", [_log("ana", "harvest", None)])  # no day
    # a log from another shift on the same day is that shift's work, not this one's
    assert not shift_logged(HARVEST, "ana", [_log("ana", "harvest", day, 19)])
