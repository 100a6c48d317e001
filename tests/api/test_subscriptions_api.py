"""Subscriptions over the API, on the seaside flats: a wish with a term stands that many
periods; a term that is no whole number of periods from 1 to 10,000 is a 422 naming ``term``
and changes nothing; the member sees the periods left, the project its subscribed units."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

Headers = dict[str, str]
POOL = "/api/v1/pools/seaside"


def test_a_wish_with_a_term_is_a_subscription_the_member_and_the_project_see(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben = people["ben"]
    answer = client.post(f"{POOL}/wishes", headers=ben, json={
        "id": "ben-beds", "quantity": 2, "term": 12, "alternatives": [{"good": "guest-bed"}]})
    assert answer.status_code == 201, answer.text
    assert answer.json()["term"] == 12
    mine = client.get(f"{POOL}/me", headers=ben).json()
    assert mine["periods_left"] == {"ben-beds": 12}
    assert {w["id"]: w.get("term") for w in mine["wishes"]} == {
        "ben-room": None, "ben-guests": None, "ben-beds": 12}
    board = client.get(f"{POOL}/hints", headers=ben).json()
    assert board["subscribed_from"] == 1
    assert board["subscribed"] == {
        "flats": [{"good": "guest-bed", "product_type": None, "units": [2] * 12}]}


def test_putting_a_subscription_again_keeps_it_and_without_a_term_ends_it(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben = people["ben"]
    body = {"quantity": 1, "term": 3, "alternatives": [{"good": "guest-bed"}]}
    assert client.put(f"{POOL}/wishes/ben-guests", headers=ben, json=body).status_code == 200
    assert client.get(f"{POOL}/me", headers=ben).json()["periods_left"] == {"ben-guests": 3}
    del body["term"]
    assert client.put(f"{POOL}/wishes/ben-guests", headers=ben, json=body).status_code == 200
    assert client.get(f"{POOL}/me", headers=ben).json()["periods_left"] == {}


@pytest.mark.parametrize("term", [0, -1, 1e308, 2.5, "x", "3", True, 10_001, None],
                         ids=["zero", "negative", "1e308", "fraction", "text", "digits",
                              "true", "too many", "NaN"])
def test_a_term_that_is_no_count_of_periods_is_refused_naming_term(
    client: TestClient, people: dict[str, Headers], term: Any
) -> None:
    ben = people["ben"]
    before = client.get(f"{POOL}/wishes", headers=ben).json()
    if term is None:  # NaN: JSON has no such number, but Python's encoder writes one
        answer = client.post(
            f"{POOL}/wishes", headers={**ben, "content-type": "application/json"},
            content='{"term": NaN, "alternatives": [{"good": "guest-bed"}]}')
    else:
        answer = client.post(f"{POOL}/wishes", headers=ben, json={
            "term": term, "alternatives": [{"good": "guest-bed"}]})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert any("term" in error["loc"] for error in answer.json()["errors"]), answer.text
    assert client.get(f"{POOL}/wishes", headers=ben).json() == before
