"""The audit log over the API: coordinators read who changed what in their pool, newest
first, a page at a time; members are refused (403), people outside the private pool do not
find it (404), and no route changes or deletes an entry."""

from __future__ import annotations

from fastapi.testclient import TestClient
from seaside import Headers

AUDIT = "/api/v1/pools/seaside/audit"


def test_a_coordinator_reads_every_change_newest_first(
    client: TestClient, people: dict[str, Headers]
) -> None:
    answer = client.get(AUDIT, headers=people["ana"])
    assert answer.status_code == 200, answer.text
    entries = answer.json()["entries"]
    steps = [(e["actor"], e["action"], e["subject"]) for e in entries]
    assert steps[-1] == ("ana", "pool.found", "seaside")
    assert steps[::-1][1:4] == [("ana", "project.join", "flats"),
                                ("ana", "invitation.create", steps[::-1][2][2]),
                                ("ben", "invitation.accept", steps[::-1][2][2])]
    assert steps[0] == ("ben", "wish.put", "ben-guests")
    assert ("ben", "offer.put", "garden") in steps
    assert all(e["pool"] == "seaside" for e in entries)
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids, reverse=True)
    assert answer.json()["next"] is None


def test_the_acting_coordinator_is_named_when_acting_for_someone_else(
    client: TestClient, people: dict[str, Headers]
) -> None:
    answer = client.put("/api/v1/pools/seaside/offers/garden",
                        json={"participant": "ben", "hours": 1, "min_weight": 1.0},
                        headers=people["ana"])
    assert answer.status_code == 200, answer.text
    newest = client.get(AUDIT, params={"limit": 1}, headers=people["ana"]).json()["entries"][0]
    assert (newest["actor"], newest["action"], newest["detail"]["participant"]) == (
        "ana", "offer.put", "ben")


def test_clearing_and_settling_are_logged_by_who_did_them(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana = people["ana"]
    assert client.post("/api/v1/pools/seaside/period/clear", headers=ana).status_code == 200
    assert client.post("/api/v1/pools/seaside/period/settle", headers=ana).status_code == 200
    assert client.post("/api/v1/pools/seaside/period/settle", headers=ana).status_code == 409
    entries = client.get(AUDIT, params={"limit": 2}, headers=ana).json()["entries"]
    assert [(e["actor"], e["action"], e["subject"]) for e in entries] == [
        ("ana", "period.settle", "1"), ("ana", "period.clear", "1")]


def test_the_log_pages_by_before(client: TestClient, people: dict[str, Headers]) -> None:
    ana = people["ana"]
    everything = client.get(AUDIT, headers=ana).json()["entries"]
    seen = []
    before = None
    while True:
        params = {"limit": 3} | ({"before": before} if before else {})
        page = client.get(AUDIT, params=params, headers=ana).json()
        seen += page["entries"]
        before = page["next"]
        if before is None:
            break
    assert seen == everything


def test_members_are_refused_and_outsiders_do_not_find_the_pool(
    client: TestClient, people: dict[str, Headers]
) -> None:
    assert client.get(AUDIT, headers=people["ben"]).status_code == 403
    assert client.get(AUDIT, headers=people["cleo"]).status_code == 404
    assert client.get(AUDIT).status_code in (401, 404)
    assert client.get(AUDIT, headers=people["root"]).status_code == 200  # the site admin


def test_a_bad_page_is_refused(client: TestClient, people: dict[str, Headers]) -> None:
    for params in ({"limit": 0}, {"limit": 201}, {"before": 0}, {"limit": "many"}):
        assert client.get(AUDIT, params=params, headers=people["ana"]).status_code == 422


def test_no_route_changes_or_deletes_the_log(client: TestClient,
                                             people: dict[str, Headers]) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert client.request(method, AUDIT, headers=people["ana"]).status_code == 405
    assert not [path for path in client.get("/api/v1/openapi.json").json()["paths"]
                if "audit" in path and path != "/api/v1/pools/{pool}/audit"]
