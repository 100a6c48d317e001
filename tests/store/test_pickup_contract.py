"""The store contract for pick-up points and members' choices, alike on memory, SQLite and
PostgreSQL: the farm's shop and neighbourhood centre, ana's choice, a point retired."""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.pool import Member, Pool
from peerconomy.services import pickup
from peerconomy.services.errors import ConflictError, InputError, StaleEditError
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore

Store = MemoryStore | SqlStore
FARM = "farm"
HOFLADEN = PickupPoint("hofladen", "Hofladen", "Dorfstraße 1", "Sat 9:00\u201312:00")
ZENTRUM = PickupPoint("zentrum", "Stadtteilzentrum", "Marktplatz 3")


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    with store.unit_of_work() as setup:
        setup.pools.add(Pool(FARM))
        setup.pools.add(Pool("hillside"))
        setup.pools.add_members(FARM, [Member("ana"), Member("ben", pickup_point="zentrum")])
        setup.commit()
    return store.unit_of_work()


def test_points_come_back_in_the_order_added_and_a_change_keeps_its_place(
    uow: UnitOfWork,
) -> None:
    with uow:
        uow.pools.put_pickup_point(FARM, ZENTRUM)
        uow.pools.put_pickup_point(FARM, HOFLADEN)
        uow.pools.put_pickup_point(FARM, replace(ZENTRUM, name="Zentrum 🥕", version=2,
                                                 active=False))
        uow.commit()
    with uow:
        assert uow.pools.pickup_points(FARM) == [
            replace(ZENTRUM, name="Zentrum 🥕", version=2, active=False), HOFLADEN]
        assert uow.pools.pickup_points("hillside") == []


def test_a_members_choice_is_kept_with_the_member(uow: UnitOfWork) -> None:
    with uow:
        assert uow.pools.member(FARM, "ben") == Member("ben", pickup_point="zentrum")
        uow.pools.put_member(FARM, Member("ana", pickup_point="hofladen", version=2))
        uow.commit()
    with uow:
        assert [(m.id, m.pickup_point) for m in uow.pools.members(FARM)] == [
            ("ana", "hofladen"), ("ben", "zentrum")]


def test_the_services_add_change_retire_and_choose_on_every_store(uow: UnitOfWork) -> None:
    pickup.add_point(uow, FARM, HOFLADEN, actor="ana")
    pickup.add_point(uow, FARM, ZENTRUM)
    with pytest.raises(ConflictError, match="has a pick-up point 'zentrum' already"):
        pickup.add_point(uow, FARM, ZENTRUM)
    assert pickup.choose_point(uow, FARM, "ana", "hofladen").pickup_point == "hofladen"
    with pytest.raises(InputError, match="pickup_point: no pick-up point 'mill'"):
        pickup.choose_point(uow, FARM, "ana", "mill")
    retired = pickup.change_point(uow, FARM, "zentrum", active=False, version=1)
    assert (retired.active, retired.version) == (False, 2)
    with pytest.raises(StaleEditError):
        pickup.change_point(uow, FARM, "zentrum", name="Zentrum", version=1)
    with pytest.raises(InputError, match="pickup_point: pick-up point 'zentrum' is retired"):
        pickup.choose_point(uow, FARM, "ana", "zentrum")
    with uow:
        members = {m.id: m.pickup_point for m in uow.pools.members(FARM)}
    assert members == {"ana": "hofladen", "ben": None}  # ben's point was retired
    assert [p.id for p in pickup.pickup_points(uow, FARM, active=True)] == ["hofladen"]
