"""Privacy over the API: ben downloads what the site holds about him, chooses whether ana
(the coordinator) sees his contact, and deletes his account with his password."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient
from seaside import Headers

from peerconomy.ledger.journal import participant_account
from peerconomy.store.memory import MemoryStore

POOL = "/api/v1/pools/seaside"


def give_contact(store: MemoryStore, participant: str, email: str) -> None:
    with store.unit_of_work() as uow:
        found = uow.pools.member("seaside", participant)
        assert found is not None
        uow.pools.put_member("seaside", replace(found, email=email, phone="+49 1"))
        uow.commit()


def test_the_export_is_the_callers_own_and_never_cached(
    client: TestClient, people: dict[str, Headers], store: MemoryStore
) -> None:
    give_contact(store, "ana", "ana.private@home.test")
    answer = client.get("/api/v1/me/export", headers=people["ben"])
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert "attachment" in answer.headers["content-disposition"]
    export = answer.json()
    assert export["account"]["name"] == "ben"
    assert [m["member"]["id"] for m in export["memberships"]] == ["ben"]
    assert {w["id"] for w in export["memberships"][0]["periods"][0]["wishes"]} == {
        "ben-room", "ben-guests"}
    assert "ana.private@home.test" not in answer.text and "ana@seaside.example" not in answer.text
    assert "secret_hash" not in answer.text and "password_hash" not in answer.text


def test_the_export_needs_a_signed_in_caller(client: TestClient) -> None:
    assert client.get("/api/v1/me/export").status_code == 401


def test_coordinators_see_a_claimed_members_contact_only_once_allowed(
    client: TestClient, people: dict[str, Headers], store: MemoryStore
) -> None:
    give_contact(store, "ben", "ben.private@home.test")

    def bens() -> dict[str, object]:
        listed = client.get(f"{POOL}/members", headers=people["ana"]).json()
        found: dict[str, object] = next(m for m in listed if m["id"] == "ben")
        return found

    assert (bens()["email"], bens()["phone"]) == (None, None)
    allowed = client.patch(f"{POOL}/me", json={"contact_visible": True}, headers=people["ben"])
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["contact_visible"] is True
    assert (bens()["email"], bens()["phone"]) == ("ben.private@home.test", "+49 1")
    seen_by_ben = client.get(f"{POOL}/members", headers=people["ben"]).json()
    assert all(m["email"] is None for m in seen_by_ben)  # members never see contact
    client.patch(f"{POOL}/me", json={"contact_visible": False}, headers=people["ben"])
    assert bens()["email"] is None


def test_a_bad_visibility_is_refused_naming_the_field(
    client: TestClient, people: dict[str, Headers]
) -> None:
    answer = client.patch(f"{POOL}/me", json={"contact_visible": "perhaps"},
                          headers=people["ben"])
    assert answer.status_code == 422
    assert "contact_visible" in answer.text


def test_deleting_the_account_needs_its_password(
    client: TestClient, people: dict[str, Headers]
) -> None:
    wrong = client.request("DELETE", "/api/v1/me", json={"password": "not bens"},
                           headers=people["ben"])
    assert wrong.status_code == 401
    assert client.get("/api/v1/me", headers=people["ben"]).status_code == 200
    missing = client.request("DELETE", "/api/v1/me", json={}, headers=people["ben"])
    assert missing.status_code == 422 and "password" in missing.text


def test_a_deleted_account_is_gone_and_its_member_lives_on_under_a_pseudonym(
    client: TestClient, people: dict[str, Headers], store: MemoryStore
) -> None:
    answer = client.request("DELETE", "/api/v1/me", json={"password": "ben by the sea"},
                            headers=people["ben"])
    assert answer.status_code == 204, answer.text
    assert client.get("/api/v1/me", headers=people["ben"]).status_code == 401
    listed = [m["id"] for m in client.get(f"{POOL}/members", headers=people["ana"]).json()]
    assert "ben" not in listed and any(m.startswith("gone-") for m in listed)
    with store.unit_of_work() as uow:
        assert participant_account("ben") not in uow.journal.balances("seaside")


def test_the_last_coordinator_cannot_delete_her_account(
    client: TestClient, people: dict[str, Headers]
) -> None:
    answer = client.request("DELETE", "/api/v1/me", json={"password": "ana by the sea"},
                            headers=people["ana"])
    assert answer.status_code == 409
    assert "last coordinator" in answer.json()["detail"]
    assert client.get("/api/v1/me", headers=people["ana"]).status_code == 200
