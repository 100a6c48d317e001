"""Claiming members through the API: the seaside flats (``conftest.py``), where ana
coordinates, ben is a member and cleo is outside."""

from __future__ import annotations

from fastapi.testclient import TestClient
from seaside import Headers, sign_up

POOL = "/api/v1/pools/seaside"


def test_a_coordinator_adds_a_member_and_invites_its_person_who_claims_it(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana = people["ana"]
    added = client.post(f"{POOL}/members", headers=ana,
                        json={"id": "flat-3", "display_name": "Dora", "capacity": 4})
    assert added.status_code == 201, added.text
    assert added.json()["claimed"] is False
    invited = client.post(f"{POOL}/invitations", headers=ana, json={"member": "flat-3"})
    assert invited.status_code == 201
    assert invited.json()["member"] == "flat-3"
    dora = sign_up(client, "dora")
    code = invited.json()["code"]
    claimed = client.post(f"/api/v1/invitations/{code}/accept", headers=dora)
    assert claimed.status_code == 201
    assert (claimed.json()["id"], claimed.json()["claimed"]) == ("flat-3", True)
    assert claimed.json()["account"] is None  # a member does not see accounts
    assert client.get(f"{POOL}/me", headers=dora).status_code == 200
    listed = {m["id"]: m for m in client.get(f"{POOL}/members", headers=ana).json()}
    assert (listed["flat-3"]["account"], listed["flat-3"]["display_name"]) == ("dora", "Dora")
    seen_by_ben = client.get(f"{POOL}/members", headers=people["ben"]).json()
    assert all(m["account"] is None for m in seen_by_ben)


def test_an_account_named_like_a_member_is_not_that_member(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana = people["ana"]
    assert client.post(f"{POOL}/members", headers=ana, json={"id": "dario"}).status_code == 201
    dario = sign_up(client, "dario")
    assert client.get(f"{POOL}/me", headers=dario).status_code == 404
    assert client.get(f"{POOL}/members", headers=dario).status_code == 404
    linked = client.post(f"{POOL}/members/dario/link", headers=ana,
                         json={"user": "dario", "version": 1})
    assert linked.status_code == 200, linked.text
    assert linked.json()["account"] == "dario"
    assert client.get(f"{POOL}/me", headers=dario).status_code == 200
    again = client.post(f"{POOL}/members/dario/link", headers=ana, json={"user": "cleo"})
    assert again.status_code == 409
    stale = client.post(f"{POOL}/members/ben/link", headers=ana,
                        json={"user": "cleo", "version": 99})
    assert stale.status_code == 409
