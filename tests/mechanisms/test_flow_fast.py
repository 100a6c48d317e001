"""The flow core's fast path (integer cost scaling) against the LP, brute force and the old SSP.

``solve`` takes the fast path whenever the values lie on a decimal grid; the SSP it replaced
(``_flow_ssp``, still the fallback for other values) serves here as a slow, independent
reference on markets too big for the LP.
"""

from __future__ import annotations

import itertools
import math
from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import competitive_violations, optimal_value, price_bounds

from peerconomy.mechanisms import _flow_ssp, flow
from peerconomy.mechanisms.flow import Market, solve

Prices = Literal["min", "max"]
BOTH: list[Prices] = ["min", "max"]
TOL = 1e-7


def random_market(
    rng: np.random.Generator,
    n_rows: int,
    n_cols: int,
    *,
    arcs_per_row: int,
    values: tuple[float, float, float],
    unit: bool,
    zero_capacity: bool = True,
    infinite: bool = True,
) -> Market:
    """Rows with ``arcs_per_row`` distinct columns; values uniform on a grid (low, high, step)."""
    k = min(arcs_per_row, n_cols)
    cols = np.array([rng.choice(n_cols, k, replace=False) for _ in range(n_rows)]).ravel()
    low, high, step = values
    value = np.round(rng.integers(round(low / step), round(high / step) + 1, n_rows * k) * step, 10)
    if unit:
        supply = np.ones(n_rows)
        arc_cap = np.full(n_rows * k, np.inf) if infinite else np.ones(n_rows * k)
        cap = rng.integers(0 if zero_capacity else 1, 4, n_cols).astype(float)
    else:
        supply = np.round(rng.uniform(0, 4, n_rows), 2)
        arc_cap = np.round(rng.uniform(0, 3, n_rows * k), 2)
        if infinite:
            arc_cap[rng.random(n_rows * k) < 0.2] = np.inf
        cap = np.round(rng.uniform(0 if zero_capacity else 0.5, 6, n_cols), 2)
    if infinite:
        cap[rng.random(n_cols) < 0.1] = np.inf
    return Market(
        row_supply=supply,
        col_capacity=cap,
        arc_row=np.repeat(np.arange(n_rows), k).astype(np.int64),
        arc_col=cols.astype(np.int64),
        arc_value=value,
        arc_capacity=arc_cap,
    )


def takes_fast_path(m: Market, prices: Prices = "min") -> bool:
    return (
        flow._solve_scaled(
            m.row_supply,
            m.col_capacity,
            m.arc_row,
            m.arc_col,
            m.arc_value,
            m.arc_capacity,
            prices == "max",
        )
        is not None
    )


def ssp(m: Market, prices: Prices) -> tuple[np.ndarray, np.ndarray]:
    return _flow_ssp.solve_ssp(  # type: ignore[no-any-return]
        m.row_supply,
        m.col_capacity,
        m.arc_row,
        m.arc_col,
        m.arc_value,
        m.arc_capacity,
        len(m.row_supply),
        len(m.col_capacity),
        prices == "max",
    )


def served(m: Market, f: np.ndarray) -> np.ndarray:
    return np.bincount(m.arc_row, weights=f, minlength=len(m.row_supply))


# ---- the fast path against the LP ------------------------------------------------------------

seeds = st.integers(0, 2**32 - 1)


