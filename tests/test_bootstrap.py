"""The composition root: the stores the command line, the server, the demo and the simulator
get, the database chores they ask of it, and the server's mailer and clock."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from peerconomy import bootstrap
from peerconomy.mailer import Mailer


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


def test_a_store_in_memory_needs_no_database_adapter_nor_the_mailer() -> None:
    code = ("import sys, peerconomy.bootstrap as b; b.memory_store(); b.clock()();"
            " print('sqlalchemy' in sys.modules, 'peerconomy.mailer' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False False"


@dataclass(frozen=True)
class MailSettings:
    """The settings a mailer is built from (the server's have more)."""

    smtp_url: str | None
    mail_from: str = "pool@seaside.example"
    base_url: str = "https://pool.example"
    secret_key: str = "k"


def test_the_mailer_sends_through_the_configured_server_if_there_is_one() -> None:
    mailer = bootstrap.mailer(MailSettings("smtps://maria:secret@mail.example"))
    assert isinstance(mailer, Mailer)
    assert (mailer.host, mailer.port, mailer.tls, mailer.user) == ("mail.example", 465, True,
                                                                   "maria")
    assert (mailer.sender, mailer.base_url, mailer.secret_key) == (
        "pool@seaside.example", "https://pool.example", "k")
    assert bootstrap.mailer(MailSettings(None)) is None
    assert bootstrap.mailer(MailSettings("")) is None
    with pytest.raises(ValueError, match="PEERCONOMY_SMTP_URL must be smtp://"):
        bootstrap.mailer(MailSettings("mail.example"))


def test_the_clock_tells_the_time_now_in_utc() -> None:
    before = datetime.now(UTC)
    now = bootstrap.clock()()
    assert now.tzinfo is UTC
    assert before <= now <= datetime.now(UTC)
