"""Hostile bytes at every door, on SQLite and PostgreSQL: text with a NUL or a lone surrogate,
``NaN`` and ``Infinity`` in JSON, numbers beyond what the store holds. Each is a refusal
that names where the bad input is (422, or 404 for a path that can name nothing), never a
server error, never an echo of the input, and nothing is stored.

The seaside flats are made through the API (ana coordinates); the database is backed up
before each hostile request and compared with a backup after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from seaside import FLATS, Headers, sign_up

from fakes import quick_hashing
from peerconomy.asgi import create_app
from peerconomy.http.inputs import Refusal, bad_text, refused
from peerconomy.http.settings import AppSettings
from peerconomy.store.backup import backup
from peerconomy.store.sql import open_store, scoped_schema
from postgres_url import POSTGRES_URL, POSTGRESQL

BIG = 2**70
"""Beyond SQLite's 64-bit integers (and PostgreSQL's)."""
LARGE = 2**31
"""Beyond PostgreSQL's INTEGER columns, within SQLite's."""


class Site:
    """The app on a SQL store with the seaside flats; ana's token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.store = open_store(url)
        self.app = create_app(self.store, AppSettings(signup="open", secret_key="hostile key"))
        self.client = TestClient(self.app, follow_redirects=False,
                                 raise_server_exceptions=False)
        self.ana: Headers = {}

    def populate(self) -> None:
        client = self.client
        sign_up(client, "root")
        self.ana = sign_up(client, "ana")
        sign_up(client, "ben")
        assert client.post("/api/v1/pools", json={"name": "seaside"},
                           headers=self.ana).status_code == 201
        assert client.post("/api/v1/pools/seaside/projects", json=FLATS,
                           headers=self.ana).status_code == 201

    def stored(self) -> dict[str, Any]:
        """What the database holds, less what reading it changes (a token's last use)."""
        document = backup(self.url)
        document.pop("created_at", None)
        tables = document.get("tables", document)
        for volatile in ("api_tokens", "tokens", "sessions"):
            if isinstance(tables, dict):
                tables.pop(volatile, None)
        if isinstance(tables, dict) and "outbox" in tables:
            # the server's mail thread sends (or gives up on) queued mail on its own: which
            # mail was queued, to whom, is compared; how its sending went is not
            tables["outbox"] = [{k: row[k] for k in ("id", "recipient", "created_at")}
                                for row in tables["outbox"]]
        return document


@pytest.fixture(scope="module", autouse=True)
def quick_password_hashing() -> Iterator[None]:
    """Argon2 at its least cost (the hashing is not what these tests are about)."""
    with quick_hashing():
        yield


@pytest.fixture(scope="module", params=["sqlite", POSTGRESQL])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    """The seaside on a database of each kind, made once for the module."""
    if request.param == "sqlite":
        folder: Path = tmp_path_factory.mktemp("hostile")
        made = Site(f"sqlite:///{folder / 'peerconomy.sqlite3'}")
        with made.client:
            made.populate()
            yield made
        made.store.close()
        return
    with scoped_schema(POSTGRES_URL, "peerconomy_hostile") as url:
        made = Site(url)
        with made.client:
            made.populate()
            yield made
        made.store.close()


def refused_whole(site: Site, method: str, path: str, *, status: int = 422,
                  **sent: Any) -> Any:
    """Send the request; it must be refused with ``status`` and change nothing stored."""
    before = site.stored()
    answer = site.client.request(method, path, headers=sent.pop("headers", site.ana), **sent)
    assert answer.status_code == status, answer.text
    assert site.stored() == before
    answer.content.decode("utf-8")  # the answer itself is valid UTF-8
    assert "\x00" not in answer.text
    return answer


# JSON bodies

