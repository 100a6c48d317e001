"""Names people read over the API: a pool's display name and description, a project's,
task's and good's names, a task's place and contact; hostile names refused naming the field,
with nothing stored.

The seaside flats (``conftest.py``): ana coordinates, ben is a member, cleo is outside.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from seaside import Headers

POOL = "/api/v1/pools/seaside"


def _project(client: TestClient, headers: Headers) -> dict[str, Any]:
    found: dict[str, Any] = client.get(f"{POOL}/projects", headers=headers).json()[0]
    return found


def _task(project: dict[str, Any], task: str) -> dict[str, Any]:
    return next(t for t in project["tasks"] if t["id"] == task)


def test_a_coordinator_names_the_pool_a_project_a_task_and_a_good(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana, ben = people["ana"], people["ben"]
    pool = client.patch(POOL, json={"display_name": "Häuser am Meer",
                                    "description": "Drei Wohnungen,\nein Garten."}, headers=ana)
    assert pool.status_code == 200, pool.text
    assert (pool.json()["display_name"], pool.json()["description"]) == (
        "Häuser am Meer", "Drei Wohnungen,\nein Garten.")
    project = client.patch(f"{POOL}/projects/flats", json={"name": "Wohnungen", "version": 1},
                           headers=ana)
    assert project.status_code == 200, project.text
    assert (project.json()["name"], project.json()["version"]) == ("Wohnungen", 2)
    task = client.patch(f"{POOL}/tasks/garden", json={
        "name": "Gartenpflege", "place": "hinter Haus 2", "contact": "ben", "version": 2,
    }, headers=ana)
    assert task.status_code == 200, task.text
    assert task.json() == {"id": "garden", "project": "flats", "name": "Gartenpflege",
                           "description": None, "place": "hinter Haus 2", "contact": "ben",
                           "project_version": 3}
    planned = client.patch(f"{POOL}/goods/guest-bed", json={"capacity": 2, "version": 3},
                           headers=ana)
    assert planned.json()["name"] is None
    good = client.patch(f"{POOL}/goods/guest-bed", json={"name": "Gästebett", "version": 4},
                        headers=ana)
    assert good.status_code == 200, good.text
    assert (good.json()["name"], good.json()["capacity"], good.json()["project_version"]) == (
        "Gästebett", 2, 5)  # the capacity stays as planned: it was left out
    seen = _project(client, ben)  # a member reads the names
    assert (seen["name"], seen["description"]) == ("Wohnungen", None)
    assert _task(seen, "garden") | {"fixed_hours": 0} == {
        "id": "garden", "project": "flats", "fixed_hours": 0, "name": "Gartenpflege",
        "description": None, "place": "hinter Haus 2", "contact": "ben"}
    assert _task(seen, "stairs")["name"] is None  # unnamed: shown by its id
    rows = client.get(f"{POOL}/tasks", headers=ben).json()
    assert {r["task"]["id"]: r["task"]["name"] for r in rows}["garden"] == "Gartenpflege"
    goods = client.get(f"{POOL}/goods", headers=ben).json()
    assert {r["good"]["id"]: r["good"]["name"] for r in goods} == {
        "sea-view": None, "guest-bed": "Gästebett"}
    assert client.get(POOL, headers=ben).json()["display_name"] == "Häuser am Meer"


def test_a_name_left_out_is_kept_and_null_or_empty_takes_it_away(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana = people["ana"]
    client.patch(f"{POOL}/tasks/garden", json={"name": "Garten", "place": "hinten"},
                 headers=ana)
    kept = client.patch(f"{POOL}/tasks/garden", json={"place": None}, headers=ana).json()
    assert (kept["name"], kept["place"]) == ("Garten", None)
    gone = client.patch(f"{POOL}/tasks/garden", json={"name": "  "}, headers=ana).json()
    assert gone["name"] is None


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "Jä\x00ten"}, "name"),
    ({"name": "Jäten\x1b[31m"}, "name"),
    ({"name": "zwei\nZeilen"}, "name"),
    ({"name": "x" * 10_000}, "name"),
    ({"description": "y" * 10_000}, "description"),
    ({"description": "Glocke\x07"}, "description"),
    ({"place": "\u2028"}, "place"),
    ({"contact": "nobody"}, "contact"),
    ({"contact": "<b>ana</b>"}, "contact"),
])
def test_a_hostile_task_name_is_refused_naming_the_field_and_nothing_is_stored(
    client: TestClient, people: dict[str, Headers], body: dict[str, str], field: str
) -> None:
    ana = people["ana"]
    before = _project(client, ana)
    answer = client.patch(f"{POOL}/tasks/garden", json=body, headers=ana)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    named = {str(p["loc"][-1]) for p in problem.get("errors", [])} | {
        str(problem.get("field", ""))}
    assert field in named or field in problem.get("detail", ""), problem
    assert _project(client, ana) == before


def test_a_lone_surrogate_is_no_name(client: TestClient, people: dict[str, Headers]) -> None:
    ana = people["ana"]
    before = _project(client, ana)
    raw = b'{"name": "J\\ud800ten"}'  # valid JSON, but no Unicode text
    answer = client.patch(f"{POOL}/tasks/garden", content=raw,
                          headers={**ana, "Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert _project(client, ana) == before


def test_names_that_look_alike_are_names_but_ids_stay_identifiers(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana = people["ana"]
    looks_alike = "G\u0430rten"  # a Cyrillic a: fine for people to read
    named = client.patch(f"{POOL}/tasks/garden", json={"name": looks_alike}, headers=ana)
    assert named.status_code == 200 and named.json()["name"] == looks_alike
    project = {"id": "b\u043eats", "name": "Boote"}  # a Cyrillic o in an id is refused
    refused = client.post(f"{POOL}/projects", json=project, headers=ana)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"][-1] == "id"
    assert [p["id"] for p in client.get(f"{POOL}/projects", headers=ana).json()] == ["flats"]


def test_a_new_project_brings_its_names_and_its_tasks_contact_must_be_a_member(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ana = people["ana"]
    boats = {"id": "boats", "name": "Boote", "description": "Zwei Jollen",
             "tasks": [{"id": "sail", "project": "boats", "name": "Segeln", "contact": "cleo"}]}
    refused = client.post(f"{POOL}/projects", json=boats, headers=ana)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == ["body", "tasks", 0, "contact"]  # not cleo
    assert [p["id"] for p in client.get(f"{POOL}/projects", headers=ana).json()] == ["flats"]
    boats["tasks"][0]["contact"] = "ben"
    made = client.post(f"{POOL}/projects", json=boats, headers=ana)
    assert made.status_code == 201, made.text
    assert (made.json()["name"], made.json()["description"]) == ("Boote", "Zwei Jollen")
    sail = _task(client.get(f"{POOL}/projects", headers=ana).json()[1], "sail")
    assert (sail["name"], sail["contact"]) == ("Segeln", "ben")


def test_members_may_read_names_but_only_coordinators_change_them(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben, cleo = people["ben"], people["cleo"]
    assert client.patch(f"{POOL}/tasks/garden", json={"name": "Mein Garten"},
                        headers=ben).status_code == 403
    assert client.patch(f"{POOL}/projects/flats", json={"name": "Meins"},
                        headers=cleo).status_code == 404
    assert _task(_project(client, ben), "garden")["name"] is None


def test_naming_refers_to_the_projects_version(client: TestClient,
                                               people: dict[str, Headers]) -> None:
    ana = people["ana"]
    client.patch(f"{POOL}/projects/flats", json={"name": "Wohnungen", "version": 1}, headers=ana)
    stale = client.patch(f"{POOL}/goods/sea-view", json={"name": "Meerblick", "version": 1},
                         headers=ana)
    assert stale.status_code == 409
    assert next(g for g in _project(client, ana)["goods"] if g["id"] == "sea-view")[
        "name"] is None
