"""An independent reference for the flow core, built on HiGHS (``scipy.optimize.linprog``).

The problem (see ``peerconomy.mechanisms.flow.Market``)::

    maximise    sum_e v_e f_e
    subject to  sum_{e in row i} f_e <= s_i        (dual u_i >= 0)
                sum_{e in col j} f_e <= c_j        (dual p_j >= 0, the column price)
                0 <= f_e <= a_e                    (dual r_e >= 0)

and its dual::

    minimise    sum_i s_i u_i + sum_j c_j p_j + sum_e a_e r_e
    subject to  u_i + p_j + r_e >= v_e   for every arc e = (i, j);   u, p, r >= 0.

An infinite bound has no dual variable (it is fixed at 0). The column prices of the optimal
dual solutions form a lattice; ``price_bounds`` finds, column by column, its least and greatest
element by optimising ``p_j`` over the optimal dual face: lexicographically (dual objective
first, then ``p_j``) where that lands on the face, which is exact; otherwise with the dual
objective pinned to its optimum. ``is_competitive`` checks a flow and a price vector directly
against the equilibrium (complementary-slackness) conditions, and ``brute_force_value``
enumerates every integer flow of a tiny instance, so the LP itself can be cross-checked.

Nothing here imports the solver under test except the ``Market`` container.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import linprog

from peerconomy.mechanisms.arrays import FloatArray
from peerconomy.mechanisms.flow import Market

_HIGHS = {
    "primal_feasibility_tolerance": 1e-10,
    "dual_feasibility_tolerance": 1e-10,
}


_LEXICOGRAPHIC = 1e4


class UnboundedMarketError(ValueError):
    """The market's optimal value is infinite (an unlimited path with positive value)."""


def _incidence(market: Market) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    n_arcs = len(market.arc_value)
    arcs = np.arange(n_arcs)
    ones = np.ones(n_arcs)
    rows = sp.csr_matrix((ones, (market.arc_row, arcs)), shape=(len(market.row_supply), n_arcs))
    cols = sp.csr_matrix((ones, (market.arc_col, arcs)), shape=(len(market.col_capacity), n_arcs))
    return rows, cols


def optimal_flow(market: Market) -> tuple[float, FloatArray]:
    """The optimal value and one optimal (vertex) flow of the primal LP."""
    n_arcs = len(market.arc_value)
    if n_arcs == 0:
        return 0.0, np.zeros(0)
    rows, cols = _incidence(market)
    finite_rows = np.isfinite(market.row_supply)
    finite_cols = np.isfinite(market.col_capacity)
    a_ub = sp.vstack([rows[finite_rows], cols[finite_cols]]).tocsr()
    b_ub = np.concatenate([market.row_supply[finite_rows], market.col_capacity[finite_cols]])
    bounds = [(0.0, None if math.isinf(a) else float(a)) for a in market.arc_capacity]
    res = linprog(
        -np.asarray(market.arc_value, dtype=float),
        A_ub=a_ub if a_ub.shape[0] else None,
        b_ub=b_ub if a_ub.shape[0] else None,
        bounds=bounds,
        method="highs-ds",
        options=_HIGHS,
    )
    if res.status == 3:
        raise UnboundedMarketError("the market's optimal value is unbounded")
    if res.status != 0:
        raise RuntimeError(f"HiGHS failed on the primal: {res.message}")
    return float(-res.fun), np.asarray(res.x, dtype=float)


def optimal_value(market: Market) -> float:
    """The optimal value of the primal LP (maximal total value)."""
    return optimal_flow(market)[0]


def _dual_program(market: Market) -> tuple[FloatArray, sp.csr_matrix, FloatArray, list[tuple]]:
    """Objective, constraint matrix (``A y <= b``), rhs and bounds of the dual, y = (u, p, r)."""
    n_rows, n_cols, n_arcs = len(market.row_supply), len(market.col_capacity), len(market.arc_value)
    arcs = np.arange(n_arcs)
    ones = np.ones(n_arcs)
    # -(u_i + p_j + r_e) <= -v_e
    a_u = sp.csr_matrix((-ones, (arcs, market.arc_row)), shape=(n_arcs, n_rows))
    a_p = sp.csr_matrix((-ones, (arcs, market.arc_col)), shape=(n_arcs, n_cols))
    a_r = -sp.identity(n_arcs, format="csr")
    a_ub = sp.hstack([a_u, a_p, a_r]).tocsr()
    b_ub = -np.asarray(market.arc_value, dtype=float)
    weights = np.concatenate([market.row_supply, market.col_capacity, market.arc_capacity])
    finite = np.isfinite(weights)
    objective = np.where(finite, weights, 0.0)
    bounds = [(0.0, None) if f else (0.0, 0.0) for f in finite]
    return objective, a_ub, b_ub, bounds


