"""The store contract for the audit log: entries come back as added, newest first, a page
at a time, per pool (or site-wide); an entry not committed is gone; and the databases
themselves refuse to change or delete one.

Each contract test runs on the in-memory reference store and on the SQL store with SQLite
and with PostgreSQL (see ``conftest.py``); the tests at the end hold only for the SQL
store, whose triggers (migration 0004) refuse a raw UPDATE, DELETE (and on PostgreSQL
TRUNCATE) of the table, while a restore, which only inserts, still fills it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from peerconomy.domain.audit import AuditEntry
from peerconomy.domain.pool import Pool
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.backup import backup, restore
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore, create_engine_for, open_store

Store = MemoryStore | SqlStore

MONDAY = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def entry(minutes: int, action: str, pool: str | None = "farm", actor: str | None = "ana",
          subject: str | None = "weed", **detail: object) -> AuditEntry:
    return AuditEntry(0, MONDAY + timedelta(minutes=minutes), actor, pool, action, subject,
                      dict(detail))


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    with store.unit_of_work() as setup:
        setup.pools.add(Pool("farm"))
        setup.commit()
    return store.unit_of_work()


def test_an_entry_comes_back_as_added_with_a_new_id(uow: UnitOfWork) -> None:
    with uow:
        added = uow.audit.add(entry(0, "offer.put", hours=4.0, goods=["a", "b"],
                                    nested={"x": None}))
        uow.commit()
    with uow:
        found = uow.audit.entries("farm")
    assert added.id >= 1
    assert found == [added]
    assert found[0].detail == {"hours": 4.0, "goods": ["a", "b"], "nested": {"x": None}}
    assert found[0].at == MONDAY and found[0].actor == "ana" and found[0].subject == "weed"


def test_entries_come_newest_first_a_page_at_a_time(uow: UnitOfWork) -> None:
    with uow:
        ids = [uow.audit.add(entry(i, f"step.{i}")).id for i in range(5)]
        uow.commit()
    assert ids == sorted(ids) and len(set(ids)) == 5
    with uow:
        first = uow.audit.entries("farm", limit=2)
        second = uow.audit.entries("farm", limit=2, before_id=first[-1].id)
        last = uow.audit.entries("farm", limit=2, before_id=second[-1].id)
        beyond = uow.audit.entries("farm", limit=2, before_id=last[-1].id)
    assert [e.action for e in first + second + last] == [f"step.{i}" for i in (4, 3, 2, 1, 0)]
    assert beyond == []


def test_entries_are_per_pool_and_site_wide_ones_apart(uow: UnitOfWork) -> None:
    with uow:
        uow.audit.add(entry(0, "offer.put"))
        uow.audit.add(entry(1, "offer.put", pool="allotment"))
        uow.audit.add(entry(2, "account.password", pool=None, subject="ana"))
        uow.audit.add(entry(3, "account.reset_link", pool=None, actor=None, subject="ben"))
        uow.commit()
    with uow:
        assert [e.pool for e in uow.audit.entries("farm")] == ["farm"]
        assert [e.pool for e in uow.audit.entries("allotment")] == ["allotment"]
        assert [e.action for e in uow.audit.entries(None)] == [
            "account.reset_link", "account.password"]
        assert uow.audit.entries(None)[0].actor is None


def test_a_time_in_another_zone_comes_back_as_the_same_moment(uow: UnitOfWork) -> None:
    lisbon = MONDAY.astimezone(timezone(timedelta(hours=1)))
    with uow:
        uow.audit.add(AuditEntry(0, lisbon, "ana", "farm", "period.clear", "1"))
        uow.commit()
    with uow:
        assert uow.audit.entries("farm")[0].at == MONDAY


def test_an_entry_not_committed_is_rolled_back(uow: UnitOfWork) -> None:
    with uow:
        uow.audit.add(entry(0, "offer.put"))
    with uow:
        assert uow.audit.entries("farm") == []


# --- the databases refuse to change the log (SQL store only) ---------------------------------


def _one_entry(url: str) -> None:
    with open_store(url) as store, store.unit_of_work() as uow:
        uow.pools.add(Pool("farm"))
        uow.audit.add(entry(0, "offer.put"))
        uow.commit()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'mallory'",
    "DELETE FROM audit_log",
])
def test_the_database_refuses_a_raw_update_or_delete(database_url: str, statement: str) -> None:
    _one_entry(database_url)
    engine = create_engine_for(database_url)
    try:
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT actor, action FROM audit_log")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("ana", "offer.put")]


@pytest.mark.postgres
def test_postgresql_refuses_a_truncate(postgresql_url: str) -> None:
    _one_entry(postgresql_url)
    engine = create_engine_for(postgresql_url)
    try:
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_log"))
    finally:
        engine.dispose()


def test_a_backup_with_entries_restores_by_inserting_them(
    database_url: str, tmp_path: Path
) -> None:
    _one_entry(database_url)
    document = backup(database_url)
    assert [row["action"] for row in document["tables"]["audit_log"]] == ["offer.put"]
    target = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    restore(target, document)
    assert backup(target)["tables"]["audit_log"] == document["tables"]["audit_log"]
    with open_store(target) as store, store.unit_of_work() as uow:
        added = uow.audit.add(entry(5, "offer.withdraw"))
        uow.commit()
        assert [e.id for e in uow.audit.entries("farm")] == [added.id, added.id - 1]
