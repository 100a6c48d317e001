"""Cost scaling that stops once the flow is proven optimal clears exactly like a full run.

Between phases, ``_flow_scaling.prove_optimal`` looks (label correcting from the current
prices, with a bounded budget) for prices under which no arc with room has a negative reduced
cost; where it finds them the flow is optimal and the remaining phases are skipped. With
``flow._EARLY_STOP`` off, every phase runs down to eps 1, as before. Both must give the same
value, the same units per row (the tie rule) and the same least and greatest prices.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import optimal_value

from peerconomy.mechanisms import _flow_scaling, flow
from peerconomy.mechanisms.flow import Clearing, Market, solve

Prices = Literal["min", "max"]
BOTH: list[Prices] = ["min", "max"]


def solve_full(m: Market, prices: Prices) -> Clearing:
    """Every cost-scaling phase down to eps 1 (no optimality check)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_EARLY_STOP", False)
        return solve(m, prices)


def served(m: Market, f: np.ndarray) -> np.ndarray:
    return np.bincount(m.arc_row, weights=f, minlength=len(m.row_supply))


def assert_same(m: Market, new: Clearing, old: Clearing) -> None:
    """Same value, units per row and prices; a row indifferent between two columns may hold
    either, which the tie rule leaves to the algorithm."""
    assert np.dot(m.arc_value, new.flow) == pytest.approx(np.dot(m.arc_value, old.flow), abs=1e-9)
    np.testing.assert_allclose(served(m, new.flow), served(m, old.flow), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(new.col_price, old.col_price)


@st.composite
def general_markets(draw: st.DrawFn) -> Market:
    """Rows supplying several units (hours on a 0.01 grid, or whole units) along 1-5 distinct
    columns; values on a coarse grid (ties everywhere), zeros and negatives among them; arc and
    column capacities on the same grid, some 0, some unlimited."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_rows = int(rng.integers(1, draw(st.sampled_from([6, 40, 300]))))
    n_cols = int(rng.integers(1, draw(st.sampled_from([3, 12, 60]))))
    levels = draw(st.sampled_from([1, 2, 4, 40]))
    step = draw(st.sampled_from([1.0, 0.25, 0.01]))
    low = draw(st.sampled_from([0, -1]))
    grid = draw(st.sampled_from([1.0, 0.01]))
    k = rng.integers(1, min(5, n_cols) + 1, n_rows)
    rows = np.repeat(np.arange(n_rows), k)
    cols = np.concatenate([rng.choice(n_cols, n, replace=False) for n in k])
    value = np.round((low + rng.integers(0, levels, len(rows))) * step, 10)
    supply = np.round(rng.integers(0, round(6 / grid) + 1, n_rows) * grid, 10)
    arc_cap = np.round(rng.integers(0, round(4 / grid) + 1, len(rows)) * grid, 10)
    arc_cap[rng.random(len(rows)) < 0.3] = np.inf
    cap = np.round(rng.integers(0, round(8 / grid) + 1, n_cols) * grid, 10)
    cap[rng.random(n_cols) < 0.1] = np.inf
    return Market(supply, cap, rows.astype(np.int64), cols.astype(np.int64), value, arc_cap)


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=200, deadline=None)
@given(m=general_markets())
def test_stopping_early_clears_like_every_phase(prices: Prices, m: Market) -> None:
    assert_same(m, solve(m, prices), solve_full(m, prices))


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=40, deadline=None)
@given(m=general_markets())
def test_stopping_early_finds_the_optimal_value(prices: Prices, m: Market) -> None:
    if len(m.row_supply) > 40:
        return  # the LP is slow on the largest draws
    value = float(np.dot(m.arc_value, solve(m, prices).flow))
    assert value == pytest.approx(optimal_value(m), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("prices", BOTH)
@pytest.mark.parametrize("seed", range(4))
def test_large_task_markets_clear_like_every_phase(prices: Prices, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_rows, n_cols, k = 3_000, 60, 4
    cols = np.array([rng.choice(n_cols, k, replace=False) for _ in range(n_rows)]).ravel()
    hours = np.round(rng.uniform(1, 10, n_rows * k), 2)
    value = np.round(rng.integers(2, 12, n_rows * k) * 0.25, 2)  # few values: many ties
    offered = np.bincount(cols, weights=hours, minlength=n_cols)
    m = Market(
        np.round(rng.uniform(5, 30, n_rows), 2),
        np.round(offered / 1.5, 2),
        np.repeat(np.arange(n_rows), k).astype(np.int64),
        cols.astype(np.int64),
        value,
        hours,
    )
    assert_same(m, solve(m, prices), solve_full(m, prices))


def two_nodes(there: int, back: int) -> tuple[np.ndarray, ...]:
    """A residual graph of two nodes: arc 0 -> 1 costing ``there`` and 1 -> 0 costing
    ``back``, both with room, so the one cycle costs ``there + back``."""
    first = np.array([0, 1, 2], np.int64)
    head = np.array([1, 0], np.int64)
    cost = np.array([there, back], np.int64)
    return first, head, cost, np.ones(2)


def check(first: np.ndarray, head: np.ndarray, cost: np.ndarray, res: np.ndarray,
          price: np.ndarray, budget: int) -> bool:
    n = len(price)
    return bool(_flow_scaling.prove_optimal(
        n, first, head, cost, res, price, 0.0, budget, np.empty(n, np.int64),
        np.empty(n, np.int64), np.empty(n, np.int64), np.zeros(n, np.bool_),
        np.empty(n, np.int64),
    ))


def test_the_check_finds_prices_where_no_cycle_is_negative() -> None:
    first, head, cost, res = two_nodes(-3, 3)
    price = np.zeros(2, np.int64)
    assert check(first, head, cost, res, price, 1_000)
    reduced = cost + price - price[head]  # node v's one arc is arc v
    assert np.all(reduced >= 0)


@pytest.mark.parametrize("budget", [1_000, 10**12])
def test_the_check_gives_up_on_a_negative_cycle(budget: int) -> None:
    first, head, cost, res = two_nodes(-3, 2)
    price = np.array([5, 7], np.int64)
    assert not check(first, head, cost, res, price, budget)
    np.testing.assert_array_equal(price, [5, 7])  # untouched


def test_the_check_gives_up_when_its_budget_runs_out() -> None:
    first, head, cost, res = two_nodes(-3, 3)
    assert not check(first, head, cost, res, np.zeros(2, np.int64), 0)