HOSTILE_BODIES = [
    # (method, path, raw JSON body, where the refusal points)
    ("POST", "/api/v1/pools/seaside/wishes",
     '{"id": "w\\u0000", "alternatives": [{"good": "guest-bed"}]}', ["body", "id"]),
    ("POST", "/api/v1/pools/seaside/wishes",
     '{"id": "w", "alternatives": [{"good": "guest\\ud800bed"}]}',
     ["body", "alternatives", 0, "good"]),
    ("PUT", "/api/v1/pools/seaside/offers/stairs", '{"hours": NaN}', ["body", "hours"]),
    ("PUT", "/api/v1/pools/seaside/offers/stairs", '{"hours": Infinity}', ["body", "hours"]),
    ("PUT", "/api/v1/pools/seaside/offers/stairs", '{"hours": 1, "min_weight": -Infinity}',
     ["body", "min_weight"]),
    ("POST", "/api/v1/pools", '{"name": "\\udfff"}', ["body", "name"]),
    ("POST", "/api/v1/pools", '{"name\\u0000": "x"}', ["body"]),
    ("POST", "/api/v1/pools/seaside/projects",
     json.dumps({**FLATS, "id": "boats", "tasks": [{"id": "row\x00", "project": "boats"}]}),
     ["body", "tasks", 0, "id"]),
    ("POST", "/api/v1/auth/signup",
     '{"name": "ben\\u0000", "email": "b@x.example", "password": "long enough"}',
     ["body", "name"]),
]


@pytest.mark.parametrize(("method", "path", "body", "loc"), HOSTILE_BODIES)
def test_hostile_text_in_a_json_body_is_refused_naming_the_field(
        site: Site, method: str, path: str, body: str, loc: list[str | int]) -> None:
    answer = refused_whole(site, method, path, content=body.encode(),
                           headers={**site.ana, "Content-Type": "application/json"})
    [problem] = answer.json()["errors"]
    assert problem["loc"] == loc
    assert "input" not in problem
    assert "\\ud800" not in answer.text and "\\udfff" not in answer.text


def test_hostile_text_in_a_body_without_a_content_type_is_refused_too(site: Site) -> None:
    answer = refused_whole(site, "POST", "/api/v1/pools", content=b'{"name": "a\\u0000"}')
    assert answer.json()["errors"][0]["loc"] == ["body", "name"]


def test_a_refusal_by_the_schema_never_echoes_the_input(site: Site) -> None:
    sent = {"name": "seaside2", "max_weight": "<b>\u00e9 not a number</b>"}
    answer = refused_whole(site, "POST", "/api/v1/pools", json=sent)
    [problem] = answer.json()["errors"]
    assert problem["loc"] == ["body", "max_weight"]
    assert "input" not in problem and "not a number" not in answer.text


# query, path, headers and forms


@pytest.mark.parametrize(("path", "loc"), [
    ("/api/v1/pools/seaside/ledger/statement?participant=ben%00", ["query", "participant"]),
    ("/api/v1/pools/seaside/ledger/statement?participant=b%ED%A0%80n", ["query"]),
    ("/api/v1/pools/sea%00side", ["path"]),
    ("/api/v1/pools/sea%ED%A0%80side", ["path"]),
    ("/api/v1/pools/seaside/wishes/w%00", ["path"]),
])
def test_hostile_text_in_the_query_or_path_is_refused(site: Site, path: str,
                                                      loc: list[str]) -> None:
    method = "DELETE" if "/wishes/" in path else "GET"
    answer = refused_whole(site, method, path)
    assert answer.json()["errors"][0]["loc"] == loc


def test_a_nul_in_a_header_is_refused() -> None:
    # clients will not send one; a raw connection can
    assert refused("/api/v1/me", None, b"",
                   [(b"authorization", b"Bearer pct_x\x00y")]) == Refusal(
        ("header", "authorization"), "holds a NUL character")


