"""The simulator's metrics: the pure functions on hand-worked arrays, and the reporters read
off a small pool after a few periods, recomputed here from the plan and the members' traits."""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stepping import last_plan, stepped

from peerconomy.sim import metrics
from peerconomy.sim.config import SimulationConfig, parse_config
from peerconomy.sim.metrics import correlation, envy_share, gini
from peerconomy.sim.model import POOL, PoolModel

# --- gini --------------------------------------------------------------------------------


def test_gini_is_zero_when_everyone_has_the_same() -> None:
    assert gini(np.full(7, 3.5)) == pytest.approx(0.0, abs=1e-12)


def test_gini_is_zero_when_nobody_has_anything() -> None:
    assert gini(np.zeros(4)) == 0.0
    assert gini(np.array([])) == 0.0


@pytest.mark.parametrize("n", [2, 3, 5, 10])
def test_gini_is_n_minus_1_over_n_when_one_has_everything(n: int) -> None:
    amounts = np.zeros(n)
    amounts[n // 2] = 8.0
    assert gini(amounts) == pytest.approx((n - 1) / n)


def test_gini_of_one_two_three_four_is_a_quarter() -> None:
    # mean absolute difference over ordered pairs: 2 * (1+2+3+1+2+1) / 16 = 20/16; gini is
    # half of it over the mean 2.5: 20 / (2 * 16 * 2.5) = 0.25
    assert gini(np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(0.25)


def _gini_by_pairs(x: list[float]) -> float:
    """Gini as half the relative mean absolute difference, summed over pairs."""
    n, total = len(x), sum(x)
    if total == 0:
        return 0.0
    differences = 2 * sum(abs(a - b) for a, b in combinations(x, 2))
    return differences / (2 * n * total)


amounts = st.lists(st.floats(min_value=0, max_value=1e3, allow_nan=False), min_size=1,
                   max_size=12)


@settings(max_examples=30, deadline=None)
@given(amounts, st.floats(min_value=0.01, max_value=100), st.randoms(use_true_random=False))
def test_gini_lies_in_0_1_and_ignores_scale_and_order(
    x: list[float], scale: float, random: Any
) -> None:
    found = gini(np.array(x))
    assert -1e-12 <= found < 1
    assert found == pytest.approx(_gini_by_pairs(x), abs=1e-9)
    assert gini(np.array(x) * scale) == pytest.approx(found, abs=1e-9)
    shuffled = list(x)
    random.shuffle(shuffled)
    assert gini(np.array(shuffled)) == pytest.approx(found, abs=1e-9)


# --- correlation -------------------------------------------------------------------------


def test_a_series_rising_with_another_correlates_perfectly() -> None:
    x = np.array([1.0, 2.0, 4.0, 7.0])
    assert correlation(x, 3 * x + 2) == pytest.approx(1.0)
    assert correlation(x, -0.5 * x + 10) == pytest.approx(-1.0)


def test_correlation_is_nan_where_a_series_does_not_vary() -> None:
    x = np.array([1.0, 2.0, 3.0])
    assert math.isnan(correlation(x, np.full(3, 4.0)))
    assert math.isnan(correlation(np.zeros(3), x))
    assert math.isnan(correlation(np.array([1.0]), np.array([2.0])))


# --- envy --------------------------------------------------------------------------------


def test_only_the_member_who_prefers_anothers_goods_at_their_cost_envies() -> None:
    # goods A and B; m0 took A for 2, m1 took B for 1, m2 took nothing
    values = np.array([[4.0, 1.0], [1.0, 3.0], [2.0, 2.0]])
    bundles = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    costs = np.array([2.0, 1.0, 0.0])
    # m0: own 4-2 = 2; m1's B 1-1 = 0; nothing 0            -> content
    # m1: own 3-1 = 2; m0's A 1-2 = -1; nothing 0           -> content
    # m2: own 0; m0's A 2-2 = 0 (a tie is no envy); m1's B 2-1 = 1 -> envies m1
    assert envy_share(values, bundles, costs) == pytest.approx(1 / 3)


def test_nobody_envies_when_all_receive_the_same_at_the_same_cost() -> None:
    values = np.array([[1.0, 5.0], [5.0, 1.0]])
    bundles = np.ones((2, 2))
    assert envy_share(values, bundles, np.array([2.0, 2.0])) == 0.0
    assert envy_share(np.zeros((0, 2)), np.zeros((0, 2)), np.zeros(0)) == 0.0


def test_everyone_envies_a_swap_that_suits_them_both() -> None:
    values = np.array([[1.0, 5.0], [5.0, 1.0]])
    bundles = np.array([[1.0, 0.0], [0.0, 1.0]])  # each holds what the other wants
    assert envy_share(values, bundles, np.zeros(2)) == 1.0


# --- reporters on a small pool -----------------------------------------------------------


def _small_pool(harvest_hours: float = 10.0) -> SimulationConfig:
    return parse_config({
        "seed": 3,
        "projects": ["farm"],
        "tasks": [
            {"id": "harvest", "project": "farm", "fixed_hours": harvest_hours},
            {"id": "bake", "project": "farm"},
        ],
        "goods": [
            {"id": "bread", "project": "farm", "recipe": {"bake": 1.5}, "value": [2.0, 4.0]},
            {"id": "cabin", "project": "farm", "recipe": {"harvest": 1, "bake": 1},
             "capacity": 2, "scarce": True, "value": [3.0, 6.0]},
        ],
        # no noise, no shortfall: this period's values are the traits, work is as assigned
        "agents": {"count": 5, "capacity": [6, 10], "value_noise": 0, "shortfall_chance": 0},
    })


SHORT_HANDED = 80.0
"""Harvest hours five members with at most 10 hours each cannot cover."""




def _made(model: PoolModel) -> dict[str, float]:
    """The part of each good's allocated units made, with every assignment done in full:
    the least, over its recipe's tasks, of the hours assigned over the hours needed."""
    plan = last_plan(model)
    assigned = dict.fromkeys(model.tasks, 0.0)
    for a in plan.assignments:
        assigned[a.task] += a.hours
    needed = {t: assigned[t] + plan.uncovered.get(t, 0.0) for t in model.tasks}
    share = {t: 1.0 if needed[t] == 0 else assigned[t] / needed[t] for t in model.tasks}
    return {g.id: min((share[t] for t in g.recipe), default=1.0) for g in model.config.goods}


@pytest.mark.parametrize("harvest_hours", [10.0, SHORT_HANDED])
@pytest.mark.parametrize("rule", ["auction", "effort", "flat_rate"])
def test_total_utility_is_the_value_of_goods_made_less_the_disutility_of_hours_worked(
    rule: str, harvest_hours: float
) -> None:
    model = stepped(_small_pool(harvest_hours), rule, 1)
    plan = last_plan(model)
    person = {m.name: m.traits for m in model.members}
    good = {g: i for i, g in enumerate(model.goods)}
    task = {t: i for i, t in enumerate(model.tasks)}
    made = _made(model)
    benefit = sum(person[a.participant].values[good[a.good]] * a.quantity
                  * made[a.good] for a in plan.allocations)
    burden = sum(person[a.participant].disutility[task[a.task]] * a.hours
                 for a in plan.assignments)
    assert plan.allocations and plan.assignments  # the check is not empty
    assert metrics.total_utility(model) == pytest.approx(benefit - burden)


def test_a_cabin_short_of_harvest_hours_is_only_partly_made() -> None:
    model = stepped(_small_pool(SHORT_HANDED), "auction", 1)
    plan = last_plan(model)
    made = _made(model)
    assert plan.uncovered["harvest"] > 0 and made["cabin"] < 1
    cabins = sum(a.quantity for a in plan.allocations if a.good == "cabin")
    assert cabins > 0
    assert metrics.unmade_units(model) == pytest.approx(cabins * (1 - made["cabin"]))


def test_unmet_wishes_are_the_wished_units_the_plan_did_not_allocate() -> None:
    model = stepped(_small_pool(), "auction", 1)
    plan = last_plan(model)
    with model.store.unit_of_work() as uow:
        wished = sum(w.quantity for w in uow.periods.wishes(POOL, 1))
    allocated = sum(a.quantity for a in plan.allocations)
    assert metrics.unmet_wishes(model) == wished - allocated
    # more members wish for a cabin than the 2 there are
    assert metrics.unmet_wishes(model) > 0
    assert metrics.goods_per_member(model) == pytest.approx(allocated / 5)


def test_uncovered_hours_are_the_hours_needed_that_nobody_was_assigned() -> None:
    model = stepped(_small_pool(SHORT_HANDED), "auction", 1)
    plan = last_plan(model)
    needed = {"harvest": SHORT_HANDED, "bake": 0.0}
    for g, units in plan.production.items():
        for t, hours in model.config.goods[model.goods.index(g)].recipe.items():
            needed[t] += hours * units
    assigned = dict.fromkeys(needed, 0.0)
    for a in plan.assignments:
        assigned[a.task] += a.hours
    expected = sum(needed[t] - assigned[t] for t in needed)
    assert expected > 0
    assert metrics.uncovered_hours(model) == pytest.approx(expected)


def test_the_hours_and_shares_reporters_read_the_period_just_run() -> None:
    model = stepped(_small_pool(), "auction", 2)
    plan = last_plan(model)
    hours = dict.fromkeys((m.name for m in model.members), 0.0)
    for a in plan.assignments:
        hours[a.participant] += a.hours
    shares = [plan.shares[m.name] for m in model.members]
    assert metrics.hours_per_member(model) == pytest.approx(sum(hours.values()) / 5)
    assert metrics.gini_hours(model) == pytest.approx(_gini_by_pairs(list(hours.values())))
    assert metrics.gini_shares(model) == pytest.approx(_gini_by_pairs(shares))
    assert metrics.weighted_effort(model) == pytest.approx(sum(shares))


def test_the_data_collector_holds_one_row_per_period_of_every_reporter() -> None:
    model = stepped(_small_pool(), "auction", 3)
    table = model.datacollector.get_model_vars_dataframe()
    assert len(table) == 3
    assert set(metrics.REPORTERS) <= set(table.columns)
    assert table["total_utility"].iloc[-1] == pytest.approx(metrics.total_utility(model))
