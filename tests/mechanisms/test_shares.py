"""Stage 3: costs from the task weights, and shares that add up to the weighted effort."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from peerconomy.mechanisms.goods import AUCTION, EFFORT, FLAT_ALLOCATION, FLAT_RATE
from peerconomy.mechanisms.shares import Charges, charge


def run(
    *,
    weight: list[float],
    recipes: list[dict[int, float]],
    models: list[int],
    allocations: list[tuple[int, int, int]],
    exempt: list[bool],
    fixed: list[float] | None = None,
    premium: list[float] | None = None,
    projects: list[int] | None = None,
) -> Charges:
    """Charges for goods with ``recipes`` (task -> hours) and allocations (person, good, units)."""
    n_goods, n_tasks = len(models), len(weight)
    fixed_hours = np.array(fixed or [0.0] * n_tasks)
    units = np.zeros(n_goods)
    for _, g, n in allocations:
        units[g] += n
    hours = fixed_hours.copy()
    for g, recipe in enumerate(recipes):
        for t, h in recipe.items():
            hours[t] += h * units[g]
    pairs = [(g, t, h) for g, recipe in enumerate(recipes) for t, h in recipe.items()]
    return charge(
        weight=np.array(weight, dtype=np.float64),
        hours=hours,
        fixed_hours=fixed_hours,
        recipe_good=np.array([p[0] for p in pairs], dtype=np.int64),
        recipe_task=np.array([p[1] for p in pairs], dtype=np.int64),
        recipe_hours=np.array([p[2] for p in pairs], dtype=np.float64),
        good_model=np.array(models, dtype=np.int64),
        good_project=np.array(projects or [0] * n_goods, dtype=np.int64),
        premium=np.array(premium or [0.0] * n_goods, dtype=np.float64),
        alloc_participant=np.array([a[0] for a in allocations], dtype=np.int64),
        alloc_good=np.array([a[1] for a in allocations], dtype=np.int64),
        alloc_units=np.array([a[2] for a in allocations], dtype=np.int64),
        exempt=np.array(exempt),
    )


ASSEMBLE, PAINT = 0, 1
BICYCLE, MOTORCYCLE = 0, 1
WORKSHOP = [{ASSEMBLE: 2.0, PAINT: 1.0}, {ASSEMBLE: 6.0, PAINT: 3.0}]


def test_a_motorcycle_costs_three_times_a_bicycle() -> None:
    ana, ben = 0, 1
    result = run(
        weight=[1.0, 1.0],
        recipes=WORKSHOP,
        models=[EFFORT, EFFORT],
        allocations=[(ana, BICYCLE, 1), (ben, MOTORCYCLE, 1)],
        exempt=[False, False],
    )
    assert result.unit_cost.tolist() == [3.0, 9.0]
    assert result.share.tolist() == [3.0, 9.0]
    assert result.weighted_effort == 12.0


def test_costs_follow_the_weights_of_the_work() -> None:
    # painting is unpopular this period (weight 2): a bicycle costs 2*1 + 1*2 = 4
    result = run(
        weight=[1.0, 2.0], recipes=WORKSHOP, models=[EFFORT, EFFORT],
        allocations=[(0, BICYCLE, 1)], exempt=[False],
    )
    assert result.unit_cost[BICYCLE] == 4.0
    assert result.weighted_effort == 4.0


def test_a_premium_lowers_the_cost_of_every_other_unit() -> None:
    # a sea-view flat (6 hours) goes with a premium of 6; a garden flat (6 hours) has none.
    # E_A = 12, P = 6, beta = 2/3: the sea-view flat costs 8, the garden flat 4.
    flats = [{0: 6.0}, {0: 6.0}]
    result = run(
        weight=[1.0], recipes=flats, models=[AUCTION, AUCTION],
        allocations=[(0, 0, 1), (1, 1, 1)], exempt=[False, False], premium=[6.0, 0.0],
    )
    assert np.allclose(result.unit_cost, [8.0, 4.0])
    assert math.fsum(result.share) == result.weighted_effort == 12.0


def test_flat_allocation_goods_of_a_project_cost_the_same() -> None:
    result = run(
        weight=[1.0, 1.0], recipes=WORKSHOP, models=[FLAT_ALLOCATION, FLAT_ALLOCATION],
        allocations=[(0, BICYCLE, 1), (1, MOTORCYCLE, 1)], exempt=[False, False],
    )
    assert result.unit_cost.tolist() == [6.0, 6.0]
    assert result.share.tolist() == [6.0, 6.0]


def test_flat_rate_goods_and_fixed_hours_are_shared_evenly() -> None:
    # vegetables (2 hours each, flat rate) to Ana only, plus 4 fixed hours of bookkeeping:
    # 3 participants carry (2*3 + 4) / 3 each, and the vegetables themselves cost nothing
    veg = [{0: 2.0}]
    result = run(
        weight=[1.0, 1.0], recipes=veg, models=[FLAT_RATE], allocations=[(0, 0, 3)],
        exempt=[False, False, False], fixed=[0.0, 4.0],
    )
    assert result.unit_cost.tolist() == [0.0]
    assert np.allclose(result.share, [10 / 3] * 3)
    assert math.fsum(result.share) == result.weighted_effort == 10.0


def test_an_exempt_members_charges_are_carried_in_proportion_to_shares() -> None:
    # Ana takes a bicycle (3), Ben a motorcycle (9), Carla (exempt) a bicycle (3):
    # Ana carries 3 * 3/12, Ben 3 * 9/12 of it
    result = run(
        weight=[1.0, 1.0], recipes=WORKSHOP, models=[EFFORT, EFFORT],
        allocations=[(0, BICYCLE, 1), (1, MOTORCYCLE, 1), (2, BICYCLE, 1)],
        exempt=[False, False, True],
    )
    assert np.allclose(result.share, [3.75, 11.25, 0.0])
    assert result.allocation_cost.tolist() == [3.0, 9.0, 3.0]


@st.composite
def periods(draw: st.DrawFn) -> dict[str, object]:
    n_tasks = draw(st.integers(1, 3))
    n_goods = draw(st.integers(1, 4))
    n_people = draw(st.integers(1, 4))
    amount = st.floats(0, 10, allow_subnormal=False).map(lambda x: round(x, 3))
    recipes = [
        draw(st.dictionaries(st.integers(0, n_tasks - 1), amount, max_size=n_tasks))
        for _ in range(n_goods)
    ]
    return {
        "weight": draw(st.lists(st.floats(0.1, 5).map(lambda x: round(x, 4)),
                                min_size=n_tasks, max_size=n_tasks)),
        "recipes": recipes,
        "models": draw(st.lists(st.sampled_from([FLAT_RATE, FLAT_ALLOCATION, EFFORT, AUCTION]),
                                min_size=n_goods, max_size=n_goods)),
        "allocations": draw(st.lists(st.tuples(st.integers(0, n_people - 1),
                                               st.integers(0, n_goods - 1), st.integers(1, 4)),
                                     max_size=6)),
        "exempt": draw(st.lists(st.booleans(), min_size=n_people, max_size=n_people)),
        "fixed": draw(st.lists(amount, min_size=n_tasks, max_size=n_tasks)),
        "premium": draw(st.lists(st.floats(0, 8).map(lambda x: round(x, 2)),
                                 min_size=n_goods, max_size=n_goods)),
        "projects": draw(st.lists(st.integers(0, 1), min_size=n_goods, max_size=n_goods)),
    }


@settings(max_examples=300, deadline=None)
@given(period=periods())
def test_shares_add_up_to_the_weighted_effort_exactly(period: dict) -> None:
    result = run(**period)
    assert math.fsum(result.share) == result.weighted_effort
    exempt = np.array(period["exempt"])
    if not exempt.all():
        assert np.all(result.share[exempt] == 0.0)
    assert np.all(result.share >= -1e-9)


@settings(max_examples=200, deadline=None)
@given(period=periods())
def test_a_premium_never_raises_anything_but_its_own_good(period: dict) -> None:
    without = run(**{**period, "premium": [0.0] * len(period["models"])})
    with_ = run(**period)
    premium = np.array(period["premium"])
    other = premium == 0
    assert np.all(with_.unit_cost[other] <= without.unit_cost[other] + 1e-9)
    assert math.isclose(math.fsum(with_.share), math.fsum(without.share))
