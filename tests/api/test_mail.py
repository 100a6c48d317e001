"""Email notices of the seaside flats, caught by a local SMTP server in the test process."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from seaside import FLATS, Headers, sign_up

from peerconomy.api import AppSettings, create_app
from peerconomy.store.memory import MemoryStore

POOL = "/api/v1/pools/seaside"


class Inbox:
    """An aiosmtpd handler that keeps every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def seaside_by_mail(
    inbox: tuple[Inbox, int],
) -> Iterator[tuple[TestClient, dict[str, Headers]]]:
    """The seaside pool with notices on: ana coordinates, ben offers to do the stairs."""
    settings = AppSettings(
        secret_key="k",
        smtp_url=f"smtp://127.0.0.1:{inbox[1]}",
        mail_from="pool@seaside.example",
        base_url="https://seaside.example",
    )
    with TestClient(create_app(MemoryStore(), settings, pages=False)) as client:
        people = {name: sign_up(client, name) for name in ("root", "ana", "ben")}
        ana, ben = people["ana"], people["ben"]
        client.post("/api/v1/pools", json={"name": "seaside"}, headers=ana)
        client.post(f"{POOL}/projects", json=FLATS, headers=ana)
        code = client.post(f"{POOL}/invitations", json={}, headers=ana).json()["code"]
        client.post(f"/api/v1/invitations/{code}/accept", headers=ben)
        client.put(f"{POOL}/offers/stairs", json={"hours": 4}, headers=ben)
        client.put(f"{POOL}/offers/garden", json={"hours": 2}, headers=ana)
        yield client, people


def test_members_hear_of_the_plan_the_work_to_confirm_and_the_next_period(
    inbox: tuple[Inbox, int], seaside_by_mail: tuple[TestClient, dict[str, Headers]]
) -> None:
    mail, _ = inbox
    client, people = seaside_by_mail
    ana, ben = people["ana"], people["ben"]
    client.post(f"{POOL}/period/clear", headers=ana)
    client.post(f"{POOL}/work", json={"task": "stairs", "hours": 4}, headers=ben)
    client.app.state.mailer.flush()  # type: ignore[attr-defined]

    (cleared,) = mail.to("ben@seaside.example")
    assert cleared["Subject"] == "[seaside] Period 1 is cleared"
    assert cleared["From"] == "pool@seaside.example"
    text = cleared.get_payload()
    assert "stairs: 4.00 h" in text
    assert "https://seaside.example/pools/seaside" in text
    to_ana = [m["Subject"] for m in mail.to("ana@seaside.example")]
    assert to_ana == ["[seaside] Period 1 is cleared",
                      "[seaside] ben's work awaits confirmation"]
    assert mail.to("root@seaside.example") == []  # not in the pool

    client.post(f"{POOL}/period/settle", headers=ana)
    client.app.state.mailer.flush()  # type: ignore[attr-defined]
    assert mail.to("ben@seaside.example")[-1]["Subject"] == "[seaside] Period 2 is open"


def test_without_a_mail_server_configured_nothing_is_sent(client: TestClient) -> None:
    assert client.app.state.mailer is None  # type: ignore[attr-defined]
