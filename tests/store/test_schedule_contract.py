"""Dated periods on every store: the pool's calendar and each period's dates are kept as
given, undated pools and periods stay undated, the periods whose offers closed are found; and
on SQLite and PostgreSQL two ticks at once clear a period exactly once (one plan, one audit
entry), as a server's worker and a timer's ``peerconomy tick`` would."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period, Pool, PoolSettings
from peerconomy.domain.scenario import load_scenario_file
from peerconomy.domain.schedule import PeriodLength, Schedule
from peerconomy.services import pools, scheduler, views
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore, open_store

Store = MemoryStore | SqlStore

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"
FARM = Schedule(PeriodLength(2, "weeks"), close_days=3, close_time=time(7, 30),
                time_zone="Europe/Berlin", auto_clear=True)
MONDAY = date(2026, 5, 4)


def test_a_pools_calendar_is_kept_as_given(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("farm", PoolSettings(schedule=FARM)))
        uow.pools.add(Pool("bakery"))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.pools.get("farm") == Pool("farm", PoolSettings(schedule=FARM))
        assert uow.pools.lock("farm") == Pool("farm", PoolSettings(schedule=FARM))
        assert uow.pools.get("bakery") == Pool("bakery")  # undated, the defaults
        monthly = Schedule(PeriodLength(1, "months"), close_days=0, close_time=time(23, 59))
        uow.pools.put_settings(Pool("bakery", PoolSettings(schedule=monthly), version=2))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.pools.get("bakery") == Pool("bakery", PoolSettings(schedule=monthly), 2)


def test_a_periods_dates_are_kept_and_found_when_its_offers_close(store: Store) -> None:
    dates = FARM.dates(MONDAY)
    with store.unit_of_work() as uow:
        for name in ("farm", "bakery", "cafe"):
            uow.pools.add(Pool(name))
        uow.periods.add(Period("farm", 1, PeriodState.COLLECTING).dated(dates))
        uow.periods.add(Period("bakery", 1, PeriodState.COLLECTING))
        uow.periods.add(Period("cafe", 1, PeriodState.CLEARED).dated(dates))
        uow.commit()
    with store.unit_of_work() as uow:
        farm = uow.periods.latest("farm")
        assert farm is not None and farm.dates == dates
        assert farm.collect_until == datetime(2026, 5, 14, 5, 30, tzinfo=UTC)
        assert uow.periods.get("bakery", 1) == Period("bakery", 1, PeriodState.COLLECTING)
        before = dates.collect_until - timedelta(microseconds=1)
        assert uow.periods.closed_for_offers(before) == []
        # the cleared period's offers closed too, but only a collecting one is found
        assert uow.periods.closed_for_offers(dates.collect_until) == [farm]
        later = FARM.dates(MONDAY + timedelta(days=14))
        uow.periods.set_dates("bakery", 1, later)
        uow.periods.set_dates("farm", 1, None)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.periods.get("farm", 1) == Period("farm", 1, PeriodState.COLLECTING)
        bakery = uow.periods.get("bakery", 1)
        assert bakery is not None and bakery.dates == later
        assert [p.pool for p in uow.periods.closed_for_offers(
            datetime(2027, 1, 1, tzinfo=UTC))] == ["bakery"]


@pytest.mark.parametrize("run", range(3))
def test_two_ticks_at_once_clear_a_period_once(database_url: str, run: int) -> None:
    store = open_store(database_url)
    try:
        pools.import_scenario(store.unit_of_work(), "workshop", load_scenario_file(WORKSHOP),
                              coordinators=["ana"])
        pools.update_settings(store.unit_of_work(), "workshop",
                              period_length=PeriodLength(1, "weeks"), starts_on=MONDAY,
                              auto_clear=True, time_zone="Europe/Berlin")
        deadline = datetime(2026, 5, 8, 16, 0, tzinfo=UTC)
        start = threading.Barrier(2)
        counts: list[int] = []

        def tick() -> None:
            start.wait()
            done = scheduler.tick(store.unit_of_work, deadline)
            assert done.failed == ()
            counts.extend(count for name, count in done.counts
                          if name == "periods cleared at their deadline")

        runners = [threading.Thread(target=tick) for _ in range(2)]
        for runner in runners:
            runner.start()
        for runner in runners:
            runner.join()
        assert sorted(counts) == [0, 1]
        history = views.plan_history(store.unit_of_work(), "workshop", 1)
        assert history.current is not None and not history.withdrawn
        with store.unit_of_work() as uow:
            clears = [e for e in uow.audit.entries("workshop", limit=100)
                      if e.action == "period.clear"]
            assert [(e.actor, e.subject) for e in clears] == [("scheduler", "1")]
            assert len(uow.periods.assignments("workshop", 1)) == len(
                history.current.data.assignments)
    finally:
        store.close()