def price_bounds(market: Market) -> tuple[FloatArray, FloatArray]:
    """Least and greatest optimal column price per column, over the optimal dual face.

    The greatest price is ``inf`` where nothing bounds it (a column of capacity 0).
    """
    n_rows, n_cols = len(market.row_supply), len(market.col_capacity)
    low = np.zeros(n_cols)
    high = np.zeros(n_cols)
    if n_cols == 0:
        return low, high
    if len(market.arc_value) == 0:
        # Nothing constrains the prices but the dual objective: p_j = 0 unless c_j = 0.
        high = np.where(market.col_capacity == 0, math.inf, 0.0)
        return low, high
    objective, a_ub, b_ub, bounds = _dual_program(market)
    res = linprog(objective, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs-ds", options=_HIGHS)
    if res.status == 2:
        raise UnboundedMarketError("the dual is infeasible: the market's value is unbounded")
    if res.status != 0:
        raise RuntimeError(f"HiGHS failed on the dual: {res.message}")
    best = float(res.fun)
    slack = 1e-9 * max(1.0, abs(best))
    a_face = sp.vstack([a_ub, sp.csr_matrix(objective)]).tocsr()
    b_face = np.concatenate([b_ub, [best + 1e-10 * max(1.0, abs(best))]])
    for j in range(n_cols):
        column = n_rows + j
        if bounds[column] == (0.0, 0.0):
            continue  # infinite capacity: p_j = 0
        for sign, out in ((1.0, low), (-1.0, high)):
            goal = np.zeros(len(objective))
            goal[column] = sign
            # Lexicographic: the dual objective first, then +-p_j. If the vertex found lies on
            # the optimal face it optimises p_j over the face (any better point of the face
            # would beat it), exactly: no pin, no drift. It does whenever every edge leaving
            # the face raises the dual objective by more than 1/_LEXICOGRAPHIC per unit of p_j.
            res = linprog(
                _LEXICOGRAPHIC * objective + goal,
                A_ub=a_ub,
                b_ub=b_ub,
                bounds=bounds,
                method="highs-ds",
                options=_HIGHS,
            )
            if res.status == 0 and float(objective @ res.x) <= best + slack:
                out[j] = max(0.0, float(res.x[column]))
                continue
            # Otherwise optimise p_j over the face with the dual objective pinned (inexact by
            # about pin / rate of that edge).
            res = linprog(
                goal, A_ub=a_face, b_ub=b_face, bounds=bounds, method="highs-ds", options=_HIGHS
            )
            if res.status == 3:
                out[j] = math.inf
            elif res.status != 0:
                raise RuntimeError(f"HiGHS failed on a price bound: {res.message}")
            else:
                out[j] = max(0.0, float(res.x[column]))
    return low, high


def competitive_violations(
    market: Market, flow: FloatArray, price: FloatArray, tol: float = 1e-7
) -> list[str]:
    """Every way ``flow`` and ``price`` fail to be a competitive equilibrium (empty: none).

    With ``w_e = v_e - p_j`` the net value of arc e to its row, a pair (flow, price) is an
    optimal flow with optimal column prices exactly when some row surplus ``u_i >= 0`` makes:

    - arcs with flow are best choices:   ``w_e >= u_i`` for every arc with ``f_e > 0``;
    - arcs with spare capacity are not better than the surplus: ``w_e <= u_i`` where
      ``f_e < a_e``;
    - a row with unused supply has surplus 0;
    - a column with a positive price is full; prices are >= 0 (so infinite columns are free);
    - and the flow is feasible.

    (These are complementary slackness with ``r_e = max(0, w_e - u_i)``.) Such a ``u_i``
    exists iff ``max(0, max_{spare} w_e) <= min_{flow} w_e``, and, for a row with unused
    supply, ``max_{spare} w_e <= 0 <= min_{flow} w_e``.
    """
    problems: list[str] = []
    flow = np.asarray(flow, dtype=float)
    price = np.asarray(price, dtype=float)
    n_rows, n_cols = len(market.row_supply), len(market.col_capacity)
    if flow.shape != market.arc_value.shape:
        return [f"flow has shape {flow.shape}, expected {market.arc_value.shape}"]
    if price.shape != (n_cols,):
        return [f"price has shape {price.shape}, expected {(n_cols,)}"]
    if not np.all(np.isfinite(flow)):
        problems.append("flow is not finite")
    if np.any(np.isnan(price)):
        problems.append("price has NaN")
    row_sum = np.bincount(market.arc_row, weights=flow, minlength=n_rows)
    col_sum = np.bincount(market.arc_col, weights=flow, minlength=n_cols)
    for e in np.flatnonzero(flow < -tol):
        problems.append(f"arc {e}: negative flow {flow[e]}")
    for e in np.flatnonzero(flow > market.arc_capacity + tol):
        problems.append(f"arc {e}: flow {flow[e]} over capacity {market.arc_capacity[e]}")
    for i in np.flatnonzero(row_sum > market.row_supply + tol):
        problems.append(f"row {i}: sends {row_sum[i]} over supply {market.row_supply[i]}")
    for j in np.flatnonzero(col_sum > market.col_capacity + tol):
        problems.append(f"column {j}: takes {col_sum[j]} over capacity {market.col_capacity[j]}")
    for j in np.flatnonzero(price < -tol):
        problems.append(f"column {j}: negative price {price[j]}")
    for j in np.flatnonzero((price > tol) & (col_sum < market.col_capacity - tol)):
        problems.append(
            f"column {j}: price {price[j]} > 0 but takes only {col_sum[j]} of "
            f"{market.col_capacity[j]}"
        )
    with np.errstate(invalid="ignore"):
        net = market.arc_value - price[market.arc_col]
    has_flow = flow > tol
    spare = flow < market.arc_capacity - tol
    for i in range(n_rows):
        mine = market.arc_row == i
        best_spare = float(np.max(net[mine & spare], initial=-math.inf))
        worst_flow = float(np.min(net[mine & has_flow], initial=math.inf))
        surplus_low = max(0.0, best_spare)
        if surplus_low > worst_flow + tol:
            problems.append(
                f"row {i}: an arc with flow nets {worst_flow}, but an arc with spare capacity "
                f"(or sending nothing) nets {surplus_low}"
            )
        if row_sum[i] < market.row_supply[i] - tol and (best_spare > tol or worst_flow < -tol):
            problems.append(
                f"row {i}: has unused supply but its surplus cannot be 0 "
                f"(best spare arc nets {best_spare}, worst arc with flow nets {worst_flow})"
            )
    return problems


def is_competitive(market: Market, flow: FloatArray, price: FloatArray, tol: float = 1e-7) -> bool:
    """Whether ``flow`` is feasible and optimal with ``price`` among its optimal column prices."""
    return not competitive_violations(market, flow, price, tol)


def _arc_upper_bounds(market: Market) -> NDArray[np.int64]:
    bound = np.minimum(
        market.arc_capacity,
        np.minimum(market.row_supply[market.arc_row], market.col_capacity[market.arc_col]),
    )
    if not np.all(np.isfinite(bound)):
        raise UnboundedMarketError("an arc has no finite bound")
    return np.floor(bound + 1e-9).astype(np.int64)


def brute_force_size(market: Market) -> int:
    """How many integer flows ``brute_force_value`` would enumerate."""
    return math.prod(int(b) + 1 for b in _arc_upper_bounds(market))


def brute_force_value(market: Market, limit: int = 300_000) -> float | None:
    """The best value over all integer flows (optimal when the bounds are integers).

    ``None`` when there are more than ``limit`` candidate flows.
    """
    bound = _arc_upper_bounds(market)
    if brute_force_size(market) > limit:
        return None
    if len(bound) == 0:
        return 0.0
    grid = np.array(list(itertools.product(*(range(int(b) + 1) for b in bound))), dtype=float)
    n_rows, n_cols = len(market.row_supply), len(market.col_capacity)
    row_onehot = np.zeros((len(bound), n_rows))
    row_onehot[np.arange(len(bound)), market.arc_row] = 1.0
    col_onehot = np.zeros((len(bound), n_cols))
    col_onehot[np.arange(len(bound)), market.arc_col] = 1.0
    ok = np.all(grid @ row_onehot <= market.row_supply + 1e-9, axis=1) & np.all(
        grid @ col_onehot <= market.col_capacity + 1e-9, axis=1
    )
    return float(np.max(grid[ok] @ market.arc_value))


def with_col_capacity(market: Market, j: int, capacity: float) -> Market:
    """The same market with column ``j``'s capacity replaced."""
    col_capacity = market.col_capacity.copy()
    col_capacity[j] = capacity
    return Market(
        market.row_supply,
        col_capacity,
        market.arc_row,
        market.arc_col,
        market.arc_value,
        market.arc_capacity,
    )


def marginal_prices(market: Market, step: float = 1.0) -> tuple[FloatArray, FloatArray]:
    """Least and greatest optimal prices as one-sided marginal values of column capacity.

    The optimal value V is concave and piecewise linear in ``c_j``; its right derivative is the
    least optimal ``p_j`` and its left derivative the greatest. When all supplies and capacities
    are multiples of ``step`` the breakpoints are too (the constraint matrix is totally
    unimodular), so one step each way gives the derivatives exactly. Brute force where small
    enough, the primal LP otherwise.
    """

    def value(m: Market) -> float:
        exact = brute_force_value(m) if step == 1.0 else None
        return exact if exact is not None else optimal_value(m)

    n_cols = len(market.col_capacity)
    low = np.zeros(n_cols)
    high = np.zeros(n_cols)
    base = value(market)
    for j, c in enumerate(market.col_capacity):
        if math.isinf(c):
            continue
        low[j] = (value(with_col_capacity(market, j, c + step)) - base) / step
        if c < step - 1e-12:
            high[j] = math.inf
        else:
            high[j] = (base - value(with_col_capacity(market, j, c - step))) / step
    return low, high
