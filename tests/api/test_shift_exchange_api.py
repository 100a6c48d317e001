"""Shifts changing hands through the API, on the seaside flats made weekly from Monday 4 May
2026 in Berlin and cleared on Tuesday: ben is placed on Saturday's garden shift (one place);
he hands it back, it is an open slot on the hint board with its date, ana takes it (a third
try finds it full), ana hands it over to ben, who accepts; members follow the flats.
Another's shift is 404, a full one 409, a bad swap 422 naming the field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from seaside import Headers

from fakes import Clock

POOL = "/api/v1/pools/seaside"
GARDEN = {"date": "2026-05-09", "start": "09:00", "end": "11:00", "place": "Hinterhof",
          "slots": 1}
STAIRS = {"every": "week", "first": "2026-05-04", "until": "2026-05-10", "start": "18:00",
          "end": "19:30", "weekdays": ["thu"], "place": "Treppenhaus", "slots": 2}


@pytest.fixture
def cleared(client: TestClient, people: dict[str, Headers]) -> dict[str, Headers]:
    """The seaside's first week cleared on Tuesday 5 May: shift 1 the garden on Saturday
    (ben), shift 2 the stairs on Thursday."""
    clock = Clock()
    clock.now = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    client.app.state.clock = clock  # type: ignore[attr-defined]
    ana = people["ana"]
    weekly = {"period_length": "1 week", "starts_on": "2026-05-04",
              "time_zone": "Europe/Berlin"}
    assert client.patch(POOL, json=weekly, headers=ana).status_code == 200
    assert client.post(f"{POOL}/tasks/garden/shifts", json=GARDEN, headers=ana).status_code == 201
    assert client.post(f"{POOL}/tasks/stairs/shifts/repeat", json=STAIRS,
                       headers=ana).status_code == 201
    assert client.post(f"{POOL}/period/clear", headers=ana).status_code == 200
    return people


def _mine(client: TestClient, who: Headers) -> list[int]:
    return [m["shift"]["id"] for m in client.get(f"{POOL}/me/shifts", headers=who).json()[
        "shifts"]]


def test_a_shift_handed_back_is_an_open_slot_and_a_member_takes_it(
        client: TestClient, cleared: dict[str, Headers]) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    assert 1 in _mine(client, ben) and 1 not in _mine(client, ana)
    assert client.post(f"{POOL}/me/shifts/1/hand-back", headers=ana).status_code == 404
    given = client.post(f"{POOL}/me/shifts/1/hand-back", headers=ben)
    assert given.status_code == 200, given.text
    assert (given.json()["id"], given.json()["date"]) == (1, "2026-05-09")
    assert 1 not in _mine(client, ben)
    board = client.get(f"{POOL}/hints", headers=ben).json()
    assert [s for s in board["open_slots"] if s["shift"] == 1] == [{
        "shift": 1, "task": "garden", "project": "flats", "period": 1, "date": "2026-05-09",
        "start": "09:00:00", "end": "11:00:00", "place": "Hinterhof", "slots": 1, "free": 1}]
    assert client.post(f"{POOL}/me/shifts/1/hand-back", headers=ben).status_code == 404
    taken = client.post(f"{POOL}/shifts/1/take", headers=ana)
    assert taken.status_code == 201, taken.text
    assert 1 in _mine(client, ana)
    full = client.post(f"{POOL}/shifts/1/take", headers=ben)
    assert full.status_code == 409
    assert "is full" in full.json()["detail"]
    assert client.post(f"{POOL}/shifts/99/take", headers=ben).status_code == 404
    board = client.get(f"{POOL}/hints", headers=ben).json()
    assert [s["shift"] for s in board["open_slots"] if s["shift"] == 1] == []


def test_a_swap_is_proposed_accepted_and_exchanges_the_placements(
        client: TestClient, cleared: dict[str, Headers]) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    client.post(f"{POOL}/me/shifts/1/hand-back", headers=ben)
    client.post(f"{POOL}/shifts/1/take", headers=ana)
    made = client.post(f"{POOL}/me/shifts/1/swaps", json={"to": "ben"}, headers=ana)
    assert made.status_code == 201, made.text
    swap = made.json()
    assert (swap["id"], swap["proposer"], swap["to"], swap["state"], swap["their_shift"],
            swap["shift"]["id"]) == (1, "ana", "ben", "proposed", None, 1)
    assert swap["decided_at"] is None
    waiting = client.get(f"{POOL}/me/swaps", headers=ben).json()
    assert [s["id"] for s in waiting["incoming"]] == [1] and waiting["outgoing"] == []
    assert [s["id"] for s in client.get(f"{POOL}/me/swaps", headers=ana).json()[
        "outgoing"]] == [1]
    assert client.post(f"{POOL}/swaps/1/accept", headers=ana).status_code == 404
    accepted = client.post(f"{POOL}/swaps/1/accept", headers=ben)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted"
    assert 1 in _mine(client, ben) and 1 not in _mine(client, ana)
    assert client.post(f"{POOL}/swaps/1/decline", headers=ben).status_code == 409
    assert client.post(f"{POOL}/swaps/7/decline", headers=ben).status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"to": "ben", "their_shift": 2}, "their_shift"),  # a stairs shift for the garden
    ({"to": "ana"}, "to"),  # herself
    ({"to": "zoe"}, "to"),
    ({"to": "ben", "their_shift": "x"}, "their_shift"),
    ({"their_shift": 2}, "to"),
    ({"to": "ben", "why": "x"}, "why"),
    ({"to": "a" * 500}, "to"),
])
def test_a_bad_swap_is_422_naming_the_field_and_stores_nothing(
        client: TestClient, cleared: dict[str, Headers], body: dict[str, object],
        field: str) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    client.post(f"{POOL}/me/shifts/1/hand-back", headers=ben)
    client.post(f"{POOL}/shifts/1/take", headers=ana)
    answer = client.post(f"{POOL}/me/shifts/1/swaps", json=body, headers=ana)
    assert answer.status_code == 422, answer.text
    assert [e["loc"][-1] if e["loc"][0] == "body" and len(e["loc"]) == 2 else e["loc"][0]
            for e in answer.json()["errors"]] == [field]
    assert client.get(f"{POOL}/me/swaps", headers=ana).json()["outgoing"] == []


def test_a_member_follows_a_project_and_stops(client: TestClient,
                                              cleared: dict[str, Headers]) -> None:
    ben = cleared["ben"]
    on = client.put(f"{POOL}/projects/flats/follow", headers=ben)
    assert on.status_code == 200 and on.json() == {"project": "flats", "following": True}
    assert client.get(f"{POOL}/me/follows", headers=ben).json() == {"projects": ["flats"]}
    off = client.delete(f"{POOL}/projects/flats/follow", headers=ben)
    assert off.json() == {"project": "flats", "following": False}
    assert client.get(f"{POOL}/me/follows", headers=ben).json() == {"projects": []}
    assert client.put(f"{POOL}/projects/boats/follow", headers=ben).status_code == 404
