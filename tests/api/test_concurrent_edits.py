"""Two coordinators editing one thing at once (optimistic locking): what either may change
(the pool's settings, a member, a project with its goods) is answered with its ``version``;
a change made from an older version is refused with 409 and stores nothing, so the later of
the two coordinators reloads instead of silently undoing the earlier one's change.

The seaside flats (``conftest.py``): ana coordinates, ben is a member; root is made a
second coordinator here.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from seaside import Headers

POOL = "/api/v1/pools/seaside"


@pytest.fixture
def coordinators(client: TestClient, people: dict[str, Headers]) -> tuple[Headers, Headers]:
    """Ana and root, both coordinators of the seaside flats."""
    ana, root = people["ana"], people["root"]
    code = client.post(f"{POOL}/invitations", json={"role": "coordinator"},
                       headers=ana).json()["code"]
    assert client.post(f"/api/v1/invitations/{code}/accept", headers=root).status_code == 201
    return ana, root


def test_the_later_of_two_edits_of_a_member_is_refused_and_changes_nothing(
    client: TestClient, coordinators: tuple[Headers, Headers]
) -> None:
    ana, root = coordinators
    ben = next(m for m in client.get(f"{POOL}/members", headers=ana).json() if m["id"] == "ben")
    seen = ben["version"]
    first = client.patch(f"{POOL}/members/ben", json={"capacity": 4, "version": seen},
                         headers=ana)
    assert first.status_code == 200, first.text
    assert first.json()["version"] == seen + 1
    second = client.patch(f"{POOL}/members/ben", json={"role": "coordinator", "version": seen},
                          headers=root)
    assert second.status_code == 409
    assert second.json()["detail"] == (
        f"member 'ben' was changed by someone else meanwhile (it is at version {seen + 1}, the"
        f" edit was made from version {seen}): reload it and make the edit again"
    )
    now = next(m for m in client.get(f"{POOL}/members", headers=ana).json() if m["id"] == "ben")
    assert (now["role"], now["capacity"], now["version"]) == ("member", 4, seen + 1)
    removal = client.delete(f"{POOL}/members/ben", params={"version": seen}, headers=root)
    assert removal.status_code == 409
    assert client.delete(f"{POOL}/members/ben", params={"version": seen + 1},
                         headers=root).json()["active"] is False


def test_pool_settings_are_changed_from_the_version_read(
    client: TestClient, coordinators: tuple[Headers, Headers]
) -> None:
    ana, root = coordinators
    read = client.get(POOL, headers=ana).json()
    assert (read["admission"], read["public"], read["version"]) == ("approval", False, 1)
    opened = client.patch(POOL, json={"admission": "open", "version": 1}, headers=ana)
    assert opened.status_code == 200, opened.text
    assert (opened.json()["admission"], opened.json()["version"]) == ("open", 2)
    stale = client.patch(POOL, json={"public": True, "version": 1}, headers=root)
    assert stale.status_code == 409
    assert "the settings of pool 'seaside' was changed by someone else" in stale.json()["detail"]
    assert client.get(POOL, headers=root).json()["public"] is False
    unversioned = client.patch(POOL, json={"public": True}, headers=root)  # takes what is there
    assert (unversioned.json()["public"], unversioned.json()["version"]) == (True, 3)


def test_a_goods_capacity_and_its_projects_leaving_are_edits_of_the_project(
    client: TestClient, coordinators: tuple[Headers, Headers]
) -> None:
    ana, root = coordinators
    flats = client.get(f"{POOL}/projects", headers=ana).json()[0]
    assert (flats["id"], flats["version"]) == ("flats", 1)
    planned = client.patch(f"{POOL}/goods/guest-bed", json={"capacity": 3, "version": 1},
                           headers=ana)
    assert planned.status_code == 200, planned.text
    assert planned.json() == {"id": "guest-bed", "project": "flats", "capacity": 3,
                              "name": None, "description": None, "project_version": 2}
    stale = client.patch(f"{POOL}/goods/guest-bed", json={"capacity": None, "version": 1},
                         headers=root)
    assert stale.status_code == 409
    leave = client.post(f"{POOL}/projects/flats/leave", params={"version": 1}, headers=root)
    assert leave.status_code == 409
    goods = client.get(f"{POOL}/projects", headers=ana).json()[0]["goods"]
    assert next(g for g in goods if g["id"] == "guest-bed")["capacity"] == 3


def test_a_version_is_a_whole_number_from_one(
    client: TestClient, coordinators: tuple[Headers, Headers]
) -> None:
    ana, _ = coordinators
    answer = client.patch(POOL, json={"public": True, "version": 0}, headers=ana)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "version"]
    assert client.get(POOL, headers=ana).json()["version"] == 1


def test_only_coordinators_change_settings_or_plan_production(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ben = people["ben"]
    assert client.patch(POOL, json={"public": True}, headers=ben).status_code == 403
    assert client.patch(f"{POOL}/goods/guest-bed", json={"capacity": 1},
                        headers=ben).status_code == 403
