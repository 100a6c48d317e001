"""Unit rows: the kernel of ``_flow_unit`` clears exactly like the general path and the old one.

Where every row supplies one unit, ``solve`` hands the market to ``_flow_unit.clear``: a
forward auction at eps 1 on the integer costs (1-optimal, hence optimal) and the extreme duals
over the columns alone. The general path (the residual graph, the same auction on it, and the
Dijkstra pass over it) is still there for other markets and, with ``flow._UNIT_KERNEL`` off,
for these; the old one (a coarse auction handing its prices to cost scaling) is what an
auction that gives up leaves to clear, and with no bids allowed it is the one taken. So all
three can be compared on the same market: same value, same units per row (the tie rule), same
prices.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import optimal_value, price_bounds

from peerconomy.mechanisms import _flow_scaling, _flow_unit, flow
from peerconomy.mechanisms.flow import Clearing, Market, solve

Prices = Literal["min", "max"]
BOTH: list[Prices] = ["min", "max"]


def solve_old_way(m: Market, prices: Prices) -> Clearing:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_EXACT_BIDS", 0)
        return solve(m, prices)


def solve_general(m: Market, prices: Prices) -> Clearing:
    """The general path: residual graph, the eps-1 auction on it, Dijkstra over it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_UNIT_KERNEL", False)
        return solve(m, prices)


def kernel_gives_up(m: Market) -> bool:
    status = _flow_unit.clear(
        m.row_supply, m.col_capacity, m.arc_row, m.arc_col, m.arc_value, m.arc_capacity,
        float(np.sum(m.row_supply)), False, flow._EXACT_BIDS, flow._EXACT_SUM, flow._MAX_DECIMALS,
    )[0]
    return bool(status == _flow_unit.GAVE_UP)


def solve_by_kernel(m: Market, prices: Prices) -> Clearing:
    """``solve``, checking that the unit kernel cleared the market on its own (unless its
    auction gave up)."""

    def refuse(*args: object) -> None:
        raise AssertionError("the general path was taken")

    if kernel_gives_up(m):
        return solve(m, prices)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_flow_scaling, "build", refuse)
        return solve(m, prices)


def solve_without_cost_scaling(m: Market, prices: Prices) -> Clearing:
    def refuse(*args: object) -> None:
        raise AssertionError("cost scaling was run")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_flow_scaling, "cost_scaling", refuse)
        return solve(m, prices)


def assert_same(m: Market, new: Clearing, old: Clearing) -> None:
    """Same value, same units per row (the tie rule), same prices; a row indifferent between
    two columns may hold either, which the tie rule leaves to the algorithm."""
    assert np.dot(m.arc_value, new.flow) == pytest.approx(np.dot(m.arc_value, old.flow), abs=1e-9)
    np.testing.assert_array_equal(served(m, new.flow), served(m, old.flow))
    np.testing.assert_array_equal(new.col_price, old.col_price)


def served(m: Market, f: np.ndarray) -> np.ndarray:
    return np.bincount(m.arc_row, weights=f, minlength=len(m.row_supply))


