"""The permission matrix: every API route, called by each kind of caller of a private pool.

Each route is listed with the least standing it needs; a new route that is not listed fails
:func:`test_every_route_is_in_the_matrix`. A caller below the route's standing is refused:
anonymous callers of account routes with 401, people outside a private pool with 404 (the
pool is not revealed), members on coordinators' routes with 403. A caller at or above it
gets past the check (the step itself may still be refused for other reasons, e.g. 409 for a
period in the wrong state, never 401 or 403).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from enum import IntEnum
from typing import Any

import pytest
from fastapi.testclient import TestClient
from seaside import FLATS, Headers, sign_up

from peerconomy.api import AppSettings, create_app
from peerconomy.store.memory import MemoryStore


class Need(IntEnum):
    ANYONE = 0
    USER = 1
    MEMBER = 2
    COORDINATOR = 3


P = "/api/v1/pools/{pool}"
MATRIX: dict[tuple[str, str], tuple[Need, dict[str, Any] | None]] = {
    ("POST", "/api/v1/auth/signup"): (
        Need.ANYONE, {"name": "zoe", "email": "zoe@x.example", "password": "zoe by the sea"}),
    ("POST", "/api/v1/auth/tokens"): (
        Need.ANYONE, {"login": "ben", "password": "ben by the sea"}),
    ("GET", "/api/v1/me"): (Need.USER, None),
    ("PATCH", "/api/v1/me"): (Need.USER, {"display_name": "Someone"}),
    ("GET", "/api/v1/me/tokens"): (Need.USER, None),
    ("POST", "/api/v1/me/tokens"): (Need.USER, {"label": "laptop"}),
    ("DELETE", "/api/v1/me/tokens/{token_id}"): (Need.USER, None),
    ("GET", "/api/v1/pools"): (Need.ANYONE, None),
    ("POST", "/api/v1/pools"): (Need.USER, {"name": "hillside"}),
    ("POST", "/api/v1/invitations/{code}/accept"): (Need.USER, None),
    ("POST", P + "/join"): (Need.USER, None),
    ("GET", P): (Need.MEMBER, None),
    ("GET", P + "/requests"): (Need.COORDINATOR, None),
    ("POST", P + "/requests/{user}"): (Need.COORDINATOR, {"approve": True}),
    ("POST", P + "/invitations"): (Need.COORDINATOR, {}),
    ("GET", P + "/members"): (Need.MEMBER, None),
    ("PATCH", P + "/members/{participant}"): (Need.COORDINATOR, {"exempt": True}),
    ("DELETE", P + "/members/{participant}"): (Need.COORDINATOR, None),
    ("GET", P + "/projects"): (Need.MEMBER, None),
    ("POST", P + "/projects"): (Need.COORDINATOR, {"id": "boats"}),
    ("POST", P + "/projects/{project}/leave"): (Need.COORDINATOR, None),
    ("POST", P + "/projects/{project}/fork"): (Need.COORDINATOR, {"project": "flats2"}),
    ("GET", P + "/period"): (Need.MEMBER, None),
    ("POST", P + "/period/clear"): (Need.COORDINATOR, None),
    ("POST", P + "/period/settle"): (Need.COORDINATOR, None),
    ("POST", P + "/periods/{number}/close"): (Need.COORDINATOR, None),
    ("GET", P + "/periods/{number}/plan"): (Need.MEMBER, None),
    ("GET", P + "/offers"): (Need.MEMBER, None),
    ("PUT", P + "/offers/{task}"): (Need.MEMBER, {"hours": 1}),
    ("DELETE", P + "/offers/{task}"): (Need.MEMBER, None),
    ("GET", P + "/wishes"): (Need.MEMBER, None),
    ("POST", P + "/wishes"): (Need.MEMBER, {"alternatives": [{"good": "guest-bed"}]}),
    ("DELETE", P + "/wishes/{wish}"): (Need.MEMBER, None),
    ("GET", P + "/work"): (Need.MEMBER, None),
    ("POST", P + "/work"): (Need.MEMBER, {"task": "garden", "hours": 1}),
    ("POST", P + "/work/{log_id}/confirm"): (Need.MEMBER, None),
    ("POST", P + "/work/{log_id}/reject"): (Need.COORDINATOR, None),
    ("GET", P + "/hints"): (Need.MEMBER, None),
    ("GET", P + "/me"): (Need.MEMBER, None),
    ("GET", P + "/tasks"): (Need.MEMBER, None),
    ("GET", P + "/goods"): (Need.MEMBER, None),
    ("GET", P + "/ledger/balances"): (Need.MEMBER, None),
    ("GET", P + "/ledger/statement"): (Need.MEMBER, None),
    ("GET", P + "/ledger/history"): (Need.MEMBER, None),
    ("GET", P + "/ledger/export"): (Need.MEMBER, None),
    ("POST", P + "/ledger/transactions/{transaction}/correct"): (
        Need.COORDINATOR, {"reason": "typo"}),
}
PATH_VALUES = {
    "pool": "seaside", "token_id": "0123456789ab", "code": "0123456789ab.nope",
    "user": "dora", "participant": "ana", "project": "flats", "number": "1", "task": "garden",
    "wish": "ben-guests", "log_id": "1", "transaction": "p1-shares",
}
CALLERS = {"anonymous": Need.ANYONE, "outsider": Need.USER, "member": Need.MEMBER,
           "coordinator": Need.COORDINATOR}
WHO = {"outsider": "cleo", "member": "ben", "coordinator": "ana"}


def _api_routes() -> set[tuple[str, str]]:
    """Every route of the API, as its OpenAPI schema lists them."""
    app = create_app(MemoryStore(), AppSettings(secret_key="k"), pages=False)
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }


def test_every_route_is_in_the_matrix() -> None:
    assert _api_routes() == set(MATRIX)


@pytest.fixture(scope="module")
def seaside() -> Iterator[tuple[TestClient, MemoryStore, dict[str, Headers]]]:
    """The pool once per module (sign-ups hash passwords slowly); each test restores it."""
    store = MemoryStore()
    with TestClient(create_app(store, AppSettings(secret_key="k"), pages=False)) as client:
        people = {name: sign_up(client, name) for name in ("root", "ana", "ben", "cleo")}
        ana = people["ana"]
        client.post("/api/v1/pools", json={"name": "seaside"}, headers=ana)
        client.post("/api/v1/pools/seaside/projects", json=FLATS, headers=ana)
        code = client.post("/api/v1/pools/seaside/invitations", json={},
                           headers=ana).json()["code"]
        client.post(f"/api/v1/invitations/{code}/accept", headers=people["ben"])
        client.post("/api/v1/pools/seaside/wishes", headers=people["ben"],
                    json={"id": "ben-guests", "alternatives": [{"good": "guest-bed"}]})
        yield client, store, people


@pytest.fixture
def fresh(
    seaside: tuple[TestClient, MemoryStore, dict[str, Headers]],
) -> Iterator[tuple[TestClient, dict[str, Headers]]]:
    client, store, people = seaside
    saved = copy.deepcopy(store.state)
    yield client, people
    store.state = saved


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_each_caller_is_let_through_or_refused_as_the_matrix_says(
    fresh: tuple[TestClient, dict[str, Headers]], method: str, path: str, caller: str
) -> None:
    client, people = fresh
    need, body = MATRIX[(method, path)]
    headers = people[WHO[caller]] if caller in WHO else {}
    url = path.format(**PATH_VALUES)
    answer = client.request(method, url, json=body, headers=headers)
    is_json = answer.headers.get("content-type", "").startswith("application/json")
    found = answer.json() if is_json and answer.content else None
    detail = found.get("detail") if isinstance(found, dict) else None
    hidden = answer.status_code == 404 and detail == "no pool 'seaside'"
    if CALLERS[caller] >= need:
        assert answer.status_code not in (401, 403) and not hidden, (answer.status_code, detail)
    elif caller == "anonymous" and need is Need.USER:
        assert answer.status_code == 401, (answer.status_code, detail)
    elif need >= Need.MEMBER and CALLERS[caller] < Need.MEMBER:
        assert hidden, (answer.status_code, detail)
    else:
        assert answer.status_code == 403, (answer.status_code, detail)
