"""Idempotency keys on the API's POSTs: a retried request gets its first answer again and is
not done twice; a key is the caller's own, kept a day, and never reused for another request.

The seaside flats (``conftest.py``): ben is a member, ana coordinates.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from seaside import Headers

from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
from peerconomy.services import accounts, collecting
from peerconomy.store.memory import MemoryStore

POOL = "/api/v1/pools/seaside"
GUESTS = {"id": "ben-more-guests", "alternatives": [{"good": "guest-bed"}]}


def wishes_of(client: TestClient, who: Headers) -> list[str]:
    return [w["id"] for w in client.get(f"{POOL}/wishes", headers=who).json()]


def test_a_retried_wish_is_made_once_and_gets_the_first_answer_again(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben = {**people["ben"], "Idempotency-Key": "3f1c8a52-wish"}
    first = client.post(f"{POOL}/wishes", json=GUESTS, headers=ben)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    again = client.post(f"{POOL}/wishes", json=GUESTS, headers=ben)
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["content-type"] == "application/json"
    assert wishes_of(client, ben).count("ben-more-guests") == 1


def test_logged_work_retried_is_logged_once(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana, ben = people["ana"], people["ben"]
    assert client.post(f"{POOL}/period/clear", headers=ana).status_code == 200
    keyed = {**ben, "Idempotency-Key": "work-1"}
    answers = [client.post(f"{POOL}/work", json={"task": "stairs", "hours": 1}, headers=keyed)
               for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert len(client.get(f"{POOL}/work", headers=ben).json()) == 1


def test_a_key_used_for_another_request_is_refused_and_changes_nothing(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben = {**people["ben"], "Idempotency-Key": "k1"}
    assert client.post(f"{POOL}/wishes", json=GUESTS, headers=ben).status_code == 201
    before = wishes_of(client, ben)
    other = client.post(f"{POOL}/wishes", json={**GUESTS, "id": "ben-sea"}, headers=ben)
    assert other.status_code == 422
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert "'k1' was used for another request in the last day" in other.json()["errors"][0][
        "msg"]
    assert wishes_of(client, ben) == before


def test_a_refused_request_did_nothing_so_its_key_may_be_used_again(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben = {**people["ben"], "Idempotency-Key": "k2"}
    refused = client.post(f"{POOL}/wishes", headers=ben,
                          json={"id": "yacht", "alternatives": [{"good": "yacht"}]})
    assert refused.status_code == 422
    made = client.post(f"{POOL}/wishes", json=GUESTS, headers=ben)
    assert made.status_code == 201
    assert "Idempotent-Replayed" not in made.headers


def test_keys_are_each_callers_own(client: TestClient, people: dict[str, Headers]) -> None:
    for name in ("ana", "ben"):
        answer = client.post(f"{POOL}/wishes", json={**GUESTS, "id": f"{name}-beds"},
                             headers={**people[name], "Idempotency-Key": "same"})
        assert answer.status_code == 201
        assert "Idempotent-Replayed" not in answer.headers


def test_a_key_is_kept_a_day(
    client: TestClient, people: dict[str, Headers], store: MemoryStore
) -> None:
    ben = {**people["ben"], "Idempotency-Key": "daily"}
    assert client.post(f"{POOL}/wishes", json=GUESTS, headers=ben).status_code == 201
    client.app.state.clock = lambda: datetime.now(UTC) + timedelta(hours=25)  # type: ignore[attr-defined]
    try:
        later = client.post(f"{POOL}/wishes", json={**GUESTS, "id": "ben-later"}, headers=ben)
    finally:
        del client.app.state.clock  # type: ignore[attr-defined]
    assert later.status_code == 201
    assert {"ben-more-guests", "ben-later"} <= set(wishes_of(client, ben))
    assert len(store.state.answers) == 1  # the day-old answer is gone


@pytest.mark.parametrize("key", ["", " padded ", "x" * 256, "naïve".encode(), "tab\there"])
def test_a_malformed_key_is_refused_by_name(
    client: TestClient, people: dict[str, Headers], key: str | bytes
) -> None:
    headers: dict[str, str | bytes] = {**people["ben"], "Idempotency-Key": key}
    answer = client.post(f"{POOL}/wishes", json=GUESTS, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert "ben-more-guests" not in wishes_of(client, people["ben"])


def test_an_answer_with_a_secret_is_never_kept(
    client: TestClient, people: dict[str, Headers], store: MemoryStore
) -> None:
    keyed = {**people["ana"], "Idempotency-Key": "secrets"}
    first = client.post(f"{POOL}/invitations", json={}, headers=keyed)
    second = client.post(f"{POOL}/invitations", json={}, headers=keyed)
    assert first.json()["code"] != second.json()["code"]
    token = client.post("/api/v1/auth/tokens", headers=keyed, json={
        "login": "ana", "password": "ana by the sea", "label": "laptop"})
    assert token.status_code == 201
    assert store.state.answers == {}


def test_the_schema_declares_the_key_only_where_it_counts(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    def takes_key(path: str) -> bool:
        return any(p["name"] == "Idempotency-Key"
                   for p in paths[path]["post"].get("parameters", []))

    assert takes_key("/api/v1/pools/{pool}/wishes")
    assert takes_key("/api/v1/pools/{pool}/work")
    assert not takes_key("/api/v1/me/tokens")
    assert not takes_key("/api/v1/auth/signup")
    assert not takes_key("/api/v1/pools/{pool}/invitations")


def test_a_request_that_failed_unexpectedly_is_never_run_again_under_its_key(
    store: MemoryStore, people: dict[str, Headers], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The step may have been done before the failure: a retry is told so (409), not run."""
    app = create_app(store, AppSettings(signup="open", secret_key="seaside test key"), pages=False)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    ben = {**people["ben"], "Idempotency-Key": "fails"}
    with TestClient(app, raise_server_exceptions=False) as client:
        monkeypatch.setattr(collecting, "make_wish", broken)
        assert client.post(f"{POOL}/wishes", json=GUESTS, headers=ben).status_code == 500
        monkeypatch.undo()
        retry = client.post(f"{POOL}/wishes", json=GUESTS, headers=ben)
        assert retry.status_code == 409
        assert "still being handled, or was cut off" in retry.json()["detail"]
        assert "ben-more-guests" not in wishes_of(client, ben)


def test_the_caller_of_a_keyed_request_is_found_once(
    client: TestClient, people: dict[str, Headers], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key asks who is calling before the route does; the token is checked once."""
    checked: list[str] = []
    check_token = accounts.check_token

    def counted(uow: Any, token: str, **kwargs: Any) -> Any:
        checked.append(token)
        return check_token(uow, token, **kwargs)

    monkeypatch.setattr(accounts, "check_token", counted)
    answer = client.post(f"{POOL}/wishes", json=GUESTS,
                         headers={**people["ben"], "Idempotency-Key": "once"})
    assert answer.status_code == 201
    assert len(checked) == 1
