"""Bounded demand, sane numbers and ids over the API, on the seaside flats: a wish no limit
lets be met, a 1e308 hour, an id with a terminal escape are 422s naming the field; the
member previews the plan a clear would keep, and a coordinator reopens a cleared period."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

Headers = dict[str, str]
POOL = "/api/v1/pools/seaside"
SOUP: dict[str, Any] = {
    "id": "kitchen",
    "tasks": [{"id": "cook", "project": "kitchen"}],
    "goods": [{"id": "soup", "project": "kitchen", "model": "flat_rate",
               "recipe": {"cook": 0.5}}],
}


def fields(answer: Any) -> list[list[Any]]:
    return [error["loc"] for error in answer.json()["errors"]]


def test_a_wish_of_100000_flat_rate_units_is_refused_naming_quantity(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana, ben = people["ana"], people["ben"]
    assert client.post(f"{POOL}/projects", json=SOUP, headers=ana).status_code == 201
    before = client.get(f"{POOL}/wishes", headers=ben).json()
    answer = client.post(f"{POOL}/wishes", headers=ben, json={
        "quantity": 100_000, "alternatives": [{"good": "soup"}]})
    assert answer.status_code == 422, answer.text
    assert "quantity" in str(fields(answer))
    assert "must be at most 1" in answer.text
    assert client.get(f"{POOL}/wishes", headers=ben).json() == before


def test_a_good_with_a_limit_is_taken_and_shown(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana = people["ana"]
    soup = {**SOUP, "goods": [{**SOUP["goods"][0], "limit": 3}]}
    assert client.post(f"{POOL}/projects", json=soup, headers=ana).status_code == 201
    answer = client.post(f"{POOL}/wishes", headers=ana, json={
        "quantity": 3, "alternatives": [{"good": "soup"}]})
    assert answer.status_code == 201, answer.text


def test_a_task_of_1e308_fixed_hours_is_refused(
    client: TestClient, people: dict[str, Headers]
) -> None:
    huge = {**SOUP, "tasks": [{"id": "cook", "project": "kitchen", "fixed_hours": 1e308}]}
    answer = client.post(f"{POOL}/projects", json=huge, headers=people["ana"])
    assert answer.status_code == 422, answer.text
    assert ["body", "tasks", 0, "fixed_hours"] in fields(answer)
    assert all(p["id"] != "kitchen" for p in
               client.get(f"{POOL}/projects", headers=people["ana"]).json())


def test_ids_with_control_characters_are_refused_on_every_body(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana = people["ana"]
    bad = "boats\x1b[31m"
    answer = client.post(f"{POOL}/projects", json={"id": bad}, headers=ana)
    assert answer.status_code == 422 and ["body", "id"] in fields(answer)
    answer = client.post(f"{POOL}/wishes", headers=ana, json={
        "id": "room\x07", "alternatives": [{"good": "sea-view"}]})
    assert answer.status_code == 422 and ["body", "id"] in fields(answer)
    task = {**SOUP, "tasks": [{"id": "cook\n", "project": "kitchen"}]}
    answer = client.post(f"{POOL}/projects", json=task, headers=ana)
    assert answer.status_code == 422 and ["body", "tasks", 0, "id"] in fields(answer)


def test_a_member_previews_the_plan_a_clear_would_keep_and_the_coordinator_reopens(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana, ben = people["ana"], people["ben"]
    preview = client.get(f"{POOL}/period/preview", headers=ben)  # any member, not only ana
    assert preview.status_code == 200, preview.text
    seen = preview.json()
    assert seen["provisional"] is True and seen["period"] == 1
    assert seen["warnings"] == []  # no capacities: no warning
    assert client.get(f"{POOL}/periods/1/plan", headers=ana).status_code == 404  # none kept
    cleared = client.post(f"{POOL}/period/clear", headers=ana)
    assert cleared.status_code == 200
    stored = client.get(f"{POOL}/periods/1/plan", headers=ben).json()
    assert stored["input_hash"] == seen["input_hash"]
    assert {k: v for k, v in stored.items() if k not in ("input_hash", "cleared_at")} \
        == seen["plan"] == cleared.json()
    assert client.get(f"{POOL}/period/preview", headers=ben).status_code == 409  # cleared
    assert client.post(f"{POOL}/period/reopen", headers=ben).status_code == 403
    reopened = client.post(f"{POOL}/period/reopen", headers=ana)
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["state"] == "collecting"
    assert client.get(f"{POOL}/periods/1/plan", headers=ana).status_code == 404
    assert client.post(f"{POOL}/period/reopen", headers=ana).status_code == 409
    again = client.post(f"{POOL}/period/clear", headers=ana)  # the same input, the same plan
    assert again.status_code == 200 and again.json() == cleared.json()
    assert client.get(f"{POOL}/periods/1/plan", headers=ana).json()["input_hash"] \
        == seen["input_hash"]
    assert client.post(f"{POOL}/period/settle", headers=ana).status_code == 200
    refused = client.post(f"{POOL}/period/reopen", headers=ana)  # a settled period: never
    assert refused.status_code == 409, refused.text
    assert "period 1 of pool 'seaside' is settled" in refused.json()["detail"]
