"""Hypothesis strategies for small flow-core markets.

Quantities (supplies and capacities) are either small integers or multiples of 0.01, so the
reference LP's price bounds are exact to well within the tests' tolerance (every nonzero rate
of change of the dual objective along an edge of the dual polyhedron is then >= 0.01).
Values are integers (to make ties), zeros, negatives or arbitrary floats.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from peerconomy.mechanisms.flow import Market

INF = math.inf


market = Market.of
"""A market from row supplies, column capacities and arcs (row, column, value, capacity)."""


def quantities(
    *, integral: bool, zero: bool = True, max_value: int = 6
) -> st.SearchStrategy[float]:
    """A supply or capacity: a small integer or (unless ``integral``) a multiple of 0.01."""
    low = 0 if zero else 1
    ints = st.integers(low, max_value).map(float)
    if integral:
        return ints
    cents = st.integers(low, 100 * max_value).map(lambda c: c / 100)
    return st.one_of(ints, cents)


def values(*, integral: bool = False) -> st.SearchStrategy[float]:
    """An arc value: ties, zeros and negatives are common."""
    ints = st.integers(-3, 12).map(float)
    if integral:
        return ints
    return st.one_of(
        ints,
        st.sampled_from([0.0, 0.5, -0.5, 4.2, 4.0, 3.5]),
        st.floats(-5.0, 15.0, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    )


@st.composite
def markets(
    draw: st.DrawFn,
    *,
    max_rows: int = 6,
    max_cols: int = 4,
    integral: bool = False,
    integral_values: bool = False,
    zero_capacity: bool = True,
    infinite: bool = True,
    parallel_arcs: bool = False,
    max_quantity: int = 6,
) -> Market:
    """A random ``Market``: 1..max_rows rows, 1..max_cols columns, a random subset of arcs.

    ``integral``: all supplies and capacities are integers (or inf).
    ``zero_capacity``: columns may have capacity 0 (their greatest price is unbounded).
    ``infinite``: columns and arcs may have infinite capacity (rows never do).
    ``parallel_arcs``: a (row, column) pair may carry several arcs.
    """
    n_rows = draw(st.integers(1, max_rows), label="rows")
    n_cols = draw(st.integers(1, max_cols), label="cols")
    pairs = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    chosen = draw(
        st.lists(st.sampled_from(pairs), unique=not parallel_arcs, max_size=len(pairs) + 2)
    )
    if parallel_arcs and chosen:
        chosen += draw(st.lists(st.sampled_from(chosen), max_size=3))
    qty = quantities(integral=integral, max_value=max_quantity)
    col_qty = quantities(integral=integral, zero=zero_capacity, max_value=max_quantity)
    maybe_inf = (lambda s: st.one_of(s, st.just(INF))) if infinite else (lambda s: s)
    row_supply = [draw(qty) for _ in range(n_rows)]
    col_capacity = [draw(maybe_inf(col_qty)) for _ in range(n_cols)]
    arc_value = [draw(values(integral=integral_values)) for _ in chosen]
    arc_capacity = [draw(maybe_inf(qty)) for _ in chosen]
    return Market(
        row_supply=np.array(row_supply, dtype=np.float64),
        col_capacity=np.array(col_capacity, dtype=np.float64),
        arc_row=np.array([i for i, _ in chosen], dtype=np.int64),
        arc_col=np.array([j for _, j in chosen], dtype=np.int64),
        arc_value=np.array(arc_value, dtype=np.float64),
        arc_capacity=np.array(arc_capacity, dtype=np.float64),
    )


def tiny_integer_markets(**kwargs: object) -> st.SearchStrategy[Market]:
    """Integer markets small enough to enumerate every integer flow."""
    return markets(max_rows=3, max_cols=3, integral=True, max_quantity=2, **kwargs)  # type: ignore[arg-type]
