"""The reminders' rules: when the reminder that offers close is due (the last 48 hours before
a collecting, dated period's deadline, never at or after it), and the day a daily reminder
counts in (the pool's, not UTC's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period
from peerconomy.domain.reminders import OFFERS_CLOSING_NOTICE, day_of, offers_closing_due

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