@pytest.mark.parametrize("prices", BOTH)
@pytest.mark.parametrize("unit", [True, False])
@settings(max_examples=150, deadline=None)
@given(seed=seeds)
def test_grid_markets_with_many_ties_clear_like_the_lp(
    prices: Prices, unit: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    m = random_market(
        rng,
        int(rng.integers(1, 9)),
        int(rng.integers(1, 5)),
        arcs_per_row=int(rng.integers(1, 4)),
        values=(-1.0, 3.0, 0.5),  # few distinct values: ties everywhere
        unit=unit,
        zero_capacity=prices == "min",
    )
    assert takes_fast_path(m, prices)
    clearing = solve(m, prices)
    value = float(np.dot(m.arc_value, clearing.flow))
    assert value == pytest.approx(optimal_value(m), rel=1e-9, abs=1e-9)
    low, high = price_bounds(m)
    np.testing.assert_allclose(clearing.col_price, low if prices == "min" else high, atol=1e-6)
    assert competitive_violations(m, clearing.flow, clearing.col_price, TOL) == []


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=60, deadline=None)
@given(seed=seeds)
def test_fractional_amounts_off_any_grid_clear_like_the_lp(prices: Prices, seed: int) -> None:
    # Supplies and capacities in thirds: amounts in floats (within 1e-9), values in integers.
    rng = np.random.default_rng(seed)
    m = random_market(
        rng, 6, 3, arcs_per_row=2, values=(0.0, 5.0, 0.25), unit=False, zero_capacity=False
    )
    m = Market(
        m.row_supply / 3, m.col_capacity / 3, m.arc_row, m.arc_col, m.arc_value, m.arc_capacity / 3
    )
    assert takes_fast_path(m, prices)
    clearing = solve(m, prices)
    value = float(np.dot(m.arc_value, clearing.flow))
    assert value == pytest.approx(optimal_value(m), rel=1e-8, abs=1e-8)
    low, high = price_bounds(m)
    np.testing.assert_allclose(clearing.col_price, low if prices == "min" else high, atol=1e-6)


def test_values_on_no_decimal_grid_take_the_exact_fallback() -> None:
    m = Market(
        row_supply=np.ones(3),
        col_capacity=np.ones(2),
        arc_row=np.array([0, 0, 1, 2], dtype=np.int64),
        arc_col=np.array([0, 1, 0, 1], dtype=np.int64),
        arc_value=np.array([10, 8, 9, 5], dtype=float) / 3,
        arc_capacity=np.ones(4),
    )
    assert not takes_fast_path(m)
    np.testing.assert_allclose(solve(m, "min").col_price, [7 / 3, 5 / 3], atol=1e-12)
    np.testing.assert_allclose(solve(m, "max").col_price, [3.0, 7 / 3], atol=1e-12)


# ---- the fast path against the old SSP on bigger markets -------------------------------------


@pytest.mark.parametrize("prices", BOTH)
@pytest.mark.parametrize(
    ("seed", "unit", "n_rows", "n_cols"),
    [(0, True, 3000, 120), (1, True, 800, 400), (2, False, 1500, 40), (3, False, 600, 200)],
)
def test_bigger_markets_agree_with_the_old_ssp(
    prices: Prices, seed: int, unit: bool, n_rows: int, n_cols: int
) -> None:
    rng = np.random.default_rng(seed)
    m = random_market(
        rng, n_rows, n_cols, arcs_per_row=5, values=(0.0, 20.0, 0.01), unit=unit, infinite=True
    )
    assert takes_fast_path(m, prices)
    clearing = solve(m, prices)
    ref_flow, ref_price = ssp(m, prices)
    assert np.dot(m.arc_value, clearing.flow) == pytest.approx(
        float(np.dot(m.arc_value, ref_flow)), rel=1e-12
    )
    both_inf = np.isinf(clearing.col_price) & np.isinf(ref_price)
    np.testing.assert_allclose(clearing.col_price[~both_inf], ref_price[~both_inf], atol=1e-9)
    assert competitive_violations(m, clearing.flow, clearing.col_price, TOL) == []


