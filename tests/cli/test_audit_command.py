"""``peerconomy audit``: the site's operator reads the site-wide audit log (accounts,
sessions, API tokens), which no page shows, and any pool's log, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from peerconomy.cli import app
from peerconomy.services import accounts, sessions
from peerconomy.store.sql import open_store

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"
runner = CliRunner()
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_HASHER", quick)


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["audit", *args, "--db", db])
    return result.exit_code, result.stdout, result.stderr


def read(db: str, *args: str) -> dict[str, Any]:
    code, out, err = run(db, *args, "--json")
    assert code == 0, err or out
    found: dict[str, Any] = json.loads(out)
    return found


@pytest.fixture
def site(db_url: str) -> str:
    """A site where dora signed up, signed in, made an API token and signed out, and the
    workshop pool was imported (entries of that pool, not site-wide ones)."""
    store = open_store(db_url)
    accounts.sign_up(store.unit_of_work(), "dora", "dora@seaside.example", "dora by the sea",
                     now=MONDAY, mode="open")
    session_id = sessions.start_session(store.unit_of_work(), "dora",
                                        now=MONDAY + timedelta(minutes=1))
    accounts.issue_token(store.unit_of_work(), "dora", "laptop",
                         now=MONDAY + timedelta(minutes=2))
    sessions.end_session(store.unit_of_work(), session_id, now=MONDAY + timedelta(minutes=3))
    result = runner.invoke(app, ["pool", "import", str(WORKSHOP), "--pool", "workshop",
                                 "--coordinator", "ana", "--db", db_url])
    assert result.exit_code == 0, result.stderr
    return db_url


def test_the_site_wide_entries_are_read_newest_first_without_secrets(site: str) -> None:
    found = read(site)
    assert found["pool"] is None
    entries = found["entries"]
    assert [(e["action"], e["actor"], e["pool"]) for e in entries] == [
        ("session.end", "dora", None),
        ("token.issue", "dora", None),
        ("session.start", "dora", None),
        ("account.sign_up", "dora", None),
    ]
    assert entries[-1]["detail"] == {"site_admin": False}  # signing up first makes no admin
    assert entries[1]["detail"] == {"label": "laptop", "scope": "write",
                                    "expires_at": "2027-02-28T09:02:00+00:00"}
    assert datetime.fromisoformat(entries[-1]["at"]) == MONDAY
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True)
    assert found["next"] is None
    assert "dora by the sea" not in json.dumps(found)


def test_a_page_at_a_time_with_limit_and_before(site: str) -> None:
    first = read(site, "--limit", "3")
    assert [e["action"] for e in first["entries"]] == [
        "session.end", "token.issue", "session.start"]
    assert first["next"] == first["entries"][-1]["id"]
    rest = read(site, "--limit", "3", "--before", str(first["next"]))
    assert [e["action"] for e in rest["entries"]] == ["account.sign_up"]
    assert rest["next"] is None


def test_with_a_pool_its_entries_are_read_instead(site: str) -> None:
    found = read(site, "--pool", "workshop")
    assert found["pool"] == "workshop"
    assert found["entries"]
    assert {e["pool"] for e in found["entries"]} == {"workshop"}
    assert not {e["action"] for e in found["entries"]} & {"account.sign_up", "token.issue"}


def test_the_table_shows_each_entry(site: str) -> None:
    result = runner.invoke(app, ["audit", "--db", site], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "site-wide audit log" in out
    for action in ("session.end", "token.issue", "session.start", "account.sign_up"):
        assert action in out
    assert "2026-11-30 09:00:00" in out
    assert '{"label": "laptop", "scope": "write", "expires_at": "2027-02-28T09:02:00+00:00"}' \
        in out


@pytest.mark.parametrize(("args", "message"), [
    (["--limit", "0"], "error: limit: must be 1 to 200, got 0\n"),
    (["--limit", "201"], "error: limit: must be 1 to 200, got 201\n"),
    (["--before", "0"], "error: before: must be an entry's number (1 or more), got 0\n"),
    (["--limit", "ten"], "error: limit: must be a whole number, got 'ten'\n"),
    (["--before", "1.5"], "error: before: must be a whole number, got '1.5'\n"),
    (["--pool", "nowhere"], None),
])
def test_bad_input_is_one_line_and_exit_code_2(site: str, args: list[str],
                                               message: str | None) -> None:
    code, out, err = run(site, *args)
    assert code == 2, out
    assert err.startswith("error: ") and err.count("\n") == 1 and err.endswith("\n")
    if message is not None:
        assert err == message
    else:
        assert "nowhere" in err
