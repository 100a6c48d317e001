"""Dated periods and the scheduler, on the in-memory store, with a clock moved by hand.

The workshop goes weekly: its period 1 runs Monday 4 May to Sunday 10 May 2026 and its offers
close on Friday at 18:00 in Berlin (16:00 UTC). A tick before then does nothing; at the
deadline the period clears itself where the pool asks for it (once, by the scheduler, in the
audit log), and not where it does not; after the deadline offers and wishes are refused;
settling opens period 2 from Monday 11 May."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period
from peerconomy.domain.refusal import ConflictError, InputError
from peerconomy.domain.scenario import Alternative, Offer, Wish
from peerconomy.domain.schedule import PeriodLength
from peerconomy.services import collecting, periods, pools, scheduler, views
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

WEEK = PeriodLength(1, "weeks")
MONDAY = date(2026, 5, 4)
DEADLINE = datetime(2026, 5, 8, 16, 0, tzinfo=UTC)  # Friday 18:00 in Berlin
BEFORE = DEADLINE - timedelta(minutes=1)
NO_REMINDERS = (("reminders that offers close", 0), ("reminders of work to confirm", 0),
                ("reminders of shifts tomorrow", 0), ("reminders of shifts to log", 0))
"""The reminders' counts: nobody in the workshop has an account to mail them to (the
reminders have tests of their own, tests/services/test_reminders.py and
test_shift_reminders.py)."""
QUIET = (", reminders that offers close: 0, reminders of work to confirm: 0,"
         " reminders of shifts tomorrow: 0, reminders of shifts to log: 0")


def weekly(store: MemoryStore, *, auto_clear: bool) -> None:
    """The workshop (imported by the ``uow`` fixture) made weekly from Monday 4 May."""
    pools.update_settings(store.unit_of_work(), "workshop", period_length=WEEK,
                          time_zone="Europe/Berlin", auto_clear=auto_clear, starts_on=MONDAY,
                          actor="ana")


def current(store: MemoryStore) -> Period:
    found = views.latest_period(store.unit_of_work(), "workshop")
    assert found is not None
    return found


def clears(store: MemoryStore) -> list[tuple[str | None, str]]:
    with store.unit_of_work() as uow:
        return [(e.actor, e.subject or "") for e in uow.audit.entries("workshop", limit=500)
                if e.action == "period.clear"]


def test_settings_date_the_collecting_period(store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekly(store, auto_clear=False)
    period = current(store)
    assert (period.starts_on, period.ends_on, period.collect_until) == (
        MONDAY, date(2026, 5, 10), DEADLINE)
    pools.update_settings(store.unit_of_work(), "workshop", close_days=3,
                          close_time=time(12, 0))  # Thursday noon: the dates follow
    assert current(store).collect_until == datetime(2026, 5, 7, 10, 0, tzinfo=UTC)
    with store.unit_of_work() as reading:
        [entry] = reading.audit.entries("workshop", limit=1)
    assert entry.detail["close_days"] == 3
    assert entry.detail["period"]["collect_until"] == "2026-05-07T10:00:00+00:00"
    pools.update_settings(store.unit_of_work(), "workshop", period_length=None)
    assert current(store).dates is None  # undated again: nothing scheduled


def test_an_undated_period_needs_its_first_day(store: MemoryStore, uow: MemoryUnitOfWork
                                              ) -> None:
    with pytest.raises(InputError) as refused:
        pools.update_settings(store.unit_of_work(), "workshop", period_length=WEEK)
    assert refused.value.path == "starts_on"
    with pytest.raises(InputError) as refused:
        pools.update_settings(store.unit_of_work(), "workshop", starts_on=MONDAY)
    assert refused.value.path == "starts_on"
    assert "needs a period_length" in refused.value.reason
    with pytest.raises(InputError) as refused:
        pools.update_settings(store.unit_of_work(), "workshop", period_length=WEEK,
                              starts_on=MONDAY, close_days=7)
    assert refused.value.path == "close_days"
    with store.unit_of_work() as reading:
        assert reading.pools.get("workshop").settings.schedule.length is None  # nothing kept
    assert current(store).dates is None


def test_nothing_is_due_before_the_deadline(store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekly(store, auto_clear=True)
    done = scheduler.tick(store.unit_of_work, BEFORE)
    assert done.counts == (("periods cleared at their deadline", 0), *NO_REMINDERS)
    assert current(store).state is PeriodState.COLLECTING
    assert clears(store) == []


def test_at_the_deadline_the_period_clears_itself_once(store: MemoryStore,
                                                       uow: MemoryUnitOfWork) -> None:
    weekly(store, auto_clear=True)
    first = scheduler.tick(store.unit_of_work, DEADLINE)
    again = scheduler.tick(store.unit_of_work, DEADLINE + timedelta(hours=1))
    assert first.summary() == "periods cleared at their deadline: 1" + QUIET
    assert again.summary() == "periods cleared at their deadline: 0" + QUIET
    assert current(store).state is PeriodState.CLEARED
    assert clears(store) == [("scheduler", "1")]
    plan = views.plan(store.unit_of_work(), "workshop", 1)
    assert plan is not None and plan.cleared_at == DEADLINE
    # the plan is the one a coordinator's clear would have made of the same offers
    assert {a.participant for a in plan.data.assignments} >= {"ana", "ben"}


def test_without_auto_clear_the_period_waits_for_a_coordinator(store: MemoryStore,
                                                               uow: MemoryUnitOfWork) -> None:
    weekly(store, auto_clear=False)
    assert scheduler.tick(store.unit_of_work, DEADLINE + timedelta(days=3)).counts == (
        ("periods cleared at their deadline", 0), *NO_REMINDERS)
    assert current(store).state is PeriodState.COLLECTING
    periods.clear_period(store.unit_of_work(), "workshop", actor="ana")
    assert clears(store) == [("ana", "1")]


def test_an_undated_pool_never_clears_itself(store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    pools.update_settings(store.unit_of_work(), "workshop", auto_clear=True)
    assert scheduler.tick(store.unit_of_work, datetime(2100, 1, 1, tzinfo=UTC)).counts == (
        ("periods cleared at their deadline", 0), *NO_REMINDERS)
    assert current(store).state is PeriodState.COLLECTING


def test_a_reopened_period_is_left_to_the_coordinators(store: MemoryStore,
                                                       uow: MemoryUnitOfWork) -> None:
    weekly(store, auto_clear=True)
    scheduler.tick(store.unit_of_work, DEADLINE)
    periods.reopen_period(store.unit_of_work(), "workshop", actor="ana")
    assert scheduler.tick(store.unit_of_work, DEADLINE + timedelta(hours=2)).counts == (
        ("periods cleared at their deadline", 0), *NO_REMINDERS)
    assert current(store).state is PeriodState.COLLECTING


def test_offers_and_wishes_close_at_the_deadline(store: MemoryStore, uow: MemoryUnitOfWork
                                                 ) -> None:
    weekly(store, auto_clear=False)
    offer = Offer(participant="chiara", task="paint", hours=2, min_weight=1.0)
    collecting.make_offer(store.unit_of_work(), "workshop", offer, now=BEFORE)
    wish = Wish(participant="dario", id="dario-late", quantity=1,
                alternatives=[Alternative(good="bicycle")])
    steps = {
        "make an offer in": lambda: collecting.make_offer(
            store.unit_of_work(), "workshop", replace(offer, hours=3),
            now=DEADLINE),
        "withdraw an offer in": lambda: collecting.withdraw_offer(
            store.unit_of_work(), "workshop", "chiara", "paint", now=DEADLINE),
        "make a wish in": lambda: collecting.make_wish(
            store.unit_of_work(), "workshop", wish, now=DEADLINE + timedelta(days=1)),
        "withdraw a wish in": lambda: collecting.withdraw_wish(
            store.unit_of_work(), "workshop", "x", now=DEADLINE),
        "submit a round in": lambda: collecting.submit_round(
            store.unit_of_work(), "workshop", [], [], now=DEADLINE),
    }
    for action, step in steps.items():
        with pytest.raises(ConflictError) as refused:
            step()
        assert str(refused.value) == (f"cannot {action} period 1 of pool 'workshop': offers"
                                      " and wishes closed at 2026-05-08T16:00+00:00")
    offers = views.offers(store.unit_of_work(), "workshop")
    assert [(o.task, o.hours) for o in offers if o.participant == "chiara"] == [("paint", 2)]


def test_settling_opens_the_next_week(store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekly(store, auto_clear=True)
    scheduler.tick(store.unit_of_work, DEADLINE)
    following = periods.settle_period(store.unit_of_work(), "workshop",
                                      on=date(2026, 5, 11))
    assert (following.number, following.starts_on, following.ends_on) == (
        2, date(2026, 5, 11), date(2026, 5, 17))
    assert following.collect_until == DEADLINE + timedelta(days=7)
    assert current(store) == following
    # the next deadline clears period 2 in its turn
    assert scheduler.tick(store.unit_of_work, DEADLINE + timedelta(days=7)).counts == (
        ("periods cleared at their deadline", 1), *NO_REMINDERS)
    assert clears(store) == [("scheduler", "2"), ("scheduler", "1")]


def test_an_undated_pool_opens_undated_periods(store: MemoryStore, uow: MemoryUnitOfWork
                                               ) -> None:
    periods.clear_period(store.unit_of_work(), "workshop")
    assert periods.settle_period(store.unit_of_work(), "workshop").dates is None


def test_a_failing_job_is_named_and_the_others_still_run(store: MemoryStore) -> None:
    def broken(new_uow: object, now: datetime) -> int:
        raise RuntimeError("the database is away")

    ran: list[datetime] = []
    done = scheduler.tick(store.unit_of_work, DEADLINE, [
        ("broken", broken), ("counted", lambda new_uow, now: ran.append(now) or 2)])
    assert done.summary() == "counted: 2; failed: broken"
    assert ran == [DEADLINE]
