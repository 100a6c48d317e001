"""Rows with one arc each: ``_flow_single`` clears exactly like cost scaling.

Where every row that has arcs with room has just one (a million participants offering on a
single task, say), the columns share no row and ``solve`` clears each greedily, writing the
extreme duals down directly. With ``flow._SINGLE_ARCS`` off the same market goes through cost
scaling and the Dijkstra pass; both must give the same flow on every arc (a row has one, so the
tie rule fixes it), the same value and the same least and greatest prices.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import optimal_value, price_bounds

from peerconomy.mechanisms import _flow_scaling, _flow_single, flow
from peerconomy.mechanisms.flow import Clearing, Market, solve

Prices = Literal["min", "max"]
BOTH: list[Prices] = ["min", "max"]


def solve_by_scaling(m: Market, prices: Prices) -> Clearing:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_SINGLE_ARCS", False)
        patch.setattr(flow, "_UNIT_KERNEL", False)
        return solve(m, prices)


def solve_directly(m: Market, prices: Prices) -> Clearing:
    """``solve`` with the unit kernel off, checking that cost scaling is not run."""

    def refuse(*args: object) -> None:
        raise AssertionError("cost scaling was run")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_UNIT_KERNEL", False)
        patch.setattr(_flow_scaling, "build", refuse)
        return solve(m, prices)


def assert_same(new: Clearing, old: Clearing) -> None:
    np.testing.assert_array_equal(new.flow, old.flow)
    np.testing.assert_array_equal(new.col_price, old.col_price)


@st.composite
def single_arc_markets(draw: st.DrawFn) -> Market:
    """Rows with one live arc each, in a shuffled order, plus (sometimes) arcs that cannot carry
    anything: negative values, no room, or into columns of capacity 0 (which bound the least
    prices only). Values on a coarse grid (ties everywhere); supplies, arc and column
    capacities whole or on a 0.01 grid, some unlimited."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_rows = int(rng.integers(1, draw(st.sampled_from([6, 40, 400]))))
    n_cols = int(rng.integers(1, draw(st.sampled_from([2, 4, 30]))))
    levels = draw(st.sampled_from([1, 2, 5, 40]))
    step = draw(st.sampled_from([1.0, 0.25, 0.01]))
    grid = draw(st.sampled_from([1.0, 0.01]))
    supply = np.round(rng.integers(1, round(4 / grid) + 1, n_rows) * grid, 10)
    cap = np.round(rng.integers(0, round(3 * n_rows / n_cols / grid) + 2, n_cols) * grid, 10)
    cap[rng.random(n_cols) < 0.1] = np.inf
    rows = list(range(n_rows))
    cols = list(rng.integers(0, n_cols, n_rows))
    value = list(np.round(rng.integers(0, levels, n_rows) * step, 10))
    arc_cap = list(np.where(rng.random(n_rows) < 0.5, np.inf,
                            np.round(rng.integers(1, round(5 / grid) + 1, n_rows) * grid, 10)))
    if draw(st.booleans()):  # arcs that carry nothing
        for i in rng.integers(0, n_rows, n_rows // 3 + 1):
            kind = rng.integers(0, 3)
            c = int(rng.integers(0, n_cols))
            rows.append(int(i))
            cols.append(c)
            value.append(-step if kind == 0 else float(rng.integers(0, levels)) * step)
            arc_cap.append(0.0 if kind == 1 else np.inf)
            if kind == 2:
                cap[c] = 0.0
    order = rng.permutation(len(rows))
    return Market(
        supply, cap, np.array(rows, np.int64)[order], np.array(cols, np.int64)[order],
        np.array(value)[order], np.array(arc_cap)[order],
    )


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=300, deadline=None)
@given(m=single_arc_markets())
def test_single_arc_rows_clear_like_cost_scaling(prices: Prices, m: Market) -> None:
    assert_same(solve_directly(m, prices), solve_by_scaling(m, prices))


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=60, deadline=None)
@given(m=single_arc_markets())
def test_single_arc_rows_clear_like_the_lp(prices: Prices, m: Market) -> None:
    if len(m.row_supply) > 40:
        return  # the LP is slow on the largest draws
    clearing = solve_directly(m, prices)
    value = float(np.dot(m.arc_value, clearing.flow))
    assert value == pytest.approx(optimal_value(m), rel=1e-9, abs=1e-9)
    low, high = price_bounds(m)
    np.testing.assert_allclose(clearing.col_price, low if prices == "min" else high, atol=1e-6)


@pytest.mark.parametrize("prices", BOTH)
def test_many_rows_on_one_column_clear_like_cost_scaling(prices: Prices) -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    supply = rng.integers(1, 4, n).astype(float)
    m = Market(
        supply,
        np.array([float(supply.sum() // 2)]),
        rng.permutation(n).astype(np.int64),
        np.zeros(n, np.int64),
        np.round(rng.integers(0, 50, n) * 0.1, 2),  # 50 values among 20,000 rows: ties
        np.full(n, np.inf),
    )
    assert_same(solve_directly(m, prices), solve_by_scaling(m, prices))


def test_rows_with_several_arcs_are_left_to_cost_scaling() -> None:
    m = Market(np.array([2.0]), np.ones(2), np.zeros(2, np.int64), np.arange(2),
               np.array([1.0, 2.0]), np.full(2, np.inf))
    with pytest.raises(AssertionError, match="cost scaling was run"):
        solve_directly(m, "min")


@pytest.mark.parametrize("maximal", [False, True])
def test_values_too_large_for_one_sort_key_sort_the_same(maximal: bool) -> None:
    # huge values take the three-key sort; the same order of values, small, the one key
    rows = np.array([2, 0, 3, 1], np.int64)
    cols = np.array([0, 0, 1, 0], np.int64)
    amount = np.array([2.0, 1.0, 1.0, 2.0])
    supply = np.array([1.0, 2.0, 2.0, 1.0])
    room, cut = np.array([3.0, 1.0]), np.zeros(2, bool)
    small = np.array([1, 1, 0, 1], np.int64)
    big = small * 2**60
    dist_small, flow_small = _flow_single.clear(rows, cols, amount, small, supply, room, cut, 1,
                                                maximal)
    dist_big, flow_big = _flow_single.clear(rows, cols, amount, big, supply, room, cut, 1,
                                            maximal)
    np.testing.assert_array_equal(flow_big, flow_small)
    np.testing.assert_array_equal(flow_small, [0.0, 1.0, 1.0, 2.0])  # rows 0, 1 first
    reached = dist_small != _flow_scaling.UNREACHED
    np.testing.assert_array_equal(dist_big[reached], dist_small[reached] * 2**60)
