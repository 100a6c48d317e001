"""The distribution lists read from a running pool (memory store): the farm
(examples/farm.json) with the farm shop and the neighbourhood centre, period 1 cleared and
settled, period 2 collecting; Ana and Hugo collect at the shop, Ben in town."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.scenario import parse_scenario
from peerconomy.services import distribution, periods, pickup
from peerconomy.services.errors import NotFoundError
from peerconomy.services.pools import import_scenario
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore

FARM = parse_scenario(json.loads(
    (Path(__file__).parents[2] / "examples" / "farm.json").read_text()))


@pytest.fixture
def uow() -> UnitOfWork:
    store = MemoryStore()
    import_scenario(store.unit_of_work(), "farm", FARM, coordinators=["ana"])
    for point in (PickupPoint("hofladen", "Hofladen"), PickupPoint("zentrum", "Zentrum")):
        pickup.add_point(store.unit_of_work(), "farm", point)
    for who, point in (("ana", "hofladen"), ("hugo", "hofladen"), ("ben", "zentrum")):
        pickup.choose_point(store.unit_of_work(), "farm", who, point)
    return store.unit_of_work()


def test_the_lists_of_the_cleared_period_add_up_to_its_plan(uow: UnitOfWork) -> None:
    plan = periods.clear_period(uow, "farm")
    number, lists = distribution.period_distribution(uow, "farm")
    assert number == 1
    shop, town, none = lists.lists
    assert [p.participant for p in shop.rows] == ["ana", "hugo"]
    assert [p.participant for p in town.rows] == ["ben"]
    assert [p.participant for p in none.rows] == ["chiara", "dario", "emil", "fatima", "greta"]
    listed = Counter({(parcel.participant, good): units
                      for _, parcel, good, units in lists.rows()})
    planned: Counter[tuple[str, str]] = Counter()
    for a in plan.data.allocations:
        planned[(a.participant, a.good)] += a.quantity
    assert listed == planned


def test_after_settling_the_default_is_the_last_plan_and_the_new_period_has_none(
    uow: UnitOfWork,
) -> None:
    periods.clear_period(uow, "farm")
    periods.settle_period(uow, "farm")
    assert distribution.period_distribution(uow, "farm")[0] == 1
    with pytest.raises(NotFoundError, match="no plan of period 2 in pool 'farm'"):
        distribution.period_distribution(uow, "farm", 2)
    with pytest.raises(NotFoundError, match="no period 3 in pool 'farm'"):
        distribution.period_distribution(uow, "farm", 3)


def test_a_member_sees_their_point_and_parcel(uow: UnitOfWork) -> None:
    before = distribution.my_pickup(uow, "farm", "ana")
    assert before.point is not None and before.point.name == "Hofladen"
    assert before.parcel is None  # nothing cleared yet
    assert [p.id for p in before.points] == ["hofladen", "zentrum"]
    periods.clear_period(uow, "farm")
    after = distribution.my_pickup(uow, "farm", "ana")
    assert after.parcel is not None
    assert after.parcel.goods == (("vegetable_share", 1), ("mill_bread", 2), ("milk_share", 1))
    assert distribution.my_pickup(uow, "farm", "fatima").point is None


def test_the_csv_quotes_a_name_that_would_be_a_formula(uow: UnitOfWork) -> None:
    pickup.change_point(uow, "farm", "zentrum", name="=HYPERLINK(\"x\")")
    periods.clear_period(uow, "farm")
    text = distribution.to_csv(distribution.period_distribution(uow, "farm")[1])
    assert text.splitlines()[0] == ("pickup_point,pickup_point_name,participant,name,good,"
                                    "quantity,picked_up")
    assert "zentrum,\"'=HYPERLINK(\"\"x\"\")\",ben,ben,vegetable_share,1," in text
