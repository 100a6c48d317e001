"""The same steps taken from the pages, the API and the command line queue the same notices:
the services record what happened and the message bus queues the notices, so no door knows
about mail. The workshop (examples/workshop.json) clears, ben logs work that awaits
confirmation, and the period is settled, once through each door, each on a SQLite file of
its own; the outboxes then hold the same messages. So too when ana invites dora, a member
nobody has claimed yet whose email the pool has."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from browsing import Browser, clear
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from peerconomy.asgi import create_app
from peerconomy.bootstrap import open_store
from peerconomy.cli import app as cli
from peerconomy.domain.pool import Member
from peerconomy.domain.scenario import parse_scenario
from peerconomy.http.settings import AppSettings
from peerconomy.services import accounts, lookup, membership, pools
from peerconomy.services.notices import Notice
from peerconomy.services.ports import Store

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"
POOL = "workshop"
PEOPLE = ("ana", "ben", "chiara")
PASSWORD = "a password by the bench"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DORA = Member("dora", display_name="Dora", email="dora@workshop.example")
Door = Callable[[Store, str], None]


def workshop(url: str) -> tuple[Store, int]:
    """The workshop on a new database: ana coordinates, ana, ben and chiara have accounts
    with verified emails; and the last outbox id before the steps."""
    store = open_store(url)
    new = store.unit_of_work
    pools.import_scenario(new(), POOL, parse_scenario(json.loads(WORKSHOP.read_text())),
                          coordinators=["ana"])
    for name in PEOPLE:
        accounts.sign_up(new(), name, f"{name}@workshop.example", PASSWORD, mode="open", now=AT)
        with new() as uow:
            uow.accounts.put_user(replace(lookup.user(uow, name), email_verified_at=AT))
            uow.commit()
        membership.link_member(new(), POOL, name, name)
    with new() as uow:
        return store, max(m.id for m in uow.mail.outbox())


def through_the_api(store: Store, _url: str) -> None:
    client = TestClient(create_app(store, AppSettings(secret_key="k"), pages=False))

    def headers(name: str) -> dict[str, str]:
        answer = client.post("/api/v1/auth/tokens",
                             json={"login": name, "password": PASSWORD, "label": "door"})
        assert answer.status_code == 201, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    ana, ben = headers("ana"), headers("ben")
    base = f"/api/v1/pools/{POOL}"
    for path, body, who in ((f"{base}/period/clear", None, ana),
                            (f"{base}/work", {"task": "paint", "hours": 4}, ben),
                            (f"{base}/period/settle", None, ana)):
        answer = client.post(path, json=body, headers=who)
        assert answer.status_code in (200, 201), answer.text


def through_the_pages(store: Store, _url: str) -> None:
    site = create_app(store, AppSettings(secret_key="k"))
    ana, ben = signed_in(site, "ana"), signed_in(site, "ben")
    clear(ana, POOL)
    ben.submit(f"/pools/{POOL}/work", {"task": "paint", "hours": "4"}, form_on=f"/pools/{POOL}")
    ana.submit(f"/pools/{POOL}/period/settle", form_on=f"/pools/{POOL}/period")


def through_the_command_line(_store: Store, url: str) -> None:
    for args in (["period", "clear"],
                 ["work", "log", "--participant", "ben", "--task", "paint", "--hours", "4"],
                 ["period", "settle"]):
        result = CliRunner().invoke(cli, [*args, "--pool", POOL, "--db", url])
        assert result.exit_code == 0, result.output


def signed_in(site: FastAPI, name: str) -> Browser:
    """A browser on the pages of ``site``, signed in as ``name``."""
    browser = Browser(TestClient(site, follow_redirects=False))
    browser.submit("/signin", {"login": name, "password": PASSWORD, "next": "/"},
                   form_on="/signin")
    return browser


def inviting_through_the_api(store: Store, _url: str) -> None:
    client = TestClient(create_app(store, AppSettings(secret_key="k"), pages=False))
    token = client.post("/api/v1/auth/tokens",
                        json={"login": "ana", "password": PASSWORD, "label": "door"})
    answer = client.post(f"/api/v1/pools/{POOL}/invitations", json={"member": "dora"},
                         headers={"Authorization": f"Bearer {token.json()['token']}"})
    assert answer.status_code == 201, answer.text


def inviting_through_the_pages(store: Store, _url: str) -> None:
    ana = signed_in(create_app(store, AppSettings(secret_key="k")), "ana")
    ana.submit(f"/pools/{POOL}/invitations", {"member": "dora", "role": "member", "days": "14"},
               form_on=f"/pools/{POOL}/period")


def inviting_through_the_command_line(_store: Store, url: str) -> None:
    result = CliRunner().invoke(cli, ["member", "invite", "dora", "--pool", POOL, "--db", url])
    assert result.exit_code == 0, result.output


def queued(door: Door, folder: Path, *, members: tuple[Member, ...] = ()
           ) -> list[tuple[str, Notice]]:
    """The messages the steps queued when taken through ``door`` (``members`` added to the
    workshop first): to whom, and what, the code of an invitation's link left out (each
    invitation has its own)."""
    url = f"sqlite:///{folder / 'pool.sqlite3'}"
    store, before = workshop(url)
    for member in members:
        pools.add_member(store.unit_of_work(), POOL, member, actor="ana")
    door(store, url)
    with store.unit_of_work() as uow:
        return [(m.recipient,
                 Notice.from_json(re.sub(r"/invitations/[\w.-]+", "/invitations/CODE",
                                         m.notice)))
                for m in uow.mail.outbox() if m.id > before]


def test_a_step_queues_the_same_notices_whichever_door_it_came_through(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    api, pages, command_line = (
        queued(door, tmp_path_factory.mktemp(door.__name__))
        for door in (through_the_api, through_the_pages, through_the_command_line)
    )
    subjects = [(to, notice.subject.written()) for to, notice in api]
    assert subjects == [
        *((f"{who}@workshop.example", "[workshop] Period 1 is cleared") for who in PEOPLE),
        ("ana@workshop.example", "[workshop] ben's work awaits confirmation"),
        ("chiara@workshop.example", "[workshop] ben's work awaits confirmation"),
        *((f"{who}@workshop.example", "[workshop] Period 2 is open") for who in PEOPLE),
    ]
    assert pages == api
    assert command_line == api


def test_an_invitation_is_mailed_whichever_door_it_was_made_through(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    api, pages, command_line = (
        queued(door, tmp_path_factory.mktemp(door.__name__), members=(DORA,))
        for door in (inviting_through_the_api, inviting_through_the_pages,
                     inviting_through_the_command_line)
    )
    ((to, notice),) = api
    assert (to, notice.subject.written()) == (
        "dora@workshop.example", "[workshop] You are invited to pool workshop")
    assert "/invitations/CODE" in notice.to_json()
    assert pages == api
    assert command_line == api
