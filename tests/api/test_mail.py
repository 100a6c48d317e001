"""Email notices of the seaside flats, caught by a local SMTP server in the test process;
each member reads them in the language their account says."""

from __future__ import annotations

import doctest
import re
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient
from seaside import FLATS, Headers, sign_up

from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
from peerconomy.mailer import Mailer, language_of
from peerconomy.services import notices
from peerconomy.services.notices import N_, Notice, text
from peerconomy.store.memory import MemoryStore
from smtp_inbox import Inbox, receiving

POOL = "/api/v1/pools/seaside"


def _body(message: EmailMessage) -> str:
    """The text of a message as it was written (SMTP carries its lines with CRLF)."""
    content: str = message.get_content()
    return content.replace("\r\n", "\n")


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with receiving(handler) as port:
        yield handler, port


def verify_everyone(client: TestClient, mail: Inbox) -> None:
    """Follow the link of every verification mail sent so far (and forget those mails)."""
    client.app.state.outbox.flush()  # type: ignore[attr-defined]
    for message in [m for m in mail.messages if m["Subject"] == "Confirm your email address"]:
        found = re.search(r"https://seaside\.example/verify/(\S+)", _body(message))
        assert found is not None
        answer = client.post(f"/api/v1/auth/verify-email/{found.group(1)}")
        assert answer.status_code == 200 and answer.json()["email_verified"], answer.text
    mail.messages.clear()


@pytest.fixture
def seaside_by_mail(
    inbox: tuple[Inbox, int],
) -> Iterator[tuple[TestClient, dict[str, Headers]]]:
    """The seaside pool with notices on: ana coordinates, ben offers to do the stairs."""
    settings = AppSettings(
        secret_key="k",
        signup="open",
        smtp_url=f"smtp://127.0.0.1:{inbox[1]}",
        mail_from="pool@seaside.example",
        base_url="https://seaside.example",
    )
    with TestClient(create_app(MemoryStore(), settings, pages=False)) as client:
        people = {name: sign_up(client, name) for name in ("root", "ana", "ben")}
        verify_everyone(client, inbox[0])
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
    client.app.state.outbox.flush()  # type: ignore[attr-defined]

    (cleared,) = mail.to("ben@seaside.example")
    assert cleared["Subject"] == "[seaside] Period 1 is cleared"
    assert cleared["From"] == "pool@seaside.example"
    assert cleared["Content-Language"] == "en"
    text = _body(cleared)
    assert "stairs: 4.00 h" in text
    assert "https://seaside.example/pools/seaside" in text
    to_ana = [m["Subject"] for m in mail.to("ana@seaside.example")]
    assert to_ana == ["[seaside] Period 1 is cleared",
                      "[seaside] ben's work awaits confirmation"]
    assert mail.to("root@seaside.example") == []  # not in the pool

    client.post(f"{POOL}/period/settle", headers=ana)
    client.app.state.outbox.flush()  # type: ignore[attr-defined]
    assert mail.to("ben@seaside.example")[-1]["Subject"] == "[seaside] Period 2 is open"


def test_without_a_mail_server_configured_nothing_is_sent(client: TestClient) -> None:
    assert client.app.state.mailer is None  # type: ignore[attr-defined]


def test_the_reset_email_speaks_the_language_of_the_account(
    inbox: tuple[Inbox, int], seaside_by_mail: tuple[TestClient, dict[str, Headers]]
) -> None:
    mail, _ = inbox
    client, people = seaside_by_mail
    flush = client.app.state.outbox.flush  # type: ignore[attr-defined]
    assert client.patch("/api/v1/me", json={"locale": "de"}, headers=people["ben"]
                        ).status_code == 200
    for who in ("ben", "ana"):
        answer = client.post("/api/v1/auth/password-reset",
                             json={"email": f"{who}@seaside.example"})
        assert answer.status_code == 202
    flush()

    (german,) = mail.to("ben@seaside.example")
    assert german["Subject"] == "Dein Passwort zurücksetzen"
    assert german["Content-Language"] == "de"
    said = _body(german)
    assert said.startswith("Hallo ben,\n")
    assert "Wähle hier ein neues Passwort:\nhttps://seaside.example/reset/" in said
    assert "Der Link funktioniert einmal, bis " in said
    (english,) = mail.to("ana@seaside.example")
    assert english["Subject"] == "Reset your password"
    assert "Choose a new password here:\nhttps://seaside.example/reset/" in _body(english)


