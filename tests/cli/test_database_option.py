"""A database the commands cannot use is refused naming where the user gave it: ``--db``
when they gave ``--db``, ``PEERCONOMY_DATABASE_URL`` only when it came from there (issue 18:
``--db pool.sqlite3`` was refused naming ``PEERCONOMY_DATABASE_URL``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from peerconomy.cli import app
from peerconomy.store.sql import DATABASE_URL_SETTING

DATABASE_SETTING = "PEERCONOMY_DATABASE_URL"

runner = CliRunner()

COMMANDS = [
    ["user", "list"],
    ["audit"],
    ["hints", "--pool", "farm"],
    ["db", "upgrade"],
    ["db", "backup", "--output", "backup.json"],
    ["serve", "--port", "1"],
]
"""Commands that open the database, each in its own way (a unit of work, an upgrade, a
backup, the server)."""


def _run(arguments: list[str], *, environment: str | None = None) -> Result:
    return runner.invoke(app, arguments, env={DATABASE_SETTING: environment})


def test_the_cli_falls_back_to_the_stores_setting() -> None:
    from peerconomy.cli import common

    assert common.DATABASE_SETTING == DATABASE_URL_SETTING == DATABASE_SETTING


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("url", ["pool.sqlite3", "mysql://ana@db/pool"])
def test_a_bad_db_option_is_refused_naming_db(command: list[str], url: str,
                                              tmp_path: Path) -> None:
    result = _run([*command, "--db", url])

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: --db")
    assert DATABASE_SETTING not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_bad_setting_is_refused_naming_the_setting(command: list[str]) -> None:
    result = _run(command, environment="pool.sqlite3")

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {DATABASE_SETTING} must be a database URL")
    assert "--db" not in result.stderr


def test_a_database_of_something_else_is_refused_naming_db(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")

    result = _run(["user", "list", "--db", f"sqlite:///{other}"])

    assert result.exit_code == 2, result.output
    assert "not a peerconomy database (point --db at another one)" in result.stderr
    assert DATABASE_SETTING not in result.stderr