@pytest.mark.parametrize("prices", BOTH)
def test_values_too_fine_for_ranks_still_clear_exactly(prices: Prices) -> None:
    # Values in nanos up to 1000: too fine to carry the rows' ranks in 64 bits at this size,
    # so every row weighs the same (rows that value a free column at 0 still take it).
    rng = np.random.default_rng(3)
    m = random_market(rng, 2000, 100, arcs_per_row=4, values=(0.0, 1000.0, 0.5), unit=False)
    value = m.arc_value + rng.integers(0, 10**6, len(m.arc_value)) * 1e-9
    value[::7] = 0.0
    m = Market(m.row_supply, m.col_capacity, m.arc_row, m.arc_col, value, m.arc_capacity)
    assert takes_fast_path(m, prices)
    clearing = solve(m, prices)
    ref_flow, ref_price = ssp(m, prices)
    assert np.dot(value, clearing.flow) == pytest.approx(np.dot(value, ref_flow), rel=1e-12)
    both_inf = np.isinf(clearing.col_price) & np.isinf(ref_price)
    np.testing.assert_allclose(clearing.col_price[~both_inf], ref_price[~both_inf], atol=1e-7)
    free = np.bincount(m.arc_col, weights=clearing.flow, minlength=100) < m.col_capacity - 1e-9
    left = served(m, clearing.flow) < m.row_supply - 1e-9
    zero = (value == 0.0) & free[m.arc_col] & left[m.arc_row] & (clearing.flow < m.arc_capacity)
    assert not np.any(zero), "a row valuing a free column at 0 left it"


def test_a_goods_market_like_the_benchmark_matches_or_tools() -> None:
    min_cost_flow = pytest.importorskip("ortools.graph.python.min_cost_flow")
    rng = np.random.default_rng(7)
    n_rows, n_cols, k = 5000, 200, 5
    cap = np.full(n_cols, float(int(n_rows / 1.5 / n_cols)))
    cols = np.array([rng.choice(n_cols, k, replace=False) for _ in range(n_rows)]).ravel()
    value = np.round(rng.uniform(1, 20, n_rows * k), 2)
    rows = np.repeat(np.arange(n_rows), k)
    m = Market(np.ones(n_rows), cap, rows, cols, value, np.full(n_rows * k, np.inf))
    mcf = min_cost_flow.SimpleMinCostFlow()
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n_rows, source), rows, n_rows + np.arange(n_cols), [source]]),
        np.concatenate([np.arange(n_rows), n_rows + cols, np.full(n_cols, sink), [sink]]),
        np.concatenate([np.ones(n_rows), np.ones(n_rows * k), cap, [n_rows]]).astype(np.int64),
        np.concatenate(
            [np.zeros(n_rows), -np.rint(value * 100), np.zeros(n_cols), [0]]
        ).astype(np.int64),
    )
    supplies = np.zeros(n_rows + n_cols + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_rows, -n_rows
    mcf.set_nodes_supplies(np.arange(n_rows + n_cols + 2), supplies)
    assert mcf.solve() == mcf.OPTIMAL
    for prices in BOTH:
        clearing = solve(m, prices)
        assert np.dot(value, clearing.flow) == pytest.approx(-mcf.optimal_cost() / 100, rel=1e-12)
        _, ref_price = ssp(m, prices)
        np.testing.assert_allclose(clearing.col_price, ref_price, atol=1e-9)


@pytest.mark.parametrize("prices", BOTH)
def test_a_price_war_ends_the_warm_start_and_the_result_stays_exact(prices: Prices) -> None:
    # Unit rows, values within 5 cents over a few columns that hold 90% of them: the auction
    # would raise prices a quarter cent at a time, so it gives up and cost scaling starts cold.
    rng = np.random.default_rng(0)
    n_rows, n_cols = 1000, 10
    cols = np.array([rng.choice(n_cols, 3, replace=False) for _ in range(n_rows)]).ravel()
    m = Market(
        np.ones(n_rows),
        np.full(n_cols, 90.0),
        np.repeat(np.arange(n_rows), 3),
        cols,
        np.round(rng.uniform(5.0, 5.05, 3 * n_rows), 2),
        np.full(3 * n_rows, np.inf),
    )
    scaled = flow._solve_scaled(
        m.row_supply, m.col_capacity, m.arc_row, m.arc_col, m.arc_value, m.arc_capacity,
        prices == "max",
    )
    assert scaled is not None
    ref_flow, ref_price = ssp(m, prices)
    assert np.dot(m.arc_value, scaled[0]) == pytest.approx(np.dot(m.arc_value, ref_flow), rel=1e-12)
    np.testing.assert_allclose(scaled[1], ref_price, atol=1e-9)


def test_the_warm_start_gives_up_on_a_price_war() -> None:
    from peerconomy.mechanisms import _flow_auction

    # Two rows worth 100 and 90 for a column of one (node 2; node 3 is the sink). Row 0 bids
    # its whole surplus plus eps (staying out is its second best), row 1 then stays out.
    # With a single bid allowed, row 1 is still waiting: the auction gives up.
    first = np.array([0, 2, 4, 5, 6], dtype=np.int64)
    head = np.array([2, 3, 2, 3, 3, 3], dtype=np.int64)
    cost = np.array([-100, 0, -90, 0, 0, 0], dtype=np.int64)
    cap = np.array([1.0])
    held, cheapest, done = _flow_auction.auction(2, first, head, cost, cap, 1, 10)
    assert done
    assert list(held) == [0, -1]
    assert cheapest[0] == 101
    _, _, done = _flow_auction.auction(2, first, head, cost, cap, 1, 1)
    assert not done


# ---- ties ------------------------------------------------------------------------------------


def lexicographic_best(m: Market) -> np.ndarray:
    """Served amounts per row of the optimal integer flow that serves earlier rows most."""
    bound = np.minimum(
        m.arc_capacity, np.minimum(m.row_supply[m.arc_row], m.col_capacity[m.arc_col])
    ).astype(int)
    best_value, best_served = -math.inf, np.zeros(len(m.row_supply))
    for f in itertools.product(*(range(b + 1) for b in bound)):
        x = np.array(f, dtype=float)
        rows = served(m, x)
        if np.any(rows > m.row_supply) or np.any(
            np.bincount(m.arc_col, weights=x, minlength=len(m.col_capacity)) > m.col_capacity
        ):
            continue
        value = float(np.dot(m.arc_value, x))  # integers: exact
        if value > best_value or (value == best_value and tuple(rows) > tuple(best_served)):
            best_value, best_served = value, rows
    return best_served


@st.composite
def tiny_tied_markets(draw: st.DrawFn) -> Market:
    n_rows = draw(st.integers(1, 4))
    n_cols = draw(st.integers(1, 3))
    pairs = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=6))
    return Market(
        row_supply=np.array([draw(st.integers(0, 2)) for _ in range(n_rows)], dtype=float),
        col_capacity=np.array([draw(st.integers(0, 2)) for _ in range(n_cols)], dtype=float),
        arc_row=np.array([i for i, _ in chosen], dtype=np.int64),
        arc_col=np.array([j for _, j in chosen], dtype=np.int64),
        arc_value=np.array([draw(st.integers(-1, 2)) for _ in chosen], dtype=float),
        arc_capacity=np.array([draw(st.integers(1, 2)) for _ in chosen], dtype=float),
    )


