"""Work logs' day, note and shift on every store: they come back as written (a log without
them too), a person logs a shift once (another person the same shift), a withdrawn log is
removed and its id never given again; and migration 0022 keeps the logs made before it (on
SQLite with the plans' guards that read them), downgrading drops the three columns."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from migrating import downgrade, upgraded_from
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Member, Period, Pool, PoolProject, WorkLog
from peerconomy.domain.scenario import Task
from peerconomy.domain.shifts import Shift
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore, create_engine_for, open_store

Store = MemoryStore | SqlStore

SATURDAY = date(2026, 5, 9)
LOGGED_AT = datetime(2026, 5, 9, 14, 0, tzinfo=UTC)


def _farm(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("farm"))
        uow.pools.put_project("farm", PoolProject("veg"))
        uow.pools.add_tasks("farm", [Task(id="harvest", project="veg")])
        uow.pools.add_members("farm", [Member("ana"), Member("ben")])
        uow.periods.add(Period("farm", 1, PeriodState.CLEARED))
        uow.shifts.add("farm", [Shift("harvest", SATURDAY, time(9), time(12), "Feld 3", 4)])
        uow.commit()


def _log(who: str, *, shift: int | None = 1, note: str = "Beans, row 4\nand 5") -> WorkLog:
    return WorkLog(0, "farm", 1, who, "harvest", 3.0, LOGGED_AT, True, worked_on=SATURDAY,
                   note=note, shift=shift)


def test_a_logs_day_note_and_shift_come_back(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        from_shift = uow.periods.add_work_log(_log("ana"))
        by_hand = uow.periods.add_work_log(WorkLog(0, "farm", 1, "ben", "harvest", 1.5,
                                                   LOGGED_AT, True))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.periods.work_logs("farm", 1) == [from_shift, by_hand]
        back = uow.periods.work_log("farm", from_shift.id)
    assert back is not None
    assert (back.worked_on, back.note, back.shift) == (SATURDAY, "Beans, row 4\nand 5", 1)
    assert (by_hand.worked_on, by_hand.note, by_hand.shift) == (None, "", None)


def test_a_person_logs_a_shift_once(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        uow.periods.add_work_log(_log("ana"))
        uow.periods.add_work_log(_log("ben"))  # the same shift, another person
        uow.periods.add_work_log(_log("ana", shift=None))  # by hand, as often as one likes
        uow.periods.add_work_log(_log("ana", shift=None))
        uow.commit()
    with store.unit_of_work() as uow, pytest.raises(
            ValueError, match="'ana' logged shift 1 of pool 'farm' already"):
        uow.periods.add_work_log(_log("ana", note="again"))
    with store.unit_of_work() as uow:
        assert [(log.participant, log.shift) for log in uow.periods.work_logs("farm", 1)] == [
            ("ana", 1), ("ben", 1), ("ana", None), ("ana", None)]


def test_a_withdrawn_log_is_removed_and_its_id_never_given_again(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        first = uow.periods.add_work_log(_log("ana"))
        second = uow.periods.add_work_log(_log("ben"))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.periods.remove_work_log("bakery", second.id) is False
        assert uow.periods.remove_work_log("farm", second.id) is True
        assert uow.periods.remove_work_log("farm", second.id) is False
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.periods.work_logs("farm", 1) == [first]
        assert uow.periods.work_log("farm", second.id) is None
        again = uow.periods.add_work_log(_log("ben"))  # the shift may be logged again
        uow.commit()
    assert again.id > second.id


def test_a_removal_rolled_back_keeps_the_log(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        kept = uow.periods.add_work_log(_log("ana"))
        uow.commit()
    with store.unit_of_work() as uow:
        uow.periods.remove_work_log("farm", kept.id)
    with store.unit_of_work() as uow:
        assert uow.periods.work_logs("farm", 1) == [kept]


BEFORE_0022 = [
    "INSERT INTO pools (name, max_weight, seed, communal_validation, admission, public)"
    " VALUES ('farm', 5.0, 0, true, 'approval', false)",
    "INSERT INTO periods (pool, number, state, weight_estimates) VALUES"
    " ('farm', 1, 'cleared', '{}')",
    "INSERT INTO plans (pool, period, input_hash, cleared_at, data) VALUES"
    " ('farm', 1, 'c0ffee', '2026-05-05 09:00:00', '{}')",
    "INSERT INTO work_logs (pool, period, participant, task, hours, logged_at, assigned,"
    " status) VALUES ('farm', 1, 'ana', 'harvest', 2.5, '2026-05-06 10:00:00', true,"
    " 'pending')",
]


def test_logs_from_before_0022_keep_working(database_url: str) -> None:
    upgraded_from(database_url, "0021", BEFORE_0022)
    with open_store(database_url) as store, store.unit_of_work() as uow:
        (log,) = uow.periods.work_logs("farm", 1)
    assert (log.participant, log.hours, log.worked_on, log.note, log.shift) == (
        "ana", 2.5, None, "", None)
    engine = create_engine_for(database_url)
    try:
        with (  # the plans' guard still reads work_logs: a plan with work on it stays
            engine.connect() as connection,
            pytest.raises(IntegrityError, match="a cleared plan is never changed"),
        ):
            connection.execute(text("DELETE FROM plans WHERE pool = 'farm'"))
        downgrade(database_url, "0021")
        with engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("work_logs")}
            hours = connection.execute(text("SELECT hours FROM work_logs")).scalar_one()
        assert not columns & {"worked_on", "note", "shift"}
        assert hours == 2.5
    finally:
        engine.dispose()