def test_a_member_who_speaks_german_gets_german_notices(
    inbox: tuple[Inbox, int], seaside_by_mail: tuple[TestClient, dict[str, Headers]]
) -> None:
    mail, _ = inbox
    client, people = seaside_by_mail
    ana, ben = people["ana"], people["ben"]
    flush = client.app.state.outbox.flush  # type: ignore[attr-defined]
    assert client.patch("/api/v1/me", json={"locale": "de"}, headers=ben).status_code == 200
    client.post(f"{POOL}/period/clear", headers=ana)
    client.post(f"{POOL}/work", json={"task": "stairs", "hours": 3}, headers=ben)
    flush()

    (cleared,) = mail.to("ben@seaside.example")
    assert cleared["Subject"] == "[seaside] Der Plan für Periode 1 steht"
    assert cleared["Content-Language"] == "de"
    said = _body(cleared)
    assert "Der Plan für Periode 1 im Pool seaside ist berechnet." in said
    assert "Deine Zuteilungen:\n  - stairs: 4,00 h zum Gewicht 1,00\n" in said
    assert "Dein Anteil an der Arbeit der Periode:" in said
    assert "Meine Periode: https://seaside.example/pools/seaside" in said
    to_ana = mail.to("ana@seaside.example")
    assert [m["Subject"] for m in to_ana] == ["[seaside] Period 1 is cleared",
                                              "[seaside] ben's work awaits confirmation"]
    assert "ben logged 3.00 h of stairs" in _body(to_ana[1])

    assert client.patch("/api/v1/me", json={"locale": "de"}, headers=ana).status_code == 200
    client.post(f"{POOL}/work", json={"task": "stairs", "hours": 1}, headers=ben)
    flush()
    awaits = mail.to("ana@seaside.example")[-1]
    assert awaits["Subject"] == "[seaside] Arbeit von ben wartet auf Bestätigung"
    assert "ben hat 1,00 h für stairs im Pool seaside eingetragen." in _body(awaits)

    client.post(f"{POOL}/period/settle", headers=ana)
    flush()
    opened = mail.to("ben@seaside.example")[-1]
    assert opened["Subject"] == "[seaside] Periode 2 ist offen"
    assert "Aufgaben: https://seaside.example/pools/seaside/tasks" in _body(opened)


@pytest.mark.parametrize(
    ("locale", "language"),
    [("", "en"), ("en", "en"), ("de", "de"), ("de-AT", "de"), ("de_CH", "de"),
     ("DE", "de"), ("fr", "en"), ("klingon", "en")],
)
def test_a_notice_is_written_in_the_nearest_language_the_site_speaks(
    locale: str, language: str
) -> None:
    assert language_of(locale) == language


def test_the_mailer_writes_each_notice_with_its_reader_s_catalog() -> None:
    asked: list[str] = []

    def catalog(lang: str) -> notices.Gettext:
        asked.append(lang)
        german = {"[%(pool)s] Period %(number)s is open": "[%(pool)s] Periode %(number)s offen",
                  "%(task)s: %(hours)s h at weight %(weight)s": "%(task)s: %(hours)s h zu"
                  " %(weight)s"}
        return lambda message: german.get(message, message)

    mailer = Mailer("smtp://127.0.0.1", "pool@seaside.example", translations=catalog)
    notice = Notice("ben@seaside.example",
                    text(N_("[%(pool)s] Period %(number)s is open"), pool="sea", number=2),
                    ((text(N_("%(task)s: %(hours)s h at weight %(weight)s"),
                           task="stairs", hours=1234.5, weight=1.0),), (), ("as is",)),
                    locale="de-AT")
    message = mailer.message(notice)
    assert asked == ["de"]
    assert message["Subject"] == "[sea] Periode 2 offen"
    assert message["Content-Language"] == "de"
    assert message.get_content() == "stairs: 1.234,50 h zu 1,00\n\nas is\n"


def test_the_notices_module_s_examples_hold() -> None:
    assert doctest.testmod(notices).failed == 0