@st.composite
def unit_markets(draw: st.DrawFn) -> Market:
    """Unit rows with 1-5 distinct columns each; values on a coarse grid (ties everywhere),
    zeros and negatives among them; capacities 0 to a few, sometimes unlimited."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_rows = int(rng.integers(1, draw(st.sampled_from([6, 40, 300]))))
    n_cols = int(rng.integers(1, draw(st.sampled_from([3, 12, 60]))))
    levels = draw(st.sampled_from([1, 2, 4, 40]))  # 1: every value equal
    step = draw(st.sampled_from([1.0, 0.25, 0.01]))
    low = draw(st.sampled_from([0, -1]))
    k = rng.integers(1, min(5, n_cols) + 1, n_rows)
    rows = np.repeat(np.arange(n_rows), k)
    cols = np.concatenate([rng.choice(n_cols, n, replace=False) for n in k])
    value = np.round((low + rng.integers(0, levels, len(rows))) * step, 10)
    cap = rng.integers(0, draw(st.sampled_from([1, 2, 5])) + 1, n_cols).astype(float)
    cap[rng.random(n_cols) < 0.1] = np.inf
    arc_cap = np.where(rng.random(len(rows)) < 0.5, np.inf, 1.0)
    return Market(np.ones(n_rows), cap, rows.astype(np.int64), cols.astype(np.int64), value,
                  arc_cap)


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=200, deadline=None)
@given(m=unit_markets())
def test_unit_rows_clear_like_the_old_path(prices: Prices, m: Market) -> None:
    assert_same(m, solve(m, prices), solve_old_way(m, prices))


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=60, deadline=None)
@given(m=unit_markets())
def test_unit_rows_clear_like_the_lp(prices: Prices, m: Market) -> None:
    if len(m.row_supply) > 40:
        return  # the LP reference is for small markets
    clearing = solve(m, prices)
    assert float(np.dot(m.arc_value, clearing.flow)) == pytest.approx(optimal_value(m), abs=1e-9)
    low, high = price_bounds(m)
    np.testing.assert_allclose(clearing.col_price, low if prices == "min" else high, atol=1e-9)


@pytest.mark.parametrize("prices", BOTH)
def test_a_goods_market_clears_without_cost_scaling(prices: Prices) -> None:
    rng = np.random.default_rng(5)
    n_rows, n_cols, k = 3000, 120, 5
    cols = np.array([rng.choice(n_cols, k, replace=False) for _ in range(n_rows)]).ravel()
    m = Market(np.ones(n_rows), np.full(n_cols, 16.0), np.repeat(np.arange(n_rows), k),
               cols.astype(np.int64), np.round(rng.uniform(1, 20, n_rows * k), 2),
               np.full(n_rows * k, np.inf))
    assert_same(m, solve_without_cost_scaling(m, prices), solve_old_way(m, prices))


@pytest.mark.parametrize("prices", BOTH)
def test_degenerate_unit_markets_clear_like_the_old_path(prices: Prices) -> None:
    n = 50
    one_arc = np.arange(n, dtype=np.int64)
    markets = [
        # everybody values one good of capacity 7 alike
        Market(np.ones(n), np.array([7.0]), one_arc, np.zeros(n, np.int64), np.full(n, 3.0),
               np.full(n, np.inf)),
        # ... at zero
        Market(np.ones(n), np.array([7.0]), one_arc, np.zeros(n, np.int64), np.zeros(n),
               np.ones(n)),
        # capacities 0 only
        Market(np.ones(n), np.zeros(3), one_arc, one_arc % 3, np.full(n, 2.0), np.ones(n)),
        # two goods, every row names both at the same value
        Market(np.ones(n), np.array([5.0, 0.0, 9.0]), np.repeat(one_arc, 3),
               np.tile(np.arange(3, dtype=np.int64), n), np.full(3 * n, 1.5),
               np.full(3 * n, np.inf)),
    ]
    for m in markets:
        assert_same(m, solve(m, prices), solve_old_way(m, prices))


@pytest.mark.parametrize("prices", BOTH)
def test_an_exact_auction_that_gives_up_leaves_the_old_path_to_clear(prices: Prices) -> None:
    rng = np.random.default_rng(3)
    n_rows, n_cols, k = 400, 20, 3
    cols = np.array([rng.choice(n_cols, k, replace=False) for _ in range(n_rows)]).ravel()
    m = Market(np.ones(n_rows), np.full(n_cols, 10.0), np.repeat(np.arange(n_rows), k),
               cols.astype(np.int64), np.round(rng.integers(0, 3, n_rows * k) * 0.5, 2),
               np.full(n_rows * k, np.inf))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_EXACT_BIDS", 1)
        few_bids = solve(m, prices)
    assert_same(m, few_bids, solve_old_way(m, prices))
    assert_same(m, solve(m, prices), few_bids)


@st.composite
def kernel_markets(draw: st.DrawFn) -> Market:
    """Unit markets with what the kernel must get right besides: the same column named twice
    by a row, rows without arcs that supply other amounts, columns nobody names, capacities
    0 (dead columns), more or less capacity than demand, supplies of a tenth, and values too
    large for int32."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_rows = int(rng.integers(1, draw(st.sampled_from([5, 30, 200]))))
    n_cols = int(rng.integers(1, draw(st.sampled_from([3, 10, 50]))))
    k = rng.integers(1, 6, n_rows)
    rows = np.repeat(np.arange(n_rows), k)
    cols = rng.integers(0, n_cols, len(rows))  # repeats allowed
    levels = draw(st.sampled_from([1, 3, 50]))
    value = np.round((rng.integers(0, levels, len(rows)) - draw(st.sampled_from([0, 1]))) * 0.5,
                     10)
    value *= draw(st.sampled_from([1.0, 1e9]))  # 1e9: integers past int32 (int64 records)
    cap = rng.integers(0, draw(st.sampled_from([1, 3, 20])) + 1, n_cols).astype(float)
    cap[rng.random(n_cols) < 0.1] = np.inf
    supply = np.ones(n_rows)
    idle = rng.random(n_rows) < 0.1  # rows whose arcs are all dropped: any supply will do
    value[idle[rows]] = -1.0
    supply[idle] = rng.integers(0, 4, int(idle.sum()))
    unit = draw(st.sampled_from([1.0, 0.1]))
    return Market(supply * unit, cap * unit, rows.astype(np.int64), cols.astype(np.int64), value,
                  np.where(rng.random(len(rows)) < 0.5, np.inf, unit))


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=300, deadline=None)
@given(m=kernel_markets())
def test_the_unit_kernel_clears_like_the_general_path(prices: Prices, m: Market) -> None:
    general = solve_general(m, prices)
    assert_same(m, solve(m, prices), general)
    assert_same(m, solve_old_way(m, prices), general)


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=200, deadline=None)
@given(m=unit_markets())
def test_unit_markets_clear_by_the_kernel_like_the_general_path(prices: Prices, m: Market) -> None:
    assert_same(m, solve_by_kernel(m, prices), solve_general(m, prices))


