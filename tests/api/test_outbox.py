"""Mail that arrives: the outbox the services fill in their own transactions, drained by the
server with retries, caught here by a local SMTP server (aiosmtpd); headers every message
carries; the one-click unsubscribe link; verification before notices."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from seaside import FLATS, Headers, sign_up
from test_mail import _body, verify_everyone

from peerconomy.asgi import create_app
from peerconomy.domain.mail import MAX_TRIES
from peerconomy.http.settings import AppSettings
from peerconomy.mailer import Mailer
from peerconomy.services import accounts, outbox, password_reset
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import open_store
from smtp_inbox import Inbox, receiving

POOL = "/api/v1/pools/seaside"
SITE = "https://seaside.example"


class Moody(Inbox):
    """An inbox whose server says "try later" to the first ``refusals`` messages."""

    def __init__(self, refusals: int) -> None:
        super().__init__()
        self.refusals = refusals

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def moody() -> Iterator[tuple[Moody, int]]:
    handler = Moody(refusals=0)
    with receiving(handler) as port:
        yield handler, port


def settings_for(port: int) -> AppSettings:
    return AppSettings(secret_key="seaside key", signup="open",
                       smtp_url=f"smtp://127.0.0.1:{port}", mail_from="pool@seaside.example",
                       base_url=SITE)


@pytest.fixture
def seaside(moody: tuple[Moody, int]) -> Iterator[tuple[TestClient, dict[str, Headers]]]:
    """Ana coordinates the seaside pool, ben is in it; both verified their email."""
    with TestClient(create_app(MemoryStore(), settings_for(moody[1]), pages=True)) as client:
        people = {name: sign_up(client, name) for name in ("ana", "ben")}
        verify_everyone(client, moody[0])
        ana, ben = people["ana"], people["ben"]
        client.post("/api/v1/pools", json={"name": "seaside"}, headers=ana)
        client.post(f"{POOL}/projects", json=FLATS, headers=ana)
        code = client.post(f"{POOL}/invitations", json={}, headers=ana).json()["code"]
        client.post(f"/api/v1/invitations/{code}/accept", headers=ben)
        client.put(f"{POOL}/offers/stairs", json={"hours": 4}, headers=ben)
        yield client, people


def _flush(client: TestClient) -> None:
    client.app.state.outbox.flush()  # type: ignore[attr-defined]


def test_every_message_has_a_date_a_message_id_and_a_notice_an_unsubscribe_link(
    moody: tuple[Moody, int], seaside: tuple[TestClient, dict[str, Headers]]
) -> None:
    mail, _ = moody
    client, people = seaside
    client.post("/api/v1/auth/password-reset", json={"email": "ben@seaside.example"})
    client.post(f"{POOL}/period/clear", headers=people["ana"])
    _flush(client)
    reset, cleared = mail.to("ben@seaside.example")
    ids = set()
    for message in (reset, cleared):
        sent_at = parsedate_to_datetime(message["Date"])
        assert abs(sent_at - datetime.now(UTC)) < timedelta(hours=1)
        assert re.fullmatch(r"<[^@<>\s]+@seaside\.example>", message["Message-ID"])
        ids.add(message["Message-ID"])
    assert len(ids) == 2
    assert reset["List-Unsubscribe"] is None  # account mail is not a notice one turns off
    assert re.fullmatch(rf"<{SITE}/api/v1/unsubscribe/\S+>", cleared["List-Unsubscribe"])
    assert cleared["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.search(rf"Turn these notices off: {SITE}/unsubscribe/\S+", _body(cleared))


def test_one_click_unsubscribes_without_signing_in_and_only_that_kind_of_notice(
    moody: tuple[Moody, int], seaside: tuple[TestClient, dict[str, Headers]]
) -> None:
    mail, _ = moody
    client, people = seaside
    client.post(f"{POOL}/period/clear", headers=people["ana"])
    _flush(client)
    (cleared,) = mail.to("ben@seaside.example")
    one_click = urlsplit(cleared["List-Unsubscribe"].strip("<>")).path
    forged = client.post(one_click[:-2] + "xx")
    assert forged.status_code == 404
    with TestClient(client.app) as stranger:  # no cookie, no token, as a mail program posts
        answer = stranger.post(one_click, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"pool": "seaside", "kind": "plan_cleared", "wanted": False}
    client.post(f"{POOL}/work", json={"task": "stairs", "hours": 4}, headers=people["ben"])
    client.post(f"{POOL}/period/settle", headers=people["ana"])
    client.post(f"{POOL}/period/clear", headers=people["ana"])
    _flush(client)
    assert [m["Subject"] for m in mail.to("ben@seaside.example")] == [
        "[seaside] Period 1 is cleared", "[seaside] Period 2 is open"]  # no second plan
    assert [m["Subject"] for m in mail.to("ana@seaside.example")][-1] == (
        "[seaside] Period 2 is cleared")


def test_a_member_whose_email_is_not_verified_gets_no_notices_until_verified(
    moody: tuple[Moody, int], seaside: tuple[TestClient, dict[str, Headers]]
) -> None:
    mail, _ = moody
    client, people = seaside
    cleo = sign_up(client, "cleo")
    _flush(client)
    (verify,) = mail.to("cleo@seaside.example")
    assert verify["Subject"] == "Confirm your email address"
    code = client.post(f"{POOL}/invitations", json={}, headers=people["ana"]).json()["code"]
    client.post(f"/api/v1/invitations/{code}/accept", headers=cleo)
    client.post(f"{POOL}/period/clear", headers=people["ana"])
    _flush(client)
    assert len(mail.to("cleo@seaside.example")) == 1  # signed in, in the pool: no notice
    assert client.get("/api/v1/me", headers=cleo).json()["email_verified"] is False
    verify_everyone(client, mail)
    client.post(f"{POOL}/period/settle", headers=people["ana"])
    _flush(client)
    assert [m["Subject"] for m in mail.to("cleo@seaside.example")] == [
        "[seaside] Period 2 is open"]


def test_a_verification_link_is_refused_when_forged_or_old(
    moody: tuple[Moody, int], seaside: tuple[TestClient, dict[str, Headers]]
) -> None:
    mail, _ = moody
    client, _people = seaside
    sign_up(client, "cleo")
    _flush(client)
    (verify,) = mail.to("cleo@seaside.example")
    found = re.search(rf"{SITE}/verify/(\S+)", _body(verify))
    assert found is not None
    token = found.group(1)
    assert client.post(f"/api/v1/auth/verify-email/{token[:-2]}xx").status_code == 404
    client.app.state.clock = lambda: datetime.now(UTC) + timedelta(days=8)  # type: ignore[attr-defined]
    assert client.post(f"/api/v1/auth/verify-email/{token}").status_code == 409
    del client.app.state.clock  # type: ignore[attr-defined]
    page = client.get(f"/verify/{token}")
    assert page.status_code == 200 and "your email address is confirmed" in page.text


def test_a_failing_mail_server_is_tried_again_later_then_given_up(
    moody: tuple[Moody, int], caplog: pytest.LogCaptureFixture
) -> None:
    mail, port = moody
    store = MemoryStore()
    accounts.sign_up(store.unit_of_work(), "ben", "ben@seaside.example", "ben by the sea",
                     mode="open")
    mailer = Mailer(f"smtp://127.0.0.1:{port}", "pool@seaside.example", base_url=SITE)
    start = datetime.now(UTC)
    mail.refusals = 1
    assert outbox.drain(store.unit_of_work(), mailer.send, now=start) == outbox.Drained(
        retrying=1)
    assert mail.messages == []
    # not yet due: nothing is tried
    assert outbox.drain(store.unit_of_work(), mailer.send, now=start) == outbox.Drained()
    later = start + timedelta(minutes=1)
    assert outbox.drain(store.unit_of_work(), mailer.send, now=later) == outbox.Drained(sent=1)
    (arrived,) = mail.to("ben@seaside.example")
    assert arrived["Subject"] == "Confirm your email address"

    password_reset.request_reset(store.unit_of_work(), "ben@seaside.example", now=later)
    mail.refusals = MAX_TRIES
    moment, pauses = later, []
    with caplog.at_level(logging.ERROR, logger="peerconomy.services.outbox"):
        for _ in range(MAX_TRIES):
            with store.unit_of_work() as uow:
                (waiting,) = [m for m in uow.mail.outbox() if m.sent_at is None
                              and m.failed_at is None]
            pauses.append(waiting.next_try_at - moment)
            moment = waiting.next_try_at
            outbox.drain(store.unit_of_work(), mailer.send, now=moment)
    with store.unit_of_work() as uow:
        given_up = uow.mail.outbox()[-1]
    assert given_up.tries == MAX_TRIES and given_up.failed_at == moment
    assert given_up.notice == ""  # the reset link is not kept
    assert "451" in given_up.last_error
    assert pauses[1:4] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert f"gave up on mail {given_up.id} to ben@seaside.example" in caplog.text
    assert len(mail.to("ben@seaside.example")) == 1


def test_of_two_messages_the_one_refused_is_tried_again_and_the_other_goes_out(
    moody: tuple[Moody, int]
) -> None:
    mail, port = moody
    store = MemoryStore()
    for name in ("ana", "ben"):
        accounts.sign_up(store.unit_of_work(), name, f"{name}@seaside.example",
                         f"{name} by the sea", mode="open")
    mailer = Mailer(f"smtp://127.0.0.1:{port}", "pool@seaside.example", base_url=SITE)
    mail.refusals = 1
    now = datetime.now(UTC)
    assert outbox.drain(store.unit_of_work(), mailer.send, now=now) == outbox.Drained(
        sent=1, retrying=1)
    assert [m["To"] for m in mail.messages] == ["ben@seaside.example"]
    assert outbox.drain(store.unit_of_work(), mailer.send, now=now + timedelta(minutes=1)
                        ) == outbox.Drained(sent=1)
    assert [m["To"] for m in mail.messages] == ["ben@seaside.example", "ana@seaside.example"]


def test_mail_queued_while_the_server_is_stopped_goes_out_when_it_starts(
    moody: tuple[Moody, int], tmp_path: Path
) -> None:
    mail, port = moody
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    store = open_store(url)
    try:  # the command line, say, with no server running
        accounts.sign_up(store.unit_of_work(), "ben", "ben@seaside.example",
                         "ben by the sea", mode="open")
        with store.unit_of_work() as uow:
            assert [m.recipient for m in uow.mail.due(datetime.now(UTC), 10)] == [
                "ben@seaside.example"]
        with TestClient(create_app(store, settings_for(port), pages=False)):
            waited = 0.0
            while not mail.messages and waited < 30:  # the server's own thread sends it
                time.sleep(0.05)
                waited += 0.05
        assert [m["Subject"] for m in mail.to("ben@seaside.example")] == [
            "Confirm your email address"]
        with store.unit_of_work() as uow:
            (sent,) = uow.mail.outbox()
        assert sent.sent_at is not None and sent.notice == ""
    finally:
        store.close()


def test_without_a_mail_server_queued_mail_is_given_up_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = MemoryStore()
    accounts.sign_up(store.unit_of_work(), "ben", "ben@seaside.example", "ben by the sea",
                     mode="open")
    with caplog.at_level(logging.ERROR, logger="peerconomy.services.outbox"):
        assert outbox.drain(store.unit_of_work(), None) == outbox.Drained(given_up=1)
    assert "no mail server is set up" in caplog.text

