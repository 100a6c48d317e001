"""API tests on the in-memory store: the seaside flats, a housing co-op with chores and one
sea-view room that everybody wants.

Root is the site admin (made so by the operator, not by signing up first). Ana founded the
pool ``seaside`` (private, joining on approval) and coordinates it; ben joined by her
invitation; cleo has an account but is not in the pool. Each signs in with a personal API token.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from seaside import FLATS, Headers, sign_up

from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
from peerconomy.services import users
from peerconomy.store.memory import MemoryStore


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def client(store: MemoryStore) -> Iterator[TestClient]:
    app = create_app(store, AppSettings(signup="open", secret_key="seaside test key"), pages=False)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def people(client: TestClient, store: MemoryStore) -> dict[str, Headers]:
    """The seaside flats pool in period 1, collecting, with ana's and ben's offers and
    wishes; the headers of root, ana (coordinator), ben (member) and cleo (outsider)."""
    signed = {name: sign_up(client, name) for name in ("root", "ana", "ben", "cleo")}
    users.set_admin(store.unit_of_work(), "root", True)
    ana, ben = signed["ana"], signed["ben"]
    assert client.post("/api/v1/pools", json={"name": "seaside"}, headers=ana).status_code == 201
    assert client.post("/api/v1/pools/seaside/projects", json=FLATS,
                       headers=ana).status_code == 201
    code = client.post("/api/v1/pools/seaside/invitations", json={},
                       headers=ana).json()["code"]
    assert client.post(f"/api/v1/invitations/{code}/accept", headers=ben).status_code == 201
    for who, task, hours, weight in (
        (ana, "stairs", 3, 1.0), (ana, "laundry", 2, 1.0),
        (ben, "stairs", 2, 1.5), (ben, "garden", 2, 1.0), (ben, "laundry", 2, 1.2),
    ):
        answer = client.put(f"/api/v1/pools/seaside/offers/{task}",
                            json={"hours": hours, "min_weight": weight}, headers=who)
        assert answer.status_code == 200, answer.text
    for who, wish in (
        (ana, {"id": "ana-room", "alternatives": [{"good": "sea-view", "max_cost": 6}]}),
        (ben, {"id": "ben-room", "alternatives": [{"good": "sea-view", "max_cost": 4}]}),
        (ben, {"id": "ben-guests", "quantity": 2, "alternatives": [{"good": "guest-bed"}]}),
    ):
        answer = client.post("/api/v1/pools/seaside/wishes", json=wish, headers=who)
        assert answer.status_code == 201, answer.text
    return signed
