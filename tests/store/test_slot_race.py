"""Members taking the last free place of a shift at the same moment, on SQLite and
PostgreSQL: exactly one gets it, the others are refused as the shift is full, and the shift
never holds more people than its places."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from peerconomy.domain.refusal import ConflictError
from peerconomy.domain.scenario import load_scenario_file
from peerconomy.domain.schedule import PeriodLength
from peerconomy.domain.shifts import Shift
from peerconomy.services import periods, pools, shift_exchange, shifts
from peerconomy.store.sql import SqlStore, open_store

EXAMPLES = Path(__file__).parents[2] / "examples"
NOW = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
TAKERS = ("ana", "ben", "chiara", "dario")


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    """The workshop on each database, its first week (from Monday 4 May 2026) cleared."""
    sql_store = open_store(database_url)
    pools.import_scenario(sql_store.unit_of_work(), "workshop",
                          load_scenario_file(EXAMPLES / "workshop.json"), coordinators=["ana"])
    pools.update_settings(sql_store.unit_of_work(), "workshop",
                          period_length=PeriodLength(1, "weeks"), time_zone="Europe/Berlin",
                          starts_on=date(2026, 5, 4), actor="ana")
    periods.clear_period(sql_store.unit_of_work(), "workshop", now=NOW)
    try:
        yield sql_store
    finally:
        sql_store.close()


def test_exactly_one_of_the_members_taking_the_last_place_at_once_gets_it(
        store: SqlStore) -> None:
    for day in (6, 7, 8):  # three rounds, a one-place shift each
        shift = shifts.add_shift(store.unit_of_work(), "workshop",
                                 Shift("paint", date(2026, 5, day), time(17), time(20)),
                                 now=NOW)
        start = threading.Barrier(len(TAKERS))
        got: list[str] = []
        refused: list[str] = []

        def take(who: str, id: int = shift.id, start: threading.Barrier = start,
                 got: list[str] = got, refused: list[str] = refused) -> None:
            uow = store.unit_of_work()
            start.wait()
            try:
                shift_exchange.take_slot(uow, "workshop", who, id, now=NOW)
                got.append(who)
            except ConflictError as refusal:
                assert "is full" in str(refusal)
                refused.append(who)

        threads = [threading.Thread(target=take, args=(who,)) for who in TAKERS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(got) == 1 and sorted(got + refused) == sorted(TAKERS)
        with store.unit_of_work() as uow:
            assert [who for id, who in uow.shifts.placements("workshop", 1)
                    if id == shift.id] == got
