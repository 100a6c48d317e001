"""The task auction: least-cost assignment of offered hours and minimal competitive weights."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerconomy.mechanisms.tasks import TaskAuction, TaskMarket, auction_tasks

INF = float("inf")
TOL = 1e-7


def task_market(
    needed: list[float],
    capacity: list[float],
    offers: list[tuple[int, int, float, float]],
    max_weight: float = 5.0,
) -> TaskMarket:
    """Tasks' needed hours, participants' capacities, offers (participant, task, hours, min)."""
    return TaskMarket(
        hours_needed=np.array(needed, dtype=np.float64),
        capacity=np.array(capacity, dtype=np.float64),
        offer_participant=np.array([o[0] for o in offers], dtype=np.int64),
        offer_task=np.array([o[1] for o in offers], dtype=np.int64),
        offer_hours=np.array([o[2] for o in offers], dtype=np.float64),
        offer_min_weight=np.array([o[3] for o in offers], dtype=np.float64),
        max_weight=max_weight,
    )


def test_three_volunteers_for_two_hours_set_the_weight_at_the_second_cheapest() -> None:
    market = task_market([2.0], [INF] * 3, [(0, 0, 1, 0.8), (1, 0, 1, 1.0), (2, 0, 1, 1.5)])
    result = auction_tasks(market)
    assert result.assigned.tolist() == [1.0, 1.0, 0.0]
    assert result.weight.tolist() == [1.0]
    assert result.uncovered.tolist() == [0.0]


def test_tasks_compete_for_people() -> None:
    # Bea (1 hour free) would wash dishes (task 0) or harvest (task 1) at weight 1; Carl
    # harvests only at 2. Bea washes, Carl harvests, and the dishes pay 2 too, or Bea would
    # rather harvest.
    bea, carl = 0, 1
    dishes, harvest = 0, 1
    market = task_market(
        [1.0, 1.0],
        [1.0, INF],
        [(bea, dishes, 1, 1.0), (bea, harvest, 1, 1.0), (carl, harvest, 1, 2.0)],
    )
    result = auction_tasks(market)
    assert result.assigned.tolist() == [1.0, 0.0, 1.0]
    assert result.weight.tolist() == [2.0, 2.0]


def test_hours_nobody_offers_stay_open_at_max_weight() -> None:
    market = task_market([5.0, 0.0], [2.0], [(0, 0, 4, 1.0), (0, 1, 3, 1.0)], max_weight=4.0)
    result = auction_tasks(market)
    assert result.assigned.tolist() == [2.0, 0.0]
    assert result.uncovered.tolist() == [3.0, 0.0]
    assert result.weight[0] == 4.0
    assert np.isnan(result.weight[1])  # a task that needs no hours has no weight


def test_an_offer_at_max_weight_is_taken_rather_than_leaving_the_hours_open() -> None:
    result = auction_tasks(task_market([1.0], [INF], [(0, 0, 3, 5.0)], max_weight=5.0))
    assert result.assigned.tolist() == [1.0]
    assert result.uncovered.tolist() == [0.0]


@st.composite
def task_markets(draw: st.DrawFn) -> TaskMarket:
    n_people = draw(st.integers(1, 5))
    n_tasks = draw(st.integers(1, 4))
    hours = st.integers(0, 8).map(float) | st.floats(0, 8).map(lambda x: round(x, 2))
    needed = draw(st.lists(hours, min_size=n_tasks, max_size=n_tasks))
    capacity = draw(st.lists(hours | st.just(INF), min_size=n_people, max_size=n_people))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_people - 1), st.integers(0, n_tasks - 1)),
            unique=True,
            max_size=n_people * n_tasks,
        )
    )
    min_weights = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 6.0]) | st.floats(0.1, 6).map(
        lambda x: round(x, 2)
    )
    offers = [(p, t, draw(hours), draw(min_weights)) for p, t in pairs]
    return task_market(needed, capacity, offers, max_weight=5.0)


def surplus_gap(market: TaskMarket, result: TaskAuction, weight: np.ndarray) -> np.ndarray:
    """Per participant: the best surplus they could get at ``weight`` minus what they get.

    A participant's surplus is the sum over their hours of weight minus ``min_weight``; their
    best choice fills their capacity with the offers of highest positive surplus first.
    """
    needed = market.hours_needed[market.offer_task] > 0
    gain = np.where(needed, weight[market.offer_task] - market.offer_min_weight, -INF)
    gaps = np.zeros(len(market.capacity))
    for p in range(len(market.capacity)):
        mine = np.flatnonzero(market.offer_participant == p)
        worked = mine[result.assigned[mine] > 0]
        got = float(np.dot(result.assigned[worked], gain[worked]))
        left, best = market.capacity[p], 0.0
        for k in mine[np.argsort(-gain[mine], kind="stable")]:
            if gain[k] <= 0 or left <= 0:
                break
            take = min(market.offer_hours[k], left)
            best += take * gain[k]
            left -= take
        gaps[p] = best - got
    return gaps


@settings(max_examples=300, deadline=None)
@given(market=task_markets())
def test_every_assignment_is_feasible_and_a_best_choice_at_the_weights(market: TaskMarket) -> None:
    result = auction_tasks(market)
    assert np.all(result.assigned <= market.offer_hours + TOL)
    worked = np.bincount(market.offer_participant, result.assigned, len(market.capacity))
    assert np.all(worked <= market.capacity + TOL)
    covered = np.bincount(market.offer_task, result.assigned, len(market.hours_needed))
    assert np.allclose(covered + result.uncovered, market.hours_needed, atol=TOL)
    needed = market.hours_needed > 0
    weight = np.where(needed, result.weight, 0.0)
    assert np.all(weight[needed] <= market.max_weight + TOL)
    assert np.all(weight[result.uncovered > 0] == market.max_weight)
    # nobody works below their minimum weight, and nobody could do better at these weights
    w_offer = weight[market.offer_task]
    working = result.assigned > TOL
    assert np.all(w_offer[working] >= market.offer_min_weight[working] - TOL)
    assert np.all(surplus_gap(market, result, weight) <= 1e-6)


@settings(max_examples=300, deadline=None)
@given(market=task_markets(), data=st.data())
def test_no_weight_could_be_lower(market: TaskMarket, data: st.DataObject) -> None:
    result = auction_tasks(market)
    needed = np.flatnonzero(market.hours_needed > 0)
    if len(needed) == 0:
        return
    t = data.draw(st.sampled_from(needed.tolist()))
    lowered = np.where(market.hours_needed > 0, result.weight, 0.0)
    lowered[t] -= 1e-4
    # at the lowered weight a task with open hours is below max_weight, or someone's
    # assignment is no longer their best choice
    assert result.uncovered[t] > 0 or np.any(surplus_gap(market, result, lowered) > 1e-9)


@settings(max_examples=100, deadline=None)
@given(market=task_markets(), seed=st.integers(0, 2**32 - 1))
def test_the_same_market_and_order_give_the_same_auction(market: TaskMarket, seed: int) -> None:
    order = np.random.default_rng(seed).permutation(len(market.capacity)).astype(np.int64)
    first, second = auction_tasks(market, order), auction_tasks(market, order)
    assert first.assigned.tolist() == second.assigned.tolist()
    assert np.array_equal(first.weight, second.weight, equal_nan=True)


@pytest.mark.parametrize("max_weight", [2.0, 5.0])
def test_weights_never_exceed_max_weight(max_weight: float) -> None:
    market = task_market([3.0], [INF, INF], [(0, 0, 1, 1.0), (1, 0, 1, 1.2)], max_weight)
    result = auction_tasks(market)
    assert result.weight.tolist() == [max_weight]
    assert result.uncovered.tolist() == [1.0]
