"""Logging what was done, through the API, on the seaside flats made weekly from Monday 4 May
2026 in Berlin: ben was placed on Saturday's garden shift (9:00 to 11:00, Hinterhof). Once it
has ended, ``POST /work`` with ``shift`` logs it with its date and hours; ana, who confirms,
reads the shift's time and place, the date and the note; ben withdraws a log that awaits
confirmation; hours beyond his assignment are marked. Bad input is 422 naming the field
(a date in the future, NaN hours, a NUL in the note) and stores nothing."""

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
          "slots": 1}
SATURDAY_NOON = datetime(2026, 5, 9, 10, 0, tzinfo=UTC)  # 12:00 in Berlin


@pytest.fixture
def clock(client: TestClient) -> Clock:
    """The app's clock, on Tuesday 5 May."""
    clock = Clock()
    clock.now = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    client.app.state.clock = clock  # type: ignore[attr-defined]
    return clock


@pytest.fixture
def placed(client: TestClient, people: dict[str, Headers], clock: Clock) -> dict[str, Headers]:
    """The week cleared: ben on the garden shift (id 1); the clock at Saturday noon."""
    ana = people["ana"]
    assert client.patch(POOL, json=WEEKLY, headers=ana).status_code == 200
    assert client.post(f"{POOL}/tasks/garden/shifts", json=GARDEN,
                       headers=ana).status_code == 201
    assert client.post(f"{POOL}/period/clear", headers=ana).status_code == 200
    clock.now = SATURDAY_NOON
    return people


def logs(client: TestClient, who: Headers) -> list[dict[str, Any]]:
    answer = client.get(f"{POOL}/work", headers=who)
    assert answer.status_code == 200, answer.text
    result: list[dict[str, Any]] = answer.json()
    return result


def test_an_ended_shift_is_logged_by_its_id_and_its_confirmer_reads_it_whole(
        client: TestClient, placed: dict[str, Headers]) -> None:
    ana, ben = placed["ana"], placed["ben"]
    mine = client.get(f"{POOL}/me", headers=ben).json()
    assert [(s["shift"]["id"], s["task_name"], s["hours"]) for s in mine["shifts_to_log"]
            ] == [(1, "garden", 2.0)]
    logged = client.post(f"{POOL}/work", json={"shift": 1, "note": "Hedge cut\nleaves in"
                                                                    " the green bin"},
                         headers=ben)
    assert logged.status_code == 201, logged.text
    log = logged.json()
    assert {k: log[k] for k in ("participant", "task", "task_name", "hours", "worked_on",
                                "shift", "note", "status", "beyond_assignment")} == {
        "participant": "ben", "task": "garden", "task_name": "garden", "hours": 2.0,
        "worked_on": "2026-05-09", "shift": 1, "note": "Hedge cut\nleaves in the green bin",
        "status": "pending", "beyond_assignment": 0.0}
    assert {k: log["on_shift"][k] for k in ("date", "start", "end", "place")} == {
        "date": "2026-05-09", "start": "09:00:00", "end": "11:00:00", "place": "Hinterhof"}
    assert client.get(f"{POOL}/me", headers=ben).json()["shifts_to_log"] == []
    to_confirm = client.get(f"{POOL}/me", headers=ana).json()["to_confirm"]
    assert to_confirm == [log]
    assert logs(client, ana) == [log]
    again = client.post(f"{POOL}/work", json={"shift": 1}, headers=ben)
    assert again.status_code == 409
    assert "shift 1 is logged already" in again.json()["detail"]


def test_a_shift_not_yet_ended_is_409_and_logs_nothing(
        client: TestClient, placed: dict[str, Headers], clock: Clock) -> None:
    clock.now = datetime(2026, 5, 9, 8, 30, tzinfo=UTC)  # 10:30 in Berlin
    early = client.post(f"{POOL}/work", json={"shift": 1}, headers=placed["ben"])
    assert early.status_code == 409
    assert early.json()["detail"] == ("shift 1 ends at 2026-05-09 11:00: log it once it has"
                                      " ended")
    assert logs(client, placed["ana"]) == []


