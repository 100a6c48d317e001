"""The distribution lists as a pure function, on the farm (examples/farm.json) with two
pick-up points: the farm shop (Hofladen) and the neighbourhood centre (Stadtteilzentrum).

Ana, Chiara, Emil and Hugo collect at the farm shop, Ben, Dario and Greta in town; Fatima has
chosen no point yet. The period's plan is the farm's, cleared as the example file says.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.distribution import Parcel, distribution
from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.plan import Allocation, ClearedPlan, HeldUnits
from peerconomy.domain.pool import Member
from peerconomy.domain.scenario import Good, parse_scenario

FARM = parse_scenario(json.loads(
    (Path(__file__).parents[2] / "examples" / "farm.json").read_text()))
PLAN = clear_scenario(FARM)
HOFLADEN = PickupPoint("hofladen", "Hofladen", "Dorfstraße 1", "Sat 9:00\u201312:00")
ZENTRUM = PickupPoint("zentrum", "Stadtteilzentrum", "Marktplatz 3", "Fri 16:00\u201319:00")
CHOICES = {"ana": "hofladen", "ben": "zentrum", "chiara": "hofladen", "dario": "zentrum",
           "emil": "hofladen", "fatima": None, "greta": "zentrum", "hugo": "hofladen"}
MEMBERS = [Member(who, pickup_point=point, display_name="Greta G." if who == "greta" else "")
           for who, point in CHOICES.items()]


def test_each_pick_up_point_lists_its_members_and_what_they_take_home() -> None:
    lists = distribution(PLAN, MEMBERS, [HOFLADEN, ZENTRUM], FARM.goods)
    shop, town, none = lists.lists
    assert shop.point == HOFLADEN
    assert shop.rows == (
        Parcel("ana", "ana", (("vegetable_share", 1), ("mill_bread", 2), ("milk_share", 1))),
        Parcel("chiara", "chiara", (("vegetable_share", 1), ("mill_bread", 3))),
        Parcel("emil", "emil", (("cheese_share", 1),)),
        Parcel("hugo", "hugo", (("vegetable_share", 1), ("mill_bread", 2))),
    )
    assert shop.totals == (("vegetable_share", 3), ("mill_bread", 7), ("milk_share", 1),
                           ("cheese_share", 1))
    assert town.point == ZENTRUM
    assert town.rows == (
        Parcel("ben", "ben", (("vegetable_share", 1), ("hill_bread", 1))),
        Parcel("dario", "dario", (("milk_share", 1),)),
        Parcel("greta", "Greta G.", (("vegetable_share", 1), ("mill_bread", 1),
                                     ("milk_share", 1))),
    )
    assert none.point is None
    assert none.rows == (Parcel("fatima", "fatima", (("vegetable_share", 1),
                                                     ("cheese_share", 1))),)


def test_each_project_packs_its_goods_for_each_point() -> None:
    lists = distribution(PLAN, MEMBERS, [HOFLADEN, ZENTRUM], FARM.goods)
    packed = {(p.project, line.good): (line.at, line.total)
              for p in lists.packing for line in p.lines}
    assert packed == {
        ("vegetables", "vegetable_share"): ((3, 2, 1), 6),
        ("hill_bakery", "hill_bread"): ((0, 1, 0), 1),
        ("mill_bakery", "mill_bread"): ((7, 1, 0), 8),
        ("dairy", "milk_share"): ((1, 2, 0), 3),
        ("dairy", "cheese_share"): ((1, 0, 1), 2),
    }
    assert [p.project for p in lists.packing] == ["vegetables", "hill_bakery", "mill_bakery",
                                                  "dairy"]


def test_the_lists_add_up_to_the_plans_allocations_per_participant_and_good() -> None:
    lists = distribution(PLAN, MEMBERS, [HOFLADEN, ZENTRUM], FARM.goods)
    listed = Counter({(parcel.participant, good): units
                      for _, parcel, good, units in lists.rows()})
    planned: Counter[tuple[str, str]] = Counter()
    for a in PLAN.allocations:
        planned[(a.participant, a.good)] += a.quantity
    assert listed == planned


def test_an_active_point_nobody_chose_has_an_empty_list_and_a_retired_one_none() -> None:
    shed = PickupPoint("shed", "Schuppen")
    old = PickupPoint("old", "Alter Laden", active=False)
    lists = distribution(PLAN, [Member(m.id) for m in MEMBERS], [shed, old], FARM.goods)
    assert [group.point for group in lists.lists] == [shed, None]
    assert lists.lists[0].rows == ()
    assert next(line.at for p in lists.packing for line in p.lines) == (0, 6)


def test_held_units_are_not_picked_up_and_a_left_member_keeps_their_row() -> None:
    plan = ClearedPlan(
        allocations=(Allocation("ana", "a1", "box", 1, 1.0), Allocation("ana", "a2", "box", 2,
                                                                        1.0),
                     Allocation("zoe", "z1", "box", 1, 1.0)),
        holdings=(HeldUnits("ana", "flat", 1, 3.0, 5.0),))
    box = Good(id="box", project="veg", model="flat_allocation")
    lists = distribution(plan, [Member("ana", active=False, pickup_point="shop")],
                         [PickupPoint("shop", "Laden")], [box])
    shop, none = lists.lists
    assert shop.rows == (Parcel("ana", "ana", (("box", 3),)),)
    assert none.rows == (Parcel("zoe", "zoe", (("box", 1),)),)  # not in the records
    assert lists.of("ana") == (shop.point, shop.rows[0])
    assert lists.of("ben") == (None, None)


@given(st.lists(st.tuples(st.sampled_from(["ana", "ben", "cem", "dan"]),
                          st.sampled_from(["box", "bread", "milk"]),
                          st.integers(0, 5)), max_size=20),
       st.lists(st.sampled_from(["shop", "town", None, "gone"]), min_size=4, max_size=4))
def test_every_allocated_unit_is_on_exactly_one_list(
    allocations: list[tuple[str, str, int]], choices: list[str | None],
) -> None:
    plan = ClearedPlan(allocations=tuple(
        Allocation(who, f"w{i}", good, units, 0.0)
        for i, (who, good, units) in enumerate(allocations)))
    members = [Member(who, pickup_point=point)
               for who, point in zip(["ana", "ben", "cem", "dan"], choices, strict=True)]
    points = [PickupPoint("shop", "Laden"), PickupPoint("town", "Stadt")]
    lists = distribution(plan, members, points, [])
    listed: Counter[tuple[str, str]] = Counter()
    seen: list[str] = []
    for group in lists.lists:
        for parcel in group.rows:
            seen.append(parcel.participant)
            chosen = next(m.pickup_point for m in members if m.id == parcel.participant)
            assert (group.point.id if group.point else None) == (
                chosen if chosen in ("shop", "town") else None)
            for good, units in parcel.goods:
                assert units > 0
                listed[(parcel.participant, good)] += units
    assert len(seen) == len(set(seen))
    planned: Counter[tuple[str, str]] = Counter()
    for who, good, units in allocations:
        if units:
            planned[(who, good)] += units
    assert listed == planned
    packed = Counter({line.good: line.total for p in lists.packing for line in p.lines})
    assert packed == Counter({good: sum(u for (_, g), u in planned.items() if g == good)
                              for _, good in planned})