@pytest.mark.parametrize("prices", BOTH)
@pytest.mark.parametrize("seed", range(4))
def test_large_goods_markets_clear_by_the_kernel_like_the_general_path(
    prices: Prices, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    n_rows, n_cols, k = 4000, 150, 5
    cols = np.array([rng.choice(n_cols, k, replace=False) for _ in range(n_rows)]).ravel()
    cap = rng.integers(0, 30, n_cols).astype(float)
    m = Market(np.ones(n_rows), cap, np.repeat(np.arange(n_rows), k), cols.astype(np.int64),
               np.round(rng.uniform(-1, 20, n_rows * k) * (4 if seed % 2 else 100)) / 100,
               np.full(n_rows * k, np.inf))
    assert not kernel_gives_up(m)
    assert_same(m, solve_by_kernel(m, prices), solve_general(m, prices))


def test_the_kernel_leaves_other_markets_to_the_general_path() -> None:
    row = np.zeros(1, np.int64)
    args = (np.ones(1), np.ones(1), row, row, np.ones(1), np.ones(1), 1.0, False, 32, 2.0**52, 9)
    assert _flow_unit.clear(*args)[0] == _flow_unit.OK
    two = (np.full(1, 2.0), *args[1:6], 2.0, *args[7:])
    assert _flow_unit.clear(*two)[0] == _flow_unit.NOT_UNIT
    third = (np.full(1, 1 / 3), *args[1:6], 1 / 3, *args[7:])
    assert _flow_unit.clear(*third)[0] == _flow_unit.NOT_UNIT
    off_grid = (*args[:4], np.full(1, np.pi), *args[5:])
    assert _flow_unit.clear(*off_grid)[0] == _flow_unit.NO_GRID
    no_bids = (*args[:8], 0, *args[9:])
    assert _flow_unit.clear(*no_bids)[0] == _flow_unit.GAVE_UP
