"""Stores for the store tests: each contract test runs on memory, SQLite and PostgreSQL.

PostgreSQL is the server at ``PEERCONOMY_TEST_POSTGRES_URL`` (default: ``postgres`` on
127.0.0.1, database ``test``). Its tests never skip: an unreachable server fails them. Each
test gets a schema of its own, named in the connections' ``search_path`` (so Alembic's
version table goes there too), and the schema is dropped afterwards, leaving the database
as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore, open_store, scoped_schema
from postgres_url import POSTGRES_URL, POSTGRESQL

Store = MemoryStore | SqlStore


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """The URL of a fresh, empty schema of the test server, dropped after the test."""
    with scoped_schema(POSTGRES_URL, "peerconomy_test") as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'peerconomy.sqlite3'}"


@pytest.fixture(params=["sqlite", POSTGRESQL])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database of each kind."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture(params=["memory", "sqlite", POSTGRESQL])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty store of each kind: the in-memory reference and the SQL store on both
    databases."""
    if request.param == "memory":
        yield MemoryStore()
        return
    sql_store = open_store(request.getfixturevalue(f"{request.param}_url"))
    try:
        yield sql_store
    finally:
        sql_store.close()
