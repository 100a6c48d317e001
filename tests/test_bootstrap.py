"""The composition root: the stores the command line, the server, the demo and the simulator
get, and the database chores they ask of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from peerconomy import bootstrap


def test_a_database_url_gives_a_store_set_up_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pool.sqlite3'}"
    store = bootstrap.open_store(url)
    try:
        with store.unit_of_work() as uow:
            assert uow.pools.names() == []
    finally:
        store.close()
    assert bootstrap.upgrade_database(url) is not None  # at this version's schema already


def test_a_database_that_cannot_be_opened_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(bootstrap.StoreError):
        bootstrap.open_store("nosuchdb://here")
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = bootstrap.Nothing  # type: ignore[attr-defined]


def test_the_given_url_comes_first_else_the_configured_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PEERCONOMY_DATABASE_URL", "sqlite:///configured.sqlite3")
    assert bootstrap.database_url("sqlite:///given.sqlite3") == "sqlite:///given.sqlite3"
    assert bootstrap.database_url() == "sqlite:///configured.sqlite3"


def test_a_store_in_memory_needs_no_database_adapter() -> None:
    code = ("import sys, peerconomy.bootstrap as b; b.memory_store();"
            " print('sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
