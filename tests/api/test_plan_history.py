"""A period's plans over the API, on the seaside flats: a plan withdrawn by reopening stays
in the period's history with its input hash, a clear of the same input keeps the same plan
again, any member reads the history, and a hostile period number or pool is refused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

Headers = dict[str, str]
POOL = "/api/v1/pools/seaside"


def test_a_withdrawn_plan_is_listed_with_its_hash_before_the_current_one(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana, ben = people["ana"], people["ben"]
    assert client.get(f"{POOL}/periods/1/plans", headers=ben).json()["plans"] == []
    first = client.post(f"{POOL}/period/clear", headers=ana)
    assert first.status_code == 200, first.text
    stamp = client.get(f"{POOL}/periods/1/plan", headers=ben).json()["input_hash"]
    assert client.post(f"{POOL}/period/reopen", headers=ana).status_code == 200

    history = client.get(f"{POOL}/periods/1/plans", headers=ben)
    assert history.status_code == 200, history.text
    found = history.json()
    assert (found["period"], found["state"]) == (1, "collecting")
    [withdrawn] = found["plans"]
    assert withdrawn["state"] == "withdrawn" and withdrawn["input_hash"] == stamp
    assert withdrawn["withdrawn_by"] == "ana" and withdrawn["withdrawn_at"] is not None
    assert withdrawn["format"] == "peerconomy-plan/2"
    assert withdrawn["weighted_effort"] == first.json()["weighted_effort"]

    again = client.post(f"{POOL}/period/clear", headers=ana)
    assert again.json() == first.json()  # the same input, the same plan
    found = client.get(f"{POOL}/periods/1/plans", headers=ben).json()
    assert [(p["state"], p["input_hash"]) for p in found["plans"]] == [
        ("withdrawn", stamp), ("current", stamp)]
    assert found["plans"][1]["withdrawn_at"] is None and found["state"] == "cleared"


def test_the_history_of_a_period_that_does_not_exist_is_not_found(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben = people["ben"]
    for number in ("2", "99999999999999999999", "2147483648"):
        answer = client.get(f"{POOL}/periods/{number}/plans", headers=ben)
        assert answer.status_code == 404, (number, answer.text)


def test_a_hostile_period_or_pool_is_refused_naming_the_path(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben = people["ben"]
    for number in ("-1", "0", "1%00", "one"):
        answer = client.get(f"{POOL}/periods/{number}/plans", headers=ben)
        assert answer.status_code in (404, 422), (number, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
    answer = client.get("/api/v1/pools/sea%00side/periods/1/plans", headers=ben)
    assert answer.status_code == 422 and answer.json()["errors"][0]["loc"] == ["path"]


def test_my_period_gives_my_share_in_its_parts_and_none_before_the_clearing(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana, ben = people["ana"], people["ben"]
    assert client.get(f"{POOL}/me", headers=ben).json()["share_parts"] is None
    plan = client.post(f"{POOL}/period/clear", headers=ana).json()
    for who in ("ana", "ben"):
        mine = client.get(f"{POOL}/me", headers=people[who]).json()
        parts = mine["share_parts"]
        assert parts["refund"] == plan["refunds"][who]
        assert parts["goods"] + parts["premiums"] + parts["overhead"] - parts["refund"] \
            == pytest.approx(mine["share"], abs=1e-9)
    ana_parts = client.get(f"{POOL}/me", headers=ana).json()["share_parts"]
    ben_parts = client.get(f"{POOL}/me", headers=ben).json()["share_parts"]
    assert (ana_parts["premiums"], ben_parts["premiums"]) == (
        plan["goods"]["sea-view"]["premium"], 0.0)  # ana took the sea-view flat
