"""Mail from the command line: ``peerconomy mail test`` checks the site's SMTP server, and a
step taken on the command line queues its notices as one taken on the pages or the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_commands import workshop_with_ana_verified
from peerconomy.cli import app
from peerconomy.services.notices import Notice
from peerconomy.store.sql import open_store
from smtp_inbox import Inbox, free_port, receiving

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"
runner = CliRunner()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with receiving(handler) as port:
        yield handler, port


def test_mail_test_sends_a_message_through_the_configured_server(
    inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    mail, port = inbox
    monkeypatch.setenv("PEERCONOMY_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("PEERCONOMY_MAIL_FROM", "pool@workshop.example")
    result = runner.invoke(app, ["mail", "test", "Ana@Workshop.example"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"sent a test message to ana@workshop.example through"
                             f" 127.0.0.1:{port}\n")
    (sent,) = mail.messages
    assert sent["To"] == "ana@workshop.example"
    assert sent["Subject"] == "peerconomy: a test message"
    assert sent["Date"] and sent["Message-ID"].startswith("<")


@pytest.mark.parametrize("sender", ["", "  "])
def test_mail_test_sends_from_the_default_sender_where_the_setting_is_empty(
    inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch, sender: str
) -> None:
    mail, port = inbox
    monkeypatch.setenv("PEERCONOMY_SMTP_URL", f" smtp://127.0.0.1:{port} ")
    monkeypatch.setenv("PEERCONOMY_MAIL_FROM", sender)  # as a stack passes one not set
    result = runner.invoke(app, ["mail", "test", "ana@workshop.example"])
    assert result.exit_code == 0, result.stderr
    (sent,) = mail.messages
    assert sent["From"] == "peerconomy@localhost"
    assert sent["Message-ID"].endswith("@localhost>")


@pytest.mark.parametrize(
    ("smtp_url", "address", "said"),
    [
        (None, "ana@workshop.example", "error: no mail server is set up: set PEERCONOMY_SMTP_URL"),
        ("smtp://127.0.0.1:{closed}", "ana@workshop.example",
         "error: could not send through 127.0.0.1:{closed}: ConnectionRefusedError"),
        ("http://mail.example", "ana@workshop.example",
         "error: PEERCONOMY_SMTP_URL must be smtp://host[:port]"),
        ("smtp://127.0.0.1:{closed}", "ana", "error: ADDRESS 'ana' is not an email address"),
    ],
)
def test_mail_test_says_in_one_line_why_it_could_not_send(
    monkeypatch: pytest.MonkeyPatch, smtp_url: str | None, address: str, said: str
) -> None:
    closed = free_port()
    if smtp_url is None:
        monkeypatch.delenv("PEERCONOMY_SMTP_URL", raising=False)
    else:
        monkeypatch.setenv("PEERCONOMY_SMTP_URL", smtp_url.format(closed=closed))
    result = runner.invoke(app, ["mail", "test", address])
    assert result.exit_code == 2
    assert result.stderr.startswith(said.format(closed=closed))
    assert result.stderr.count("\n") == 1


def test_clearing_and_settling_on_the_command_line_queue_the_members_notices(
    db_url: str,
) -> None:
    store = open_store(db_url)
    try:
        workshop_with_ana_verified(store, db_url)
        for args in (["period", "clear", "--pool", "workshop"],
                     ["period", "settle", "--pool", "workshop"]):
            result = runner.invoke(app, [*args, "--db", db_url])
            assert result.exit_code == 0, result.stderr
        with store.unit_of_work() as uow:
            queued = [Notice.from_json(m.notice) for m in uow.mail.outbox()]
    finally:
        store.close()
    assert [(n.to, n.written()[0]) for n in queued[1:]] == [
        ("ana@workshop.example", "[workshop] Period 1 is cleared"),
        ("ana@workshop.example", "[workshop] Period 2 is open"),
    ]
    assert queued[0].written()[0] == "Confirm your email address"
    # the unsubscribe link names the account that claimed member ana
    assert queued[1].unsubscribe == ("ana.k", "workshop", "plan_cleared")


def test_serve_refuses_a_sign_up_setting_it_does_not_know_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PEERCONOMY_SIGNUP", "everyone")
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "workshop key")
    result = runner.invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'pool.db'}"])
    assert result.exit_code == 2
    assert result.stderr == ("error: PEERCONOMY_SIGNUP must be one of open, invite-only,"
                             " closed, got 'everyone'\n")
