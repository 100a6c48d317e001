"""Goods that last over the API: the sea-view room of the seaside flats is held for four
periods by whoever wins it; members see their holdings, coordinators everyone's, and the
holder (or a coordinator) may give notice."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from seaside import Headers

POOL = "/api/v1/pools/seaside"


@pytest.fixture
def held(client: TestClient, people: dict[str, Headers]) -> dict[str, Headers]:
    """The sea-view room lasts 4 periods; period 1 cleared (ana outbids ben) and settled."""
    ana = people["ana"]
    project = client.get(f"{POOL}/projects", headers=ana).json()
    version = next(p["version"] for p in project if p["id"] == "flats")
    assert version >= 1
    # a new project with a lasting room, wished by both
    attic: dict[str, Any] = {
        "id": "attic", "tasks": [{"id": "sweep", "project": "attic"}],
        "goods": [{"id": "attic-room", "project": "attic", "model": "auction", "capacity": 1,
                   "tenure": 4, "recipe": {"sweep": 1}}],
    }
    assert client.post(f"{POOL}/projects", json=attic, headers=ana).status_code == 201
    for who, bid in ((ana, 9), (people["ben"], 5)):
        wish = {"id": f"attic-{bid}", "alternatives": [{"good": "attic-room", "max_cost": bid}]}
        assert client.post(f"{POOL}/wishes", json=wish, headers=who).status_code == 201
    plan = client.post(f"{POOL}/period/clear", headers=ana)
    assert plan.status_code == 200, plan.text
    assert [(w["participant"], w["good"], w["tenure"]) for w in plan.json()["won"]] == [
        ("ana", "attic-room", 4)]
    assert client.post(f"{POOL}/period/settle", headers=ana).status_code == 200
    return people


def test_a_member_sees_their_holdings_and_a_coordinator_everyones(
    client: TestClient, held: dict[str, Headers]
) -> None:
    mine = client.get(f"{POOL}/holdings", headers=held["ana"]).json()
    assert mine == [{"id": 1, "participant": "ana", "good": "attic-room", "quantity": 1,
                     "premium": 4.0, "won_in": 1, "periods_left": 3, "notice_given": False}]
    assert client.get(f"{POOL}/holdings", headers=held["ben"]).json() == []
    assert client.get(f"{POOL}/holdings?participant=ben", headers=held["ana"]).json() == []
    assert client.get(f"{POOL}/holdings", headers=held["cleo"]).status_code == 404


def test_the_next_plan_charges_the_holder_and_auctions_nothing(
    client: TestClient, held: dict[str, Headers]
) -> None:
    plan = client.post(f"{POOL}/period/clear", headers=held["ana"]).json()

    assert [(h["participant"], h["good"], h["premium"]) for h in plan["holdings"]] == [
        ("ana", "attic-room", 4.0)]
    assert all(a["good"] != "attic-room" for a in plan["allocations"])


def test_only_the_holder_or_a_coordinator_gives_notice(
    client: TestClient, held: dict[str, Headers]
) -> None:
    refused = client.post(f"{POOL}/holdings/1/notice", headers=held["ben"])
    assert refused.status_code == 404
    assert client.get(f"{POOL}/holdings", headers=held["ana"]).json()[0]["notice_given"] is False

    given = client.post(f"{POOL}/holdings/1/notice", headers=held["ana"])

    assert given.status_code == 200 and given.json()["notice_given"] is True
    again = client.post(f"{POOL}/holdings/1/notice", headers=held["ana"])
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("holding", ["12345678901234567890", "NaN", "-1", "0", "1e3"])
def test_a_hostile_holding_id_names_no_holding(
    client: TestClient, held: dict[str, Headers], holding: str
) -> None:
    """A path number that is none, or beyond the store, names nothing (404, as for work logs)."""
    answer = client.post(f"{POOL}/holdings/{holding}/notice", headers=held["ana"])

    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert client.get(f"{POOL}/holdings", headers=held["ana"]).json()[0]["notice_given"] is False
