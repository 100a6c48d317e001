"""Stage 3: costs from the task weights, the premium refund, and shares that add up to the
weighted effort; checked against an independent reference of the rule (``reference``)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from peerconomy.mechanisms.goods import AUCTION, EFFORT, FLAT_ALLOCATION, FLAT_RATE
from peerconomy.mechanisms.shares import Charges, charge
from share_sums import adds_up


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
    holdings: list[tuple[int, int, int, float]] | None = None,
) -> Charges:
    """Charges for goods with ``recipes`` (task -> hours), allocations (person, good, units)
    and holdings (person, good, units, locked premium per unit)."""
    n_goods, n_tasks = len(models), len(weight)
    fixed_hours = np.array(fixed or [0.0] * n_tasks)
    held = holdings or []
    units = np.zeros(n_goods)
    for _, g, n in allocations:
        units[g] += n
    for _, g, n, _ in held:  # held units are made too
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
        # no holdings given: the period as before goods that last (the defaults, None)
        held_participant=None if holdings is None else np.array(
            [h[0] for h in held], dtype=np.int64),
        held_good=None if holdings is None else np.array([h[1] for h in held], dtype=np.int64),
        held_units=None if holdings is None else np.array([h[2] for h in held], dtype=np.int64),
        held_premium=None if holdings is None else np.array(
            [h[3] for h in held], dtype=np.float64),
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


def test_a_premium_is_paid_by_the_winner_and_comes_back_to_everyone_in_equal_parts() -> None:
    # a sea-view flat (6 hours) goes with a premium of 6; a garden flat (6 hours) has none.
    # Ana pays the sea-view flat's price, 12, Ben the garden flat's, 6; P = 6 comes back
    # in two equal parts of 3: Ana's share is 9, Ben's 3. (Under beta the flats cost 8 and 4.)
    flats = [{0: 6.0}, {0: 6.0}]
    result = run(
        weight=[1.0], recipes=flats, models=[AUCTION, AUCTION],
        allocations=[(0, 0, 1), (1, 1, 1)], exempt=[False, False], premium=[6.0, 0.0],
    )
    assert result.unit_cost.tolist() == [12.0, 6.0]
    assert result.allocation_cost.tolist() == [12.0, 6.0]
    assert result.refund.tolist() == [3.0, 3.0]
    assert result.share.tolist() == [9.0, 3.0]
    assert math.fsum(result.share) == result.weighted_effort == 12.0


def test_a_member_who_takes_nothing_is_compensated_for_waiting() -> None:
    # two households bid for one flat (6 hours); Ana wins at a premium of 4 and pays 10.
    # The premium comes back as 2 each: Ben's share is -2, his balance gains what Ana paid
    # beyond the flat's effort.
    result = run(
        weight=[1.0], recipes=[{0: 6.0}], models=[AUCTION], allocations=[(0, 0, 1)],
        exempt=[False, False], premium=[4.0],
    )
    assert result.allocation_cost.tolist() == [10.0]
    assert result.share.tolist() == [8.0, -2.0]
    assert result.refund.tolist() == [2.0, 2.0]


def test_each_share_where_overhead_an_exempt_member_and_a_premium_meet() -> None:
    # Ana takes a sea-view flat (6 hours, premium 6: she pays 12), Ben and Carla (exempt) a
    # garden flat each (6 hours, no premium), and 6 fixed hours of upkeep. The overhead, 6,
    # falls on Ana and Ben only (3 each): 15 and 9. Carla's 6 are carried in proportion:
    # Ana 6 * 15/24 = 3.75, Ben 2.25. The premium, 6, comes back to Ana and Ben: 3 each.
    # Shares 15.75, 8.25 and 0; E_w = 18 + 6 = 24. Sharing the overhead over all three (the
    # exempt included, the residue then landing on the largest share) gives 16.82 and 7.18.
    flats = [{0: 6.0}, {0: 6.0}]
    result = run(
        weight=[1.0], recipes=flats, models=[AUCTION, AUCTION],
        allocations=[(0, 0, 1), (1, 1, 1), (2, 1, 1)], exempt=[False, False, True],
        fixed=[6.0], premium=[6.0, 0.0],
    )
    assert result.allocation_cost.tolist() == [12.0, 6.0, 6.0]
    assert result.share.tolist() == [15.75, 8.25, 0.0]
    assert result.refund.tolist() == [3.0, 3.0, 0.0]
    assert result.weighted_effort == 24.0


def test_flat_allocation_goods_of_a_project_cost_the_same() -> None:
    result = run(
        weight=[1.0, 1.0], recipes=WORKSHOP, models=[FLAT_ALLOCATION, FLAT_ALLOCATION],
        allocations=[(0, BICYCLE, 1), (1, MOTORCYCLE, 1)], exempt=[False, False],
    )
    assert result.unit_cost.tolist() == [6.0, 6.0]
    assert result.share.tolist() == [6.0, 6.0]


def test_a_flat_allocation_projects_goods_cost_its_mean_even_when_only_one_unit_is_taken() -> None:
    # Ana takes the one bicycle of the period: the motorcycle would cost the same, 3
    result = run(
        weight=[1.0, 1.0], recipes=WORKSHOP, models=[FLAT_ALLOCATION, FLAT_ALLOCATION],
        allocations=[(0, BICYCLE, 1)], exempt=[False, False],
    )
    assert result.unit_cost.tolist() == [3.0, 3.0]
    assert result.share.tolist() == [3.0, 0.0]


def test_each_flat_allocation_project_has_its_own_mean_beside_other_projects_goods() -> None:
    # the workshop's bicycles and motorcycles (project 0), the bakery's loaves and cakes
    # (project 1, 1 and 3 hours), all flat allocation, and the farm's veg box (project 2,
    # effort, 2 hours). Ana: a bicycle and a loaf; Ben: a motorcycle, a cake and a veg box
    recipes = [*WORKSHOP, {ASSEMBLE: 1.0}, {ASSEMBLE: 3.0}, {PAINT: 2.0}]
    result = run(
        weight=[1.0, 1.0], recipes=recipes,
        models=[FLAT_ALLOCATION, FLAT_ALLOCATION, FLAT_ALLOCATION, FLAT_ALLOCATION, EFFORT],
        allocations=[(0, 0, 1), (0, 2, 1), (1, 1, 1), (1, 3, 1), (1, 4, 1)],
        exempt=[False, False], projects=[0, 0, 1, 1, 2],
    )
    assert result.unit_cost.tolist() == [6.0, 6.0, 2.0, 2.0, 2.0]
    assert result.share.tolist() == [8.0, 10.0]


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


def test_small_shares_carry_an_exempt_members_charges_in_proportion_too() -> None:
    # the workshop at weight 0.05 an hour: a bicycle costs 0.15, a motorcycle 0.45; the
    # shares before carrying add up to 0.6, below 1, and still carry Carla's bicycle 1 : 3
    result = run(
        weight=[0.05, 0.05], recipes=WORKSHOP, models=[EFFORT, EFFORT],
        allocations=[(0, BICYCLE, 1), (1, MOTORCYCLE, 1), (2, BICYCLE, 1)],
        exempt=[False, False, True],
    )
    assert np.allclose(result.share, [0.1875, 0.5625, 0.0], rtol=1e-15, atol=0.0)
    assert math.fsum(result.share) == result.weighted_effort


def test_members_who_take_nothing_carry_an_exempt_members_charges_evenly() -> None:
    # only Carla (exempt) takes anything, a bicycle (3): Ana and Ben carry 1.5 each
    result = run(
        weight=[1.0, 1.0], recipes=WORKSHOP, models=[EFFORT, EFFORT],
        allocations=[(2, BICYCLE, 1)], exempt=[False, False, True],
    )
    assert result.share.tolist() == [1.5, 1.5, 0.0]


def test_the_rounding_residue_goes_to_the_largest_share() -> None:
    # the workshop at weight 0.1: a bicycle costs 0.30000000000000004 in floats, a
    # motorcycle 0.9000000000000001, and the three costs add up to one float step over
    # E_w = 1.5. Ana and Carla keep their bicycles' cost; Ben's motorcycle, the largest
    # share, takes the residue (0.8999999999999999, so that the sum is 1.5 exactly)
    result = run(
        weight=[0.1, 0.1], recipes=WORKSHOP, models=[EFFORT, EFFORT],
        allocations=[(0, BICYCLE, 1), (1, MOTORCYCLE, 1), (2, BICYCLE, 1)],
        exempt=[False, False, False],
    )
    bicycle, motorcycle = result.unit_cost.tolist()
    assert (bicycle, motorcycle) == (0.30000000000000004, 0.9000000000000001)
    assert result.share.tolist() == [bicycle, 0.8999999999999999, bicycle]
    assert math.fsum(result.share) == result.weighted_effort == 1.5


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
        "holdings": draw(st.lists(st.tuples(
            st.integers(0, n_people - 1), st.integers(0, n_goods - 1), st.integers(1, 3),
            st.sampled_from([0.0, 1.5, 4.0, 12.0])), max_size=3)),
    }


@settings(max_examples=300, deadline=None)
@given(period=periods())
def test_shares_add_up_to_the_weighted_effort_exactly(period: dict) -> None:
    result = run(**period)
    assert adds_up(result.share.tolist(), result.weighted_effort)
    exempt = np.array(period["exempt"])
    if not exempt.all():
        assert np.all(result.share[exempt] == 0.0)
        assert np.all(result.refund[exempt] == 0.0)


@settings(max_examples=200, deadline=None)
@given(period=periods())
def test_a_premium_never_raises_anything_but_its_own_good(period: dict) -> None:
    period = {**period, "holdings": []}
    without = run(**{**period, "premium": [0.0] * len(period["models"])})
    with_ = run(**period)
    premium = np.array(period["premium"])
    other = (premium == 0) | (np.array(period["models"]) != AUCTION)
    assert np.array_equal(with_.unit_cost[other], without.unit_cost[other])
    assert math.isclose(math.fsum(with_.share), math.fsum(without.share))


def reference(period: dict) -> tuple[list[float], list[float], list[float], list[float]]:
    """Stage 3 by the rule's words, participant by participant, in plain Python: the cost
    of each allocation, each participant's refund and share, and the charge of each holding
    (independent of the engine)."""
    weight, recipes, models = period["weight"], period["recipes"], period["models"]
    premium, projects = period["premium"], period["projects"]
    exempt, allocations, fixed = period["exempt"], period["allocations"], period["fixed"]
    held = period.get("holdings", [])
    people = range(len(exempt))
    effort = [sum(hours * weight[t] for t, hours in recipe.items()) for recipe in recipes]
    units = [sum(n for _, g, n in allocations if g == good)
             + sum(n for _, g, n, _ in held if g == good) for good in range(len(models))]

    def unit_cost(good: int) -> float:
        model = models[good]
        if model == FLAT_RATE:
            return 0.0
        if model == AUCTION:
            return effort[good] + premium[good]
        if model == EFFORT:
            return effort[good]
        same = [k for k in range(len(models))
                if models[k] == FLAT_ALLOCATION and projects[k] == projects[good]]
        taken = sum(units[k] for k in same)
        return sum(units[k] * effort[k] for k in same) / taken if taken else effort[good]

    costs = [unit_cost(g) * n for _, g, n in allocations]
    # a held unit: its good's cost without this period's premium, plus the locked one
    held_costs = [((effort[g] if models[g] == AUCTION else unit_cost(g)) + locked) * n
                  for _, g, n, locked in held]
    own = [sum(c for (p, _, _), c in zip(allocations, costs, strict=True) if p == who)
           + sum(c for (p, _, _, _), c in zip(held, held_costs, strict=True) if p == who)
           for who in people]
    overhead = sum(units[g] * effort[g] for g in range(len(models)) if models[g] == FLAT_RATE)
    overhead += sum(w * f for w, f in zip(weight, fixed, strict=True))
    carriers = [p for p in people if not exempt[p]] or list(people)
    share = [0.0 for _ in people]
    for p in carriers:
        share[p] = own[p] + overhead / len(carriers)
    carried = sum(own[p] for p in people if p not in carriers)
    base = sum(share)
    for p in carriers:
        share[p] += carried * share[p] / base if base > 0 else carried / len(carriers)
    premiums = sum(n * premium[g] for _, g, n in allocations if models[g] == AUCTION)
    premiums += sum(n * locked for _, _, n, locked in held)
    refund = [premiums / len(carriers) if p in carriers else 0.0 for p in people]
    return costs, refund, [s - r for s, r in zip(share, refund, strict=True)], held_costs


@settings(max_examples=300, deadline=None)
@given(period=periods())
def test_stage_three_agrees_with_an_independent_reference(period: dict) -> None:
    result = run(**period)
    costs, refund, share, held_costs = reference(period)
    scale = 1.0 + result.weighted_effort + sum(map(abs, share))
    assert np.allclose(result.allocation_cost, costs, rtol=1e-12, atol=1e-12 * scale)
    assert np.allclose(result.held_cost, held_costs, rtol=1e-12, atol=1e-12 * scale)
    assert np.allclose(result.refund, refund, rtol=1e-12, atol=1e-12 * scale)
    assert np.allclose(result.share, share, rtol=1e-12, atol=1e-9 * scale)


@settings(max_examples=300, deadline=None)
@given(period=periods())
def test_the_premiums_come_back_in_equal_parts_and_winners_pay_the_auction_price(
    period: dict,
) -> None:
    result = run(**period)
    exempt = np.array(period["exempt"], dtype=bool)
    carriers = ~exempt if (~exempt).any() else np.ones(len(exempt), dtype=bool)
    models, premium = np.array(period["models"]), np.array(period["premium"])
    allocations = period["allocations"]
    units = np.zeros(len(models))
    for _, g, n in allocations:
        units[g] += n
    premiums = math.fsum((units * premium)[models == AUCTION]) + math.fsum(
        n * locked for _, _, n, locked in period["holdings"])  # locked premiums come back too
    # every carrier gets the same refund, the exempt none, and together they are P
    assert len(set(result.refund[carriers].tolist())) == 1
    assert np.all(result.refund[~carriers] == 0.0)
    assert math.isclose(math.fsum(result.refund), premiums, rel_tol=1e-12, abs_tol=1e-9)
    # a winner's charge is the auction's price: effort at the weights plus the premium
    effort = [sum(h * period["weight"][t] for t, h in recipe.items())
              for recipe in period["recipes"]]
    for k, (_, g, n) in enumerate(allocations):
        if models[g] == AUCTION:
            assert math.isclose(result.allocation_cost[k], (effort[g] + premium[g]) * n,
                                rel_tol=1e-12)


def test_a_held_flat_costs_its_upkeep_at_the_weights_and_the_premium_locked() -> None:
    """A sea-view flat (6 h of cleaning) held by household 0 at a locked premium of 12; this
    period cleaning weighs 1.5 and nobody wins anything. Household 0 pays 9 + 12 = 21, and
    the 12 come back in thirds: shares 17, -4, -4."""
    result = run(weight=[1.5], recipes=[{0: 6.0}], models=[AUCTION], allocations=[],
                 exempt=[False, False, False], premium=[0.0],
                 holdings=[(0, 0, 1, 12.0)])

    assert result.held_cost.tolist() == [21.0]
    assert result.refund.tolist() == [4.0, 4.0, 4.0]
    assert result.share.tolist() == [17.0, -4.0, -4.0]
    assert result.weighted_effort == 9.0
