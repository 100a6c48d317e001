"""Shifts through the API, on the seaside flats made weekly from Monday 4 May 2026 in Berlin:
ana (coordinator) adds a garden shift on Saturday and stair shifts from a rule, the tasks'
list shows them with ISO dates and times and their free places, ben names the shifts his
offer can do; after the clearing ben reads his shifts; a cancelled shift frees its places.
Bad shifts are 422 naming the field (times, slots 0, NaN and huge numbers, NUL) and store
nothing; members may not add or cancel shifts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from seaside import Headers

from fakes import Clock

POOL = "/api/v1/pools/seaside"
WEEKLY = {"period_length": "1 week", "starts_on": "2026-05-04", "time_zone": "Europe/Berlin"}
GARDEN = {"date": "2026-05-09", "start": "09:00", "end": "11:00", "place": "Hinterhof",
          "slots": 1, "note": "Gloves in the shed"}
STAIRS = {"every": "week", "first": "2026-05-04", "until": "2026-05-10", "start": "18:00",
          "end": "19:30", "weekdays": ["mon", "thu"], "place": "Treppenhaus", "slots": 2}


@pytest.fixture
def weekly(client: TestClient, people: dict[str, Headers]) -> dict[str, Headers]:
    """The seaside flats weekly, on Tuesday 5 May (offers close on Friday)."""
    clock = Clock()
    clock.now = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    client.app.state.clock = clock  # type: ignore[attr-defined]
    assert client.patch(POOL, json=WEEKLY, headers=people["ana"]).status_code == 200
    return people


def test_a_coordinator_adds_shifts_and_the_tasks_list_shows_them(
        client: TestClient, weekly: dict[str, Headers]) -> None:
    ana, ben = weekly["ana"], weekly["ben"]
    one = client.post(f"{POOL}/tasks/garden/shifts", json=GARDEN, headers=ana)
    assert one.status_code == 201, one.text
    assert one.json() == {"id": 1, "task": "garden", "date": "2026-05-09", "start": "09:00:00",
                          "end": "11:00:00", "place": "Hinterhof", "slots": 1,
                          "note": "Gloves in the shed", "cancelled": False, "taken": 0,
                          "free": 1}
    made = client.post(f"{POOL}/tasks/stairs/shifts/repeat", json=STAIRS, headers=ana)
    assert made.status_code == 201, made.text
    assert [(s["id"], s["date"]) for s in made.json()] == [(2, "2026-05-04"),
                                                           (3, "2026-05-07")]
    tasks = {t["task"]["id"]: t for t in client.get(f"{POOL}/tasks", headers=ben).json()}
    assert [(s["id"], s["date"], s["start"], s["end"], s["free"])
            for s in tasks["stairs"]["shifts"]] == [
        (2, "2026-05-04", "18:00:00", "19:30:00", 2), (3, "2026-05-07", "18:00:00",
                                                       "19:30:00", 2)]
    assert tasks["laundry"]["shifts"] == []


def test_after_the_clearing_a_member_reads_the_shifts_he_was_placed_on(
        client: TestClient, weekly: dict[str, Headers]) -> None:
    ana, ben = weekly["ana"], weekly["ben"]
    client.post(f"{POOL}/tasks/garden/shifts", json=GARDEN, headers=ana)
    client.post(f"{POOL}/tasks/stairs/shifts/repeat", json=STAIRS, headers=ana)
    named = client.put(f"{POOL}/offers/stairs", json={"hours": 2, "min_weight": 1.5,
                                                      "shifts": [3]}, headers=ben)
    assert named.status_code == 200, named.text
    bad = client.put(f"{POOL}/offers/stairs", json={"hours": 2, "shifts": [1]}, headers=ben)
    assert bad.status_code == 422
    assert [e["loc"] for e in bad.json()["errors"]] == [["body", "shifts", 0]]
    cleared = client.post(f"{POOL}/period/clear", headers=ana)
    assert cleared.status_code == 200, cleared.text
    assignments = {(a["participant"], a["task"]): a["hours"]
                   for a in cleared.json()["assignments"]}
    mine = client.get(f"{POOL}/me/shifts", headers=ben).json()
    assert mine["participant"] == "ben"
    placed = [(m["shift"]["task"], m["shift"]["date"]) for m in mine["shifts"]]
    assert ("stairs", "2026-05-07") in placed and ("stairs", "2026-05-04") not in placed
    hours = {h["task"]: h for h in mine["hours"]}
    assert hours["stairs"]["assigned"] == assignments[("ben", "stairs")]
    assert hours["stairs"]["placed"] == 1.5
    assert hours["stairs"]["left"] == pytest.approx(assignments[("ben", "stairs")] - 1.5)
    cancelled = client.patch(f"{POOL}/tasks/stairs/shifts/3", json={"cancelled": True},
                             headers=ana)
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert client.get(f"{POOL}/me/shifts", headers=ben).json()["shifts"] == [
        m for m in mine["shifts"] if m["shift"]["id"] != 3]
    again = client.patch(f"{POOL}/tasks/stairs/shifts/3", json={"cancelled": True},
                         headers=ana)
    assert again.status_code == 409
    elsewhere = client.patch(f"{POOL}/tasks/garden/shifts/3", json={"cancelled": True},
                             headers=ana)
    assert elsewhere.status_code == 404


@pytest.mark.parametrize(("change", "field"), [
    ({"end": "09:00"}, "end"),  # as late as it starts
    ({"end": "08:00"}, "end"),  # 23 hours: no night shift is that long
    ({"start": "25:00"}, "start"),
    ({"slots": 0}, "slots"),
    ({"slots": 10**30}, "slots"),
    ({"slots": "NaN"}, "slots"),
    ({"slots": 1.5}, "slots"),
    ({"place": "Hof\u0000"}, "place"),
    ({"place": "x" * 201}, "place"),
    ({"note": "\u001b[31m"}, "note"),
    ({"date": "2026-02-30"}, "date"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_shift_is_422_naming_the_field_and_stores_nothing(
        client: TestClient, weekly: dict[str, Headers], change: dict[str, Any],
        field: str) -> None:
    answer = client.post(f"{POOL}/tasks/garden/shifts", json={**GARDEN, **change},
                         headers=weekly["ana"])
    assert answer.status_code == 422, answer.text
    assert [e["loc"][:2] for e in answer.json()["errors"]] == [["body", field]]
    tasks = {t["task"]["id"]: t for t in client.get(f"{POOL}/tasks",
                                                    headers=weekly["ana"]).json()}
    assert tasks["garden"]["shifts"] == []


@pytest.mark.parametrize(("change", "field"), [
    ({"until": "2027-06-01", "every": "day"}, "until"),
    ({"until": "2026-05-01"}, "until"),
    ({"weekdays": ["someday"]}, "weekdays"),
    ({"interval": 0}, "interval"),
])
def test_a_bad_rule_is_422_naming_the_field(client: TestClient, weekly: dict[str, Headers],
                                            change: dict[str, Any], field: str) -> None:
    answer = client.post(f"{POOL}/tasks/stairs/shifts/repeat", json={**STAIRS, **change},
                         headers=weekly["ana"])
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"][:2] == ["body", field]


def test_members_may_not_add_or_cancel_shifts_and_unknown_tasks_are_404(
        client: TestClient, weekly: dict[str, Headers]) -> None:
    ben, ana = weekly["ben"], weekly["ana"]
    assert client.post(f"{POOL}/tasks/garden/shifts", json=GARDEN,
                       headers=ben).status_code == 403
    assert client.post(f"{POOL}/tasks/weld/shifts", json=GARDEN,
                       headers=ana).status_code == 404