@pytest.mark.parametrize(("body", "field"), [
    ({"task": "stairs", "hours": 1, "worked_on": "2026-05-10"}, "worked_on"),  # tomorrow
    ({"task": "stairs", "hours": 1, "worked_on": "2026-05-03"}, "worked_on"),  # before
    ({"task": "stairs", "hours": 1, "worked_on": "2026-02-30"}, "worked_on"),
    ({"task": "stairs", "hours": "NaN"}, "hours"),
    ({"task": "stairs", "hours": 0}, "hours"),
    ({"task": "stairs"}, "hours"),
    ({"hours": 1}, "task"),
    ({"task": "stairs", "hours": 1, "note": "done\u0000"}, "note"),
    ({"task": "stairs", "hours": 1, "note": "\u202eenod"}, "note"),
    ({"task": "stairs", "hours": 1, "note": "x" * 1001}, "note"),
    ({"shift": 1, "note": "\u001b[31m"}, "note"),
    ({"shift": 1, "task": "stairs"}, "task"),
    ({"shift": 1, "worked_on": "2026-05-08"}, "worked_on"),
    ({"shift": 7}, "shift"),
    ({"shift": 1, "hours": "NaN"}, "hours"),
    ({"shift": 1, "hours": 10**30}, "hours"),
])
def test_bad_work_is_422_naming_the_field_and_stores_nothing(
        client: TestClient, placed: dict[str, Headers], body: dict[str, Any],
        field: str) -> None:
    answer = client.post(f"{POOL}/work", json=body, headers=placed["ben"])
    assert answer.status_code == 422, answer.text
    assert [e["loc"][:2] for e in answer.json()["errors"]] == [["body", field]]
    assert logs(client, placed["ana"]) == []


def test_a_bare_nan_in_the_json_is_422_naming_hours(
        client: TestClient, placed: dict[str, Headers]) -> None:
    answer = client.post(f"{POOL}/work", content=b'{"task": "stairs", "hours": NaN}',
                         headers={**placed["ben"], "Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert [e["loc"][:2] for e in answer.json()["errors"]] == [["body", "hours"]]
    assert logs(client, placed["ana"]) == []


def test_work_by_hand_is_dated_today_and_hours_beyond_the_assignment_are_marked(
        client: TestClient, placed: dict[str, Headers]) -> None:
    ben = placed["ben"]
    assigned = {a["task"]: a["hours"]
                for a in client.get(f"{POOL}/me", headers=ben).json()["assignments"]}
    answer = client.post(f"{POOL}/work", json={"task": "stairs",
                                               "hours": assigned["stairs"] + 1.5},
                         headers=ben)
    assert answer.status_code == 201, answer.text
    assert answer.json()["worked_on"] == "2026-05-09"
    assert answer.json()["on_shift"] is None and answer.json()["shift"] is None
    assert answer.json()["beyond_assignment"] == pytest.approx(1.5)
    mine = client.get(f"{POOL}/me", headers=ben).json()
    assert mine["beyond_assignment"] == {"stairs": pytest.approx(1.5)}
    assert [row["beyond_assignment"] for row in logs(client, ben)] == [pytest.approx(1.5)]


def test_a_member_withdraws_his_pending_log_and_no_one_elses(
        client: TestClient, placed: dict[str, Headers]) -> None:
    ana, ben = placed["ana"], placed["ben"]
    first = client.post(f"{POOL}/work", json={"shift": 1}, headers=ben).json()
    second = client.post(f"{POOL}/work", json={"task": "laundry", "hours": 1},
                         headers=ben).json()
    assert client.get(f"{POOL}/me", headers=ben).json()["withdrawable"] == [first["id"],
                                                                            second["id"]]
    refused = client.delete(f"{POOL}/work/{first['id']}", headers=ana)
    assert refused.status_code == 403
    assert "only 'ben' may withdraw their work" in refused.json()["detail"]
    assert client.delete(f"{POOL}/work/{first['id']}", headers=ben).status_code == 204
    assert [row["id"] for row in logs(client, ana)] == [second["id"]]
    assert client.delete(f"{POOL}/work/{first['id']}", headers=ben).status_code == 404
    confirmed = client.post(f"{POOL}/work/{second['id']}/confirm", headers=ana)
    assert confirmed.status_code == 200, confirmed.text
    late = client.delete(f"{POOL}/work/{second['id']}", headers=ben)
    assert late.status_code == 409
    assert late.json()["detail"] == (f"work log {second['id']} is confirmed: only work that"
                                     " awaits confirmation may be withdrawn")
    assert client.get(f"{POOL}/me", headers=ben).json()["withdrawable"] == []
    assert client.post(f"{POOL}/work", json={"shift": 1}, headers=ben).status_code == 201


def test_the_schema_names_the_new_fields(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    work_in = schema["components"]["schemas"]["WorkIn"]["properties"]
    assert {"task", "hours", "shift", "worked_on", "note"} <= set(work_in)
    assert work_in["note"]["maxLength"] == 1000
    log_out = schema["components"]["schemas"]["WorkLogOut"]["properties"]
    assert {"worked_on", "note", "shift", "on_shift", "task_name",
            "beyond_assignment"} <= set(log_out)
    delete = schema["paths"]["/api/v1/pools/{pool}/work/{log_id}"]["delete"]
    assert {"204", "403", "404", "409"} <= set(delete["responses"])
