"""``peerconomy tick``: the scheduler's due jobs run once from the command line, as a systemd
timer or cron would run them. The workshop's weekly period whose offers closed clears itself
and its members' notices go out in the same tick; a second tick finds nothing to do; without
a mail server the mail is given up on, and the tick says so only when it did; bad settings
are one line and exit code 2."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date

import pytest

from cli_commands import WORKSHOP, ok, refused, workshop_with_ana_verified
from peerconomy.domain.period import PeriodState
from peerconomy.domain.schedule import PeriodLength
from peerconomy.services import pools, views
from peerconomy.store.sql import open_store
from smtp_inbox import Inbox, receiving

NOTHING = ("tick: periods cleared at their deadline: 0, reminders that offers close: 0,"
           " reminders of work to confirm: 0, reminders of shifts tomorrow: 0,"
           " reminders of shifts to log: 0, mails sent: 0\n")


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    handler = Inbox()
    with receiving(handler) as port:
        monkeypatch.setenv("PEERCONOMY_SMTP_URL", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "workshop key")
        yield handler


def test_a_tick_clears_the_period_whose_offers_closed_and_sends_its_mail(
    db_url: str, inbox: Inbox,
) -> None:
    store = open_store(db_url)
    try:
        workshop_with_ana_verified(store, db_url)
        pools.update_settings(store.unit_of_work(), "workshop", auto_clear=True,
                              period_length=PeriodLength(1, "weeks"),
                              starts_on=date(2026, 1, 5))  # long closed
        assert ok(db_url, "tick") == (
            "tick: periods cleared at their deadline: 1, reminders that offers close: 0,"
            " reminders of work to confirm: 0, reminders of shifts tomorrow: 0,"
            " reminders of shifts to log: 0, mails sent: 2\n")
        assert ok(db_url, "tick") == NOTHING
        period = views.latest_period(store.unit_of_work(), "workshop")
        assert period is not None and period.state is PeriodState.CLEARED
    finally:
        store.close()
    assert [m["Subject"] for m in inbox.messages] == [
        "Confirm your email address", "[workshop] Period 1 is cleared"]
    assert {m["To"] for m in inbox.messages} == {"ana@workshop.example"}


def test_without_a_mail_server_a_tick_says_it_gave_up_on_the_mail_only_when_it_did(
    db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv("PEERCONOMY_SMTP_URL", raising=False)
    store = open_store(db_url)
    try:
        workshop_with_ana_verified(store, db_url)  # her verification mail waits
        pools.update_settings(store.unit_of_work(), "workshop", auto_clear=True,
                              period_length=PeriodLength(1, "weeks"),
                              starts_on=date(2026, 1, 5))
        with caplog.at_level(logging.ERROR, logger="peerconomy.services.outbox"):
            assert ok(db_url, "tick") == (
                "tick: periods cleared at their deadline: 1, reminders that offers close: 0,"
                " reminders of work to confirm: 0, reminders of shifts tomorrow: 0,"
                " reminders of shifts to log: 0, mails sent: 0,"
                " mails given up (no mail server is set up): 2\n")
        given_up = [r.getMessage() for r in caplog.records]
        assert len(given_up) == 2
        assert all(" to ana@workshop.example without sending it: no mail server is set up"
                   in line for line in given_up), given_up
        caplog.clear()
        assert ok(db_url, "tick") == NOTHING  # nothing left to give up on: not said
        assert caplog.records == []
    finally:
        store.close()


def test_a_tick_with_nothing_due_says_so(db_url: str, inbox: Inbox) -> None:
    ok(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop")
    assert ok(db_url, "tick") == NOTHING


def test_a_tick_on_no_database_is_one_line_and_exit_2() -> None:
    said = refused("nonsense://somewhere", "tick")
    assert said.startswith("error: --db: peerconomy stores pools in SQLite or PostgreSQL")


def test_a_tick_with_a_mail_server_that_is_none_is_one_line_and_exit_2(
    db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PEERCONOMY_SMTP_URL", "http://mail.example")
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "workshop key")
    said = refused(db_url, "tick")
    assert said.startswith("error: PEERCONOMY_SMTP_URL must be smtp://host[:port]")
