"""A pool's calendar: period lengths and their date arithmetic (month ends included), when a
period's offers close in its pool's time zone, and the settings refused with the field named.

The farm's Solawi runs weekly periods from Monday to Sunday and harvests on Saturday: its
offers close on Friday at 18:00 in Berlin, summer and winter alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerconomy.domain.bounds import MAX_PERIOD_COUNT
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period, PoolSettings, clears_itself
from peerconomy.domain.refusal import InputError
from peerconomy.domain.schedule import PeriodLength, Schedule, check_schedule

WEEK = PeriodLength(1, "weeks")
MONTH = PeriodLength(1, "months")
FARM = Schedule(WEEK, time_zone="Europe/Berlin", auto_clear=True)


@pytest.mark.parametrize(("length", "starts_on", "ends_on"), [
    (WEEK, date(2026, 5, 4), date(2026, 5, 10)),
    (PeriodLength(2, "weeks"), date(2026, 12, 28), date(2027, 1, 10)),
    (PeriodLength(10, "days"), date(2026, 2, 25), date(2026, 3, 6)),
    (PeriodLength(1, "days"), date(2026, 5, 4), date(2026, 5, 4)),
    (MONTH, date(2026, 1, 1), date(2026, 1, 31)),
    (MONTH, date(2026, 1, 15), date(2026, 2, 14)),
    (MONTH, date(2026, 1, 31), date(2026, 2, 28)),  # February has no 31st: to its end
    (MONTH, date(2028, 1, 31), date(2028, 2, 29)),  # a leap year's February
    (MONTH, date(2026, 3, 31), date(2026, 4, 30)),
    (MONTH, date(2026, 12, 1), date(2026, 12, 31)),
    (PeriodLength(3, "months"), date(2026, 11, 30), date(2027, 2, 28)),
    (PeriodLength(12, "months"), date(2028, 2, 29), date(2029, 2, 28)),
])
def test_a_period_ends_the_day_before_the_next_begins(length: PeriodLength, starts_on: date,
                                                       ends_on: date) -> None:
    assert length.ends_on(starts_on) == ends_on
    assert length.next_start(starts_on) == ends_on + timedelta(days=1)


def test_monthly_periods_from_the_31st_of_january_go_on_from_the_1st_of_march() -> None:
    starts = [date(2026, 1, 31)]
    for _ in range(3):
        starts.append(MONTH.next_start(starts[-1]))
    assert starts == [date(2026, 1, 31), date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]


lengths = st.builds(PeriodLength, st.integers(1, 12),
                    st.sampled_from(["days", "weeks", "months"]))


@given(lengths, st.dates(date(1990, 1, 1), date(2200, 12, 31)))
def test_a_period_lasts_as_long_as_its_length_says(length: PeriodLength, starts_on: date
                                                   ) -> None:
    days = (length.ends_on(starts_on) - starts_on).days + 1
    if length.unit == "months":  # 28 to 31 days a month, and up to 3 more from a month end
        assert 28 * length.count <= days <= 31 * length.count + 3
    else:
        assert days == length.count * (7 if length.unit == "weeks" else 1)
    assert days >= length.fewest_days


@given(st.dates(date(1990, 1, 1), date(2200, 12, 31)))
def test_a_monthly_period_begins_on_its_start_day_or_on_a_first(starts_on: date) -> None:
    after = MONTH.next_start(starts_on)
    assert after.day in (starts_on.day, 1)
    assert (after.year * 12 + after.month) - (starts_on.year * 12 + starts_on.month) in (1, 2)


@pytest.mark.parametrize(("starts_on", "closes_at"), [
    (date(2026, 5, 4), datetime(2026, 5, 8, 16, 0, tzinfo=UTC)),  # summer: UTC+2
    (date(2026, 1, 5), datetime(2026, 1, 9, 17, 0, tzinfo=UTC)),  # winter: UTC+1
])
def test_the_farms_offers_close_on_friday_at_six_in_berlin(starts_on: date,
                                                            closes_at: datetime) -> None:
    dates = FARM.dates(starts_on)
    assert (dates.starts_on, dates.ends_on) == (starts_on, starts_on + timedelta(days=6))
    assert dates.collect_until == closes_at
    assert dates.collect_until.tzinfo is UTC


def test_offers_may_close_on_the_last_day_itself_at_any_time() -> None:
    schedule = Schedule(PeriodLength(10, "days"), close_days=0, close_time=time(23, 30))
    assert schedule.dates(date(2026, 5, 1)).collect_until == datetime(2026, 5, 10, 23, 30,
                                                                      tzinfo=UTC)


def test_the_day_it_is_depends_on_the_pools_time_zone() -> None:
    late = datetime(2026, 5, 3, 23, 0, tzinfo=UTC)  # Monday already in Berlin
    assert FARM.today(late) == date(2026, 5, 4)
    assert Schedule(WEEK).today(late) == date(2026, 5, 3)


@pytest.mark.parametrize(("text", "length"), [
    ("1 week", WEEK), ("week", WEEK), ("2 weeks", PeriodLength(2, "weeks")),
    ("14 days", PeriodLength(14, "days")), ("1 Month", MONTH), ("2 Wochen",
                                                                PeriodLength(2, "weeks")),
    ("10 Tage", PeriodLength(10, "days")), (" 3  months ", PeriodLength(3, "months")),
])
def test_a_length_is_read_from_words(text: str, length: PeriodLength) -> None:
    assert PeriodLength.parse(text) == length
    assert PeriodLength.parse(str(length)) == length


def test_a_length_is_written_in_words() -> None:
    assert [str(x) for x in (WEEK, PeriodLength(2, "weeks"), PeriodLength(1, "days"),
                             MONTH)] == ["1 week", "2 weeks", "1 day", "1 month"]


@pytest.mark.parametrize(("text", "reason"), [
    ("fortnight", "must be a number of days, weeks or months"),
    ("1 year", "must be a number of days, weeks or months"),
    ("-1 week", "must be a number of days, weeks or months"),
    ("", "must be a number of days, weeks or months"),
    ("0 days", "must be 1 to 366 days, got 0"),
    ("53 weeks", "must be 1 to 52 weeks, got 53"),
    ("13 months", "must be 1 to 12 months, got 13"),
])
def test_a_length_that_is_none_is_refused_naming_the_field(text: str, reason: str) -> None:
    with pytest.raises(InputError) as refused:
        PeriodLength.parse(text)
    assert refused.value.path == "period_length"
    assert reason in refused.value.reason


@pytest.mark.parametrize(("schedule", "path", "reason"), [
    (Schedule(WEEK, close_days=7), "close_days", "must be fewer than the 7 days a period of"
                                                 " 1 week has, got 7"),
    (Schedule(MONTH, close_days=28), "close_days", "fewer than the 28 days"),
    (Schedule(close_days=-1), "close_days", "from 0 to 365, got -1"),
    (Schedule(close_days=366), "close_days", "from 0 to 365, got 366"),
    (Schedule(close_days=True), "close_days", "got True"),
    (Schedule(time_zone="Mars/Olympus"), "time_zone", "got 'Mars/Olympus'"),
    (Schedule(time_zone="../../etc/passwd"), "time_zone", "must be a time zone"),
    (Schedule(time_zone=""), "time_zone", "must be a time zone"),
    (Schedule(close_time=time(18, tzinfo=UTC)), "close_time", "must be a time of day"),
    (Schedule(auto_clear=1), "auto_clear", "must be true or false"),  # type: ignore[arg-type]
    (Schedule(PeriodLength(0, "weeks")), "period_length", "must be 1 to 52 weeks"),
    (Schedule(PeriodLength(1, "years")), "period_length",  # type: ignore[arg-type]
     "must be in days, weeks or months"),
])
def test_a_setting_out_of_bounds_is_refused_naming_it(schedule: Schedule, path: str,
                                                      reason: str) -> None:
    with pytest.raises(InputError) as refused:
        check_schedule(schedule)
    assert refused.value.path == path
    assert reason in refused.value.reason


def test_the_longest_periods_are_a_year() -> None:
    for unit, most in MAX_PERIOD_COUNT.items():
        check_schedule(Schedule(PeriodLength(most, unit), close_days=0))  # type: ignore[arg-type]
    assert check_schedule(FARM) is FARM


def test_a_period_clears_itself_once_its_offers_close_where_the_pool_asks() -> None:
    dates = FARM.dates(date(2026, 5, 4))
    period = Period("farm", 3, PeriodState.COLLECTING).dated(dates)
    asks, leaves = PoolSettings(schedule=FARM), PoolSettings(schedule=Schedule(WEEK))
    before = dates.collect_until - timedelta(seconds=1)
    assert not period.closed_for_offers(before) and period.closed_for_offers(dates.collect_until)
    assert not clears_itself(asks, period, before)
    assert clears_itself(asks, period, dates.collect_until)
    assert not clears_itself(leaves, period, dates.collect_until)  # auto_clear off
    cleared = period.moved_to(PeriodState.CLEARED)
    assert not clears_itself(asks, cleared, dates.collect_until)
    undated = Period("farm", 3, PeriodState.COLLECTING)
    assert not undated.closed_for_offers(datetime.max.replace(tzinfo=UTC))
    assert period.dated(None) == undated


@pytest.mark.parametrize("starts_on", [date(9999, 12, 30), date(1, 1, 1)])
def test_dates_beyond_the_calendar_are_refused_naming_the_first_day(starts_on: date) -> None:
    far_east = Schedule(PeriodLength(1, "weeks"), close_days=6, close_time=time(0, 30),
                        time_zone="Asia/Tokyo")  # before 1888: its local mean time, +9:19
    with pytest.raises(InputError) as refused:
        far_east.dates(starts_on)
    assert refused.value.path == "starts_on"