def test_a_nul_in_a_form_field_is_refused_on_the_sign_in_page(site: Site) -> None:
    # anonymous, as an attacker would: PostgreSQL cannot even look such a login up
    client = TestClient(site.app, follow_redirects=False, raise_server_exceptions=False)
    before = site.stored()
    answer = client.post("/signin", data={"login": "ben\x00", "password": "whatever it is",
                                          "csrf_token": "x", "next": "/"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "login" in answer.text
    assert site.stored() == before


MULTIPART = (b'--xyz\r\nContent-Disposition: form-data; name="login"\r\n\r\nben\x00\r\n'
             b'--xyz\r\nContent-Disposition: form-data; name="members"; filename="m.csv"\r\n'
             b"Content-Type: text/csv\r\n\r\nid\x00\r\n--xyz--\r\n")


@pytest.mark.parametrize(("body", "content_type", "found"), [
    (b"login=ben%00", "application/x-www-form-urlencoded",
     Refusal(("body", "login"), "holds a NUL character")),
    (b"login=b%ED%A0%80", "application/x-www-form-urlencoded",
     Refusal(("body",), "is not valid UTF-8")),
    (b'{"a": [1, {"b": NaN}]}', "application/json; charset=utf-8",
     Refusal(("body", "a", 1, "b"), "is not a finite number (NaN and Infinity are not JSON)")),
    (b"[" * 100_000 + b"]" * 100_000, "application/json",
     Refusal(("body",), "is nested too deeply")),
    (MULTIPART, "multipart/form-data; boundary=xyz",
     Refusal(("body", "login"), "holds a NUL character")),
    (MULTIPART.replace(b"ben\x00", b"ben"), "multipart/form-data; boundary=xyz",
     None),  # an uploaded file is its reader's to check
    (b'{"a": "\\u0000"}', "text/plain", None),  # not read as JSON by anyone
    (b'{"a": "fine", "b": [1.5, null, true]}', "application/json", None),
])
def test_bad_text_is_found_wherever_it_is(body: bytes, content_type: str,
                                          found: Refusal | None) -> None:
    assert bad_text(body, content_type) == found


# numbers beyond the store


@pytest.mark.parametrize("number", [BIG, LARGE, -1, 0])
def test_a_path_number_beyond_the_store_names_nothing(site: Site, number: int) -> None:
    refused_whole(site, "GET", f"/api/v1/pools/seaside/periods/{number}/plan", status=404)
    refused_whole(site, "POST", f"/api/v1/pools/seaside/work/{number}/confirm", status=404)
    refused_whole(site, "POST", f"/api/v1/pools/seaside/periods/{number}/close", status=404)


@pytest.mark.parametrize("number", [BIG, LARGE])
def test_a_query_number_beyond_the_store_is_refused(site: Site, number: int) -> None:
    for path in (f"/api/v1/pools/seaside/audit?before={number}",
                 f"/api/v1/pools/seaside/ledger/statement?participant=ana&period={number}",
                 f"/api/v1/pools/seaside/members/ben?version={number}"):
        method = "DELETE" if "/members/" in path else "GET"
        answer = refused_whole(site, method, path)
        assert answer.json()["errors"][0]["loc"][0] == "query"


@pytest.mark.parametrize("number", [BIG, LARGE])
def test_a_body_number_beyond_the_store_is_refused(site: Site, number: int) -> None:
    answer = refused_whole(site, "PUT", "/api/v1/pools/seaside/offers/stairs",
                           json={"hours": 1, "period": number})
    assert answer.json()["errors"][0]["loc"] == ["body", "period"]
    answer = refused_whole(site, "PATCH", "/api/v1/pools/seaside",
                           json={"public": True, "version": number})
    assert answer.json()["errors"][0]["loc"] == ["body", "version"]


def test_a_page_number_beyond_the_store_is_refused(site: Site) -> None:
    answer = refused_whole(site, "GET", f"/pools/seaside/audit?before={BIG}", headers={})
    assert answer.headers["content-type"].startswith("text/html")
