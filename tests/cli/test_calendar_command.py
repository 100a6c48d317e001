"""``peerconomy user calendar``: the operator prints (or renews) an account's secret calendar
address for its owner, on SQLite and PostgreSQL, made with the site's key as the server
makes it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from peerconomy.cli import app
from peerconomy.services import calendar_keys
from peerconomy.services.errors import NotFoundError
from peerconomy.store.sql import open_store

runner = CliRunner()
ENV = {"PEERCONOMY_BASE_URL": "https://farm.example", "PEERCONOMY_SECRET_KEY": "farm key"}


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db], env=ENV)
    return result.exit_code, result.stdout, result.stderr


def _token(out: str) -> str:
    [line] = [line for line in out.splitlines() if line.startswith("https://farm.example/calendar/")]
    return line.removeprefix("https://farm.example/calendar/").removesuffix(".ics")


def test_the_operator_prints_and_renews_an_accounts_calendar_address(db_url: str) -> None:
    assert run(db_url, "user", "create", "ana", "--email", "ana@farm.example")[0] == 0
    code, out, err = run(db_url, "user", "calendar", "ana")
    assert code == 0, err
    token = _token(out)
    assert _token(run(db_url, "user", "calendar", "ana")[1]) == token  # the same again
    with open_store(db_url) as store:
        assert calendar_keys.owner(store.unit_of_work(), token).name == "ana"
        # the server, with the same key, shows the same address
        assert calendar_keys.address_token(store.unit_of_work(), "ana", "farm key") == token
    code, out, err = run(db_url, "user", "calendar", "ana", "--renew")
    assert code == 0, err
    assert "new calendar addresses of ana" in out
    renewed = _token(out)
    assert renewed != token
    with open_store(db_url) as store:
        with pytest.raises(NotFoundError):
            calendar_keys.owner(store.unit_of_work(), token)
        assert calendar_keys.owner(store.unit_of_work(), renewed).name == "ana"


def test_an_unknown_account_is_one_line_and_exit_2(db_url: str) -> None:
    code, _, err = run(db_url, "user", "calendar", "nobody")
    assert (code, err) == (2, "error: no user 'nobody'\n")
