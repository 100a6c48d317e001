"""The store contract for the names people read: a pool's display name and description, a
project's, task's and good's names, a task's place and contact, alike on memory, SQLite and
PostgreSQL.

The farm calls its weeding "Jäten" and its veg box "Gemüsekiste"; ana is the one to ask about
the weeding, in the market garden.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Member, Period, Pool, PoolProject
from peerconomy.domain.scenario import Good, Task
from peerconomy.services import labels, periods
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore

Store = MemoryStore | SqlStore
FARM = "farm"
GARDEN = PoolProject("garden", name="Gärtnerei", description="Gemüse vom Hang\nseit 2019")
WEEDING = Task(id="weeding", project="garden", fixed_hours=1.0, name="Jäten",
               description="Unkraut zwischen den Reihen", place="Hang, Reihe 3 bis 7",
               contact="ana")
HARVEST = Task(id="harvest", project="garden")
VEG_BOX = Good(id="veg_box", project="garden", model="flat_allocation", capacity=2,
               recipe={"weeding": 0.5}, name="Gemüsekiste", description="Was die Woche bringt")


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    """The farm with its named garden, the weeding, the harvest (no name) and the veg box."""
    with store.unit_of_work() as setup:
        setup.pools.add(Pool(FARM, display_name="Solawi am Hang", description="Wir teilen."))
        setup.pools.put_project(FARM, GARDEN)
        setup.pools.add_members(FARM, [Member("ana", display_name="Ana"), Member("ben")])
        setup.pools.add_tasks(FARM, [WEEDING, HARVEST])
        setup.pools.add_goods(FARM, [VEG_BOX])
        setup.periods.add(Period(FARM, 1, PeriodState.COLLECTING))
        setup.commit()
    return store.unit_of_work()


def test_the_names_come_back_as_they_were_stored(uow: UnitOfWork) -> None:
    with uow:
        pool = uow.pools.get(FARM)
        assert pool is not None
        assert (pool.display_name, pool.description) == ("Solawi am Hang", "Wir teilen.")
        assert pool.shown_name == "Solawi am Hang"
        assert uow.pools.projects(FARM) == [GARDEN]
        assert uow.pools.tasks(FARM) == [WEEDING, HARVEST]
        assert uow.pools.goods(FARM) == [VEG_BOX]
        standing = uow.pools.standing(FARM, "nobody")
        assert standing is not None and standing[0] == pool


def test_a_pools_names_are_replaced_with_its_settings(uow: UnitOfWork) -> None:
    with uow:
        pool = uow.pools.lock(FARM)
        assert pool is not None
        uow.pools.put_settings(replace(pool, display_name=None, description="Neu.",
                                       version=2))
        uow.commit()
    with uow:
        again = uow.pools.get(FARM)
        assert again is not None
        assert (again.display_name, again.description, again.version) == (None, "Neu.", 2)
        assert again.shown_name == FARM


def test_a_task_is_renamed_in_its_place_and_the_others_stay(uow: UnitOfWork) -> None:
    moved = replace(HARVEST, name="Ernte", place="Scheune", contact="ben")
    with uow:
        uow.pools.put_task(FARM, moved)
        uow.commit()
    with uow:
        assert uow.pools.tasks(FARM) == [WEEDING, moved]


def test_the_labels_show_names_and_fall_back_to_ids(uow: UnitOfWork) -> None:
    names = labels.labels(uow, FARM)
    assert names.pool == "Solawi am Hang"
    assert (names.project("garden"), names.task("weeding"), names.task("harvest")) == (
        "Gärtnerei", "Jäten", "harvest")
    assert (names.good("veg_box"), names.member("ana"), names.member("ben")) == (
        "Gemüsekiste", "Ana", "ben")


def test_a_renamed_participant_is_renamed_as_a_tasks_contact_too(uow: UnitOfWork) -> None:
    with uow:
        uow.pools.rename_participant(FARM, "ana", "gone-0a1b2c3d")
        uow.commit()
    with uow:
        assert [t.contact for t in uow.pools.tasks(FARM)] == ["gone-0a1b2c3d", None]


def test_names_leave_the_periods_input_hash_as_it_was(uow: UnitOfWork) -> None:
    with uow:
        period = uow.periods.latest(FARM)
        assert period is not None
        named = periods.period_scenario(uow, period)
        uow.pools.put_task(FARM, replace(WEEDING, name=None, description=None, place=None,
                                         contact=None))
        uow.pools.put_good(FARM, replace(VEG_BOX, name=None, description=None))
        uow.pools.put_project(FARM, replace(GARDEN, name=None, description=None))
        plain = periods.period_scenario(uow, period)
    assert named.tasks[0].name == "Jäten" and plain.tasks[0].name is None
    assert periods.input_hash(named) == periods.input_hash(plain)
