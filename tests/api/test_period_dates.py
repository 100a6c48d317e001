"""The seaside flats go weekly through the API: the pool's calendar in its settings, the
period's dates in ``GET .../period`` (ISO, null while undated), offers refused once they
close (409) and the period cleared by the app's worker at its deadline, with the app's clock
moved by hand; bad calendar settings are 422 naming the field, and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from seaside import Headers

from fakes import Clock

POOL = "/api/v1/pools/seaside"
WEEKLY = {"period_length": "1 week", "starts_on": "2026-05-04", "time_zone": "Europe/Berlin",
          "auto_clear": True}
DEADLINE = datetime(2026, 5, 8, 16, 0, tzinfo=UTC)  # Friday 18:00 in Berlin


def test_an_undated_period_answers_null_dates(client: TestClient,
                                              people: dict[str, Headers]) -> None:
    period = client.get(f"{POOL}/period", headers=people["ben"]).json()
    assert (period["starts_on"], period["ends_on"], period["collect_until"]) == (
        None, None, None)
    pool = client.get(POOL, headers=people["ben"]).json()
    assert (pool["period_length"], pool["close_days"], pool["close_time"], pool["time_zone"],
            pool["auto_clear"]) == (None, 2, "18:00", "UTC", False)


def test_a_weekly_pool_shows_its_dates_and_clears_at_its_deadline(
    client: TestClient, people: dict[str, Headers],
) -> None:
    ana, ben = people["ana"], people["ben"]
    changed = client.patch(POOL, json=WEEKLY, headers=ana)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["period_length"], changed.json()["auto_clear"]) == ("1 week", True)
    period = client.get(f"{POOL}/period", headers=ben).json()
    assert (period["starts_on"], period["ends_on"], period["collect_until"]) == (
        "2026-05-04", "2026-05-10", "2026-05-08T16:00:00Z")

    clock = Clock()
    client.app.state.clock = clock  # type: ignore[attr-defined]
    clock.now = DEADLINE - timedelta(minutes=5)
    offer = client.put(f"{POOL}/offers/garden", json={"hours": 3, "min_weight": 1.0},
                       headers=ben)
    assert offer.status_code == 200, offer.text
    worker = client.app.state.outbox  # type: ignore[attr-defined]
    assert worker.tick().counts[0] == ("periods cleared at their deadline", 0)

    clock.wait(minutes=5)
    late = client.put(f"{POOL}/offers/garden", json={"hours": 4, "min_weight": 1.0},
                      headers=ben)
    assert late.status_code == 409
    assert "offers and wishes closed at 2026-05-08T16:00+00:00" in late.json()["detail"]
    gone = client.delete(f"{POOL}/wishes/ben-room", headers=ben)
    assert gone.status_code == 409
    assert worker.tick().counts[0] == ("periods cleared at their deadline", 1)
    assert client.get(f"{POOL}/period", headers=ben).json()["state"] == "cleared"
    plan = client.get(f"{POOL}/periods/1/plan", headers=ben).json()
    assert plan["cleared_at"] == "2026-05-08T16:00:00Z"  # by the app's clock, at the deadline
    offers = client.get(f"{POOL}/offers", params={"participant": "ben"}, headers=ben).json()
    assert [o["hours"] for o in offers if o["task"] == "garden"] == [3]  # the late 4 refused

    client.post(f"{POOL}/period/settle", headers=ana)
    following = client.get(f"{POOL}/period", headers=ben).json()
    assert (following["number"], following["starts_on"], following["ends_on"],
            following["collect_until"]) == (2, "2026-05-11", "2026-05-17",
                                            "2026-05-15T16:00:00Z")


@pytest.mark.parametrize(("change", "field"), [
    ({"period_length": "fortnight"}, "period_length"),
    ({"period_length": "53 weeks", "starts_on": "2026-05-04"}, "period_length"),
    ({"period_length": "1 week"}, "starts_on"),
    ({"period_length": "1 week", "starts_on": "2026-05-04", "close_days": 7}, "close_days"),
    ({"close_days": -1}, "close_days"),
    ({"close_days": "two"}, "close_days"),
    ({"close_time": "25:00"}, "close_time"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"auto_clear": "sometimes"}, "auto_clear"),
    ({"starts_on": "2026-02-30", "period_length": "1 week"}, "starts_on"),
])
def test_bad_calendar_settings_are_422_naming_the_field(
    client: TestClient, people: dict[str, Headers], change: dict[str, object], field: str,
) -> None:
    ana = people["ana"]
    before = client.get(POOL, headers=ana).json()
    answer = client.patch(POOL, json=change, headers=ana)
    assert answer.status_code == 422, answer.text
    assert [e["loc"] for e in answer.json()["errors"]] == [["body", field]]
    assert client.get(POOL, headers=ana).json() == before
    assert client.get(f"{POOL}/period", headers=ana).json()["starts_on"] is None


def test_null_makes_a_pools_periods_undated_again(client: TestClient,
                                                  people: dict[str, Headers]) -> None:
    ana = people["ana"]
    client.patch(POOL, json=WEEKLY, headers=ana)
    answer = client.patch(POOL, json={"period_length": None}, headers=ana)
    assert answer.json()["period_length"] is None
    assert client.get(f"{POOL}/period", headers=ana).json()["collect_until"] is None