@pytest.mark.parametrize("prices", BOTH)
@settings(max_examples=300, deadline=None)
@given(m=tiny_tied_markets())
def test_ties_go_to_earlier_rows(prices: Prices, m: Market) -> None:
    clearing = solve(m, prices)
    np.testing.assert_allclose(served(m, clearing.flow), lexicographic_best(m), atol=1e-12)


@pytest.mark.parametrize("prices", BOTH)
def test_equal_bids_for_a_scarce_good_go_to_the_first_rows(prices: Prices) -> None:
    n = 10
    m = Market(np.ones(n), np.array([3.0]), np.arange(n), np.zeros(n, dtype=np.int64),
               np.full(n, 4.5), np.full(n, np.inf))
    clearing = solve(m, prices)
    np.testing.assert_array_equal(clearing.flow, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    assert clearing.col_price[0] == 4.5


@pytest.mark.parametrize("prices", BOTH)
def test_equal_wishes_with_alternatives_go_to_the_first_rows(prices: Prices) -> None:
    # Five wishers, each for A or B at the same value; one of each: rows 0 and 1 get them.
    n = 5
    m = Market(
        np.ones(n),
        np.ones(2),
        np.repeat(np.arange(n), 2),
        np.tile([0, 1], n),
        np.full(2 * n, 2.0),
        np.full(2 * n, np.inf),
    )
    clearing = solve(m, prices)
    np.testing.assert_array_equal(served(m, clearing.flow), [1, 1, 0, 0, 0])


@pytest.mark.parametrize("prices", BOTH)
def test_rows_valuing_a_free_good_at_zero_take_it_in_order(prices: Prices) -> None:
    # Four rows value a good of capacity 2 at 0: the first two take it, at price 0.
    m = Market(np.ones(4), np.array([2.0]), np.arange(4), np.zeros(4, dtype=np.int64),
               np.zeros(4), np.ones(4))
    clearing = solve(m, prices)
    np.testing.assert_array_equal(clearing.flow, [1, 1, 0, 0])
    assert clearing.col_price[0] == 0


def test_tied_hours_go_to_earlier_participants_first() -> None:
    # Task-like: a task needs 5 hours; three participants offer 3 hours each at the same value.
    m = Market(np.array([10.0, 10.0, 10.0]), np.array([5.0]), np.arange(3),
               np.zeros(3, dtype=np.int64), np.full(3, 3.2), np.full(3, 3.0))
    for prices in BOTH:
        np.testing.assert_array_equal(solve(m, prices).flow, [3, 2, 0])


@pytest.mark.parametrize("prices", BOTH)
def test_clearing_is_deterministic_on_a_bigger_market(prices: Prices) -> None:
    m = random_market(np.random.default_rng(11), 2000, 100, arcs_per_row=4,
                      values=(0.0, 5.0, 0.5), unit=True)
    first, second = solve(m, prices), solve(m, prices)
    np.testing.assert_array_equal(first.flow, second.flow)
    np.testing.assert_array_equal(first.col_price, second.col_price)


# ---- edges -----------------------------------------------------------------------------------

INF = math.inf
EDGES = {
    "an unlimited column takes everything": ([1, 1], [INF], [(0, 0, 3, INF), (1, 0, 2, 1)]),
    "a column exactly as big as all supply": ([1, 1], [2], [(0, 0, 3, INF), (1, 0, 2, 1)]),
    "capacities far above the supply": (
        [1.5, 1], [1e300, 1], [(0, 0, 3, 1e300), (1, 1, 2, 1), (0, 1, 4, 1)]
    ),
    "only negative values": ([1], [1, 0], [(0, 0, -1, 1), (0, 1, -2, 1)]),
    "only columns of capacity 0": ([1, 1], [0, 0], [(0, 0, 3, 1), (1, 0, 5, 1), (1, 1, 2, 1)]),
    "a row without supply": ([0, 1], [1], [(0, 0, 9, 1), (1, 0, 2, 1)]),
}


@pytest.mark.parametrize("prices", BOTH)
@pytest.mark.parametrize("name", sorted(EDGES))
def test_edge_markets_clear_like_the_lp(prices: Prices, name: str) -> None:
    supply, capacity, arcs = EDGES[name]
    m = Market(
        np.array(supply, dtype=float),
        np.array(capacity, dtype=float),
        np.array([a[0] for a in arcs], dtype=np.int64),
        np.array([a[1] for a in arcs], dtype=np.int64),
        np.array([a[2] for a in arcs], dtype=float),
        np.array([a[3] for a in arcs], dtype=float),
    )
    assert takes_fast_path(m, prices)
    clearing = solve(m, prices)
    assert float(np.dot(m.arc_value, clearing.flow)) == pytest.approx(optimal_value(m), abs=1e-9)
    low, high = price_bounds(m)
    np.testing.assert_allclose(clearing.col_price, low if prices == "min" else high, atol=1e-9)


@pytest.mark.parametrize("prices", BOTH)
def test_markets_without_rows_or_columns_clear_to_nothing(prices: Prices) -> None:
    empty = np.zeros(0, dtype=np.int64)
    no_rows = Market(np.zeros(0), np.array([1.0, 0.0]), empty, empty, np.zeros(0), np.zeros(0))
    no_cols = Market(np.ones(2), np.zeros(0), empty, empty, np.zeros(0), np.zeros(0))
    expected = [0.0, INF] if prices == "max" else [0.0, 0.0]
    np.testing.assert_array_equal(solve(no_rows, prices).col_price, expected)
    assert solve(no_cols, prices).col_price.shape == (0,)
