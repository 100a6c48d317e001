"""Names people read, as the services keep them: a farm imported with its German names, a
coordinator naming what has none, the audit log saying what changed, and every refusal
leaving the pool as it was.

The farm (``examples/farm.json``): ana, ben, chiara, dario ...; the weeding is "Jäten", the
vegetable share "Gemüsekiste".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from peerconomy.domain.refusal import InputError, ScenarioError
from peerconomy.domain.scenario import Task, load_scenario_file, parse_scenario
from peerconomy.services import audit, labels, membership, periods, pools, projects, views
from peerconomy.services.errors import NotFoundError, StaleEditError
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def farm(store: MemoryStore) -> MemoryUnitOfWork:
    """The farm imported from its example, ana coordinating."""
    pools.import_scenario(store.unit_of_work(), "farm", load_scenario_file(EXAMPLES / "farm.json"),
                          coordinators=["ana"])
    return store.unit_of_work()


def _parts(uow: MemoryUnitOfWork) -> list[Any]:
    return [(p, list(t), list(g)) for p, t, g in views.projects(uow, "farm")]


def test_an_imported_scenario_brings_its_names_to_the_pool(farm: MemoryUnitOfWork) -> None:
    names = labels.labels(farm, "farm")
    assert (names.project("vegetables"), names.task("weeding"), names.good("vegetable_share")
            ) == ("Gärtnerei", "Jäten", "Gemüsekiste")
    with farm:
        harvest = next(t for t in farm.pools.tasks("farm") if t.id == "harvest")
    assert (harvest.name, harvest.place, harvest.contact) == ("Ernte", "Gemüseacker", "ana")


def test_the_imported_farm_clears_to_the_hash_of_its_file(farm: MemoryUnitOfWork) -> None:
    plan = periods.clear_period(farm, "farm")
    assert plan.input_hash == periods.input_hash(load_scenario_file(EXAMPLES / "farm.json"))


def test_a_scenario_whose_contact_is_nobody_in_it_is_refused_and_nothing_made(
    store: MemoryStore,
) -> None:
    data: dict[str, Any] = json.loads((EXAMPLES / "farm.json").read_text(encoding="utf-8"))
    data["tasks"][4]["contact"] = "zoe"
    with pytest.raises(ScenarioError) as refused:
        pools.import_scenario(store.unit_of_work(), "farm", parse_scenario(data))
    assert (refused.value.path, refused.value.reason) == (
        "tasks[4].contact", "must be a member of pool 'farm', got 'zoe'")
    with store.unit_of_work() as uow:
        assert uow.pools.get("farm") is None


def test_a_coordinator_names_a_task_and_the_project_counts_the_change(
    farm: MemoryUnitOfWork,
) -> None:
    task, owner = labels.name_task(farm, "farm", "bookkeeping", name="Buchführung",
                                   description="Belege\r\nsortieren", place="Büro",
                                   contact="fatima", version=1, actor="ana")
    assert (task.name, task.description, task.place, task.contact) == (
        "Buchführung", "Belege\nsortieren", "Büro", "fatima")
    assert owner.version == 2
    entry = audit.audit_log(farm, "farm", limit=1)[0]
    assert (entry.action, entry.subject, entry.actor) == ("task.names", "bookkeeping", "ana")
    assert entry.detail["name"] == {"before": "Buchhaltung", "after": "Buchführung"}
    kept, _ = labels.name_task(farm, "farm", "bookkeeping", place="")
    assert (kept.name, kept.place) == ("Buchführung", None)  # left out: kept; empty: none


def test_a_task_s_contact_must_be_an_active_member(farm: MemoryUnitOfWork) -> None:
    pools.remove_member(farm, "farm", "hugo")
    before = _parts(farm)
    for who in ("hugo", "zoe"):
        with pytest.raises(InputError) as refused:
            labels.name_task(farm, "farm", "milking", name="Melken am Morgen", contact=who)
        assert refused.value.path == "contact"
    assert _parts(farm) == before


def test_a_stale_or_bad_naming_stores_nothing(farm: MemoryUnitOfWork) -> None:
    before = _parts(farm)
    with pytest.raises(StaleEditError):
        labels.name_project(farm, "farm", "dairy", name="Milch", version=7)
    with pytest.raises(InputError) as refused:
        labels.name_project(farm, "farm", "dairy", description="\x00")
    assert refused.value.path == "description"
    with pytest.raises(NotFoundError):
        labels.name_task(farm, "farm", "sheep_shearing", name="Schafe scheren")
    with pytest.raises(InputError):
        projects.change_good(farm, "farm", "milk_share", capacity=3, name="x" * 101)
    assert _parts(farm) == before


def test_a_good_is_named_and_planned_in_one_step(farm: MemoryUnitOfWork) -> None:
    good, owner = projects.change_good(farm, "farm", "milk_share", capacity=4, name="Milch",
                                       version=1)
    assert (good.name, good.capacity, good.description, owner.version) == (
        "Milch", 4, None, 2)
    named, _ = projects.change_good(farm, "farm", "milk_share", description="frisch")
    assert (named.name, named.capacity, named.description) == ("Milch", 4, "frisch")


def test_a_project_that_left_may_still_be_named(farm: MemoryUnitOfWork) -> None:
    projects.leave_project(farm, "farm", "office")
    project = labels.name_project(farm, "farm", "office", name="Verwaltung")
    assert (project.name, project.active) == ("Verwaltung", False)


def test_the_pool_s_names_are_settings_of_the_pool(farm: MemoryUnitOfWork) -> None:
    pool = pools.update_settings(farm, "farm", display_name=" Solawi am Hang ",
                                 description="Wir teilen Arbeit und Ernte.", version=1)
    assert (pool.display_name, pool.shown_name, pool.version) == (
        "Solawi am Hang", "Solawi am Hang", 2)
    assert labels.labels(farm, "farm").pool == "Solawi am Hang"
    changed = pools.update_settings(farm, "farm", public=True)
    assert changed.display_name == "Solawi am Hang"  # kept when other settings change
    cleared = pools.update_settings(farm, "farm", display_name=None)
    assert (cleared.display_name, cleared.shown_name) == (None, "farm")


def test_a_founded_pool_may_be_named_from_the_start(store: MemoryStore) -> None:
    from peerconomy.services import users

    users.create_user(store.unit_of_work(), "ana", "ana@farm.example")
    membership.found_pool(store.unit_of_work(), "hang", "ana", display_name="Solawi am Hang")
    assert labels.labels(store.unit_of_work(), "hang").pool == "Solawi am Hang"
    with pytest.raises(InputError) as refused:
        membership.found_pool(store.unit_of_work(), "tal", "ana", display_name="\x1b[2J")
    assert refused.value.path == "display_name"
    with store.unit_of_work() as uow:
        assert uow.pools.get("tal") is None


def test_a_project_joining_with_a_stranger_as_contact_is_refused(
    farm: MemoryUnitOfWork,
) -> None:
    shearing = Task(id="shearing", project="sheep", name="Schafe scheren", contact="zoe")
    with pytest.raises(InputError) as refused:
        projects.join_project(farm, "farm", "sheep", [shearing], name="Schäferei")
    assert refused.value.path == "tasks[0].contact"
    assert "sheep" not in {p.id for p, _, _ in _parts(farm)}


def test_the_notice_of_a_cleared_plan_names_the_pool_and_the_tasks(
    farm: MemoryUnitOfWork,
) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from peerconomy.services import accounts, lookup

    at = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)
    accounts.sign_up(farm, "chiara", "chiara@farm.example", "a long enough password",
                     mode="open", now=at)
    with farm:
        farm.accounts.put_user(replace(lookup.user(farm, "chiara"), email_verified_at=at))
        farm.commit()
    membership.link_member(farm, "farm", "chiara", "chiara")
    pools.update_settings(farm, "farm", display_name="Solawi am Hang")
    with farm:
        before = max((m.id for m in farm.mail.outbox()), default=0)
    periods.clear_period(farm, "farm")
    with farm:
        queued = [m.notice for m in farm.mail.outbox() if m.id > before]
    [notice] = queued  # chiara's: her assignments, by the tasks' names
    assert "Solawi am Hang" in notice and "Jäten" in notice and "Ernte" in notice
    assert '"weeding' not in notice
