"""The flow core both markets share: a transportation problem with its extreme competitive duals.

Problem. Rows (wishes, or participants) send units along arcs to columns (goods, or tasks);
a unit on arc ``e`` is worth ``arc_value[e]``. Maximise the total value, where a row sends at
most its supply, a column takes at most its capacity and an arc carries at most its capacity.
Sending nothing is always allowed and worth 0: that is the row's *outside option*.

Prices. The optimal duals of the column capacities are the column prices ``p``. At any optimal
dual, every row's flow goes to its best arcs at those prices (value minus price), no arc with
spare room is better than what the row gets, a row with unused supply gets nothing better than 0,
and a column with a positive price is full: a competitive (Walrasian) equilibrium. The optimal
duals form a lattice (Shapley & Shubik 1971); its least element is the *minimal competitive
price* vector (buyer-optimal; for unit demand it equals VCG and is strategy-proof), its greatest
element the maximal one (used by the task auction, where a task's weight is ``max_weight`` minus
its price, so the least weights are the greatest prices).

Ties. Among optimal plans, the one whose vector of units served per row, read in the market's
order, is lexicographically greatest: an earlier row is never left out (or given less) so that
a later row can have the same value. A row that values a free column at exactly 0 takes it.

Guarantees. The flow is optimal and the prices are exactly the least or the greatest optimal
duals. Where the values lie on a decimal grid (multiples of ``10**-k``, ``k <= 9``, up to float
rounding of about ``1e-13`` relative), which is what the pool's data give, all of that is
computed in 64-bit integers: exact, ties included. Supplies and capacities on such a grid give
an exact flow (integral where they are integers); otherwise amounts within ``1e-9`` count as
equal. The tie rule needs about ``log2(rows)`` more bits; where the grid is too fine for them
at the market's size (say 5 decimals at 50,000 rows), ties still go to plans that serve the
most units (so the zero-value rule holds), but which rows those are is left to the algorithm
(deterministic, not by the order). Values on no usable grid go to the fallback below.

Method (fast path). Values become integers ``V_e`` on their grid and every arc costs
``-alpha * (B * V_e + w_i)``, where ``w_i`` ranks the rows (the first row highest; all 1 where
the grid is too fine) and ``B`` exceeds what ranks can add up to along a cycle, so value comes
first and ranks only break ties (the served amounts form a polymatroid, whose lexicographically
greatest point is also its best one for any strictly decreasing weights). Goldberg's cost
scaling (push-relabel with eps-optimal prices, eps falling by a factor 8 per phase down to 1,
with look-ahead and global price updates) then finds the optimal flow: with costs multiplied by
``alpha``, one more than the arcs of the longest simple cycle, a 1-optimal flow is optimal
(Goldberg & Tarjan 1990). After each phase a bounded label-correcting pass looks for prices
that leave no arc with room a negative reduced cost; where it finds them the flow is already
optimal and the remaining phases are skipped (on the task side, 5 phases instead of 10).
The extreme duals are shortest distances over the optimal flow's residual graph with value
costs only, from the sink (least prices) or to it (greatest): one Dijkstra pass, guided by the
final prices; its labels are exact, and are checked to be. Amounts (hours, units) too are
scaled to integers when they lie on a decimal grid. Where every row supplies one unit, a
forward auction for similar objects (Bertsekas) runs at eps 1 on these costs: from zero
prices it ends with every row within 1 of its best choice at the cheapest copies, free copies
at price 0, so the flow with those prices is 1-optimal, hence optimal, and cost scaling is
skipped; one kernel (``_flow_unit``) does all of that straight from the market's arrays, with
the extreme duals from a Dijkstra pass over the columns alone (a row has one way in, so the
rows contract away). An auction that turns into a price war gives up after 32 bids per row;
then one at a quarter unit of value (12 bids per row) hands its prices to cost scaling, eight
times finer, and where that gives up too, cost scaling starts cold. Details: ``_flow_scaling``,
``_flow_auction``, ``_flow_unit``. Where every row has just one arc with room (a million
participants offering on one task), the columns share no row and clear apart: greedily, by
value and then market order, with the extreme duals written down from the marginal rows
(``_flow_single``); only with integer amounts and the ranks in full, where that is provably
the plan and the prices cost scaling would give.

Fallback. Values on no decimal grid (or one too fine even without the ranks) go to successive
shortest paths on float costs (``_flow_ssp``): optimal and with the extreme prices up to float
rounding; rows are added best value first, then in market order, which favours earlier rows
among equals but is not the lexicographic rule; slow when thousands of rows compete for the
last free units (seconds at 50,000 rows).

Example. Two sea-view flats A and B (one each) and three wishers: x values A at 10 and B at 8,
y values A at 9, z values B at 5. The best plan gives B to x and A to y (17 > 15). The least
prices are A 7 and B 5: z is then indifferent about B, x about A and B (3 either way), y keeps
2 on A. Lower any price and someone unserved, or x, wants a flat that is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from peerconomy.mechanisms import (
    _flow_auction,
    _flow_scaling,
    _flow_single,
    _flow_ssp,
    _flow_unit,
    _jit,
)
from peerconomy.mechanisms._jit import kernel
from peerconomy.mechanisms.arrays import FloatArray, IntArray

__all__ = ["Clearing", "Market", "solve"]

_EPS = 1e-9  # amounts (units, hours) on no decimal grid: at or below this count as zero
_MAX_DECIMALS = 9  # grids tried: 10**-k for k = 0 .. _MAX_DECIMALS
_EXACT_BIDS = 32  # bids per row the exact (eps 1) auction may spend
_AUCTION_BIDS = 12  # bids per row the coarse warm start may spend
_EXACT_SUM = 2.0**52  # scaled amounts stay below this, so their sums are exact in float64
_UNIT_KERNEL = True  # unit rows go to _flow_unit (False: the general path, for comparison)
_EARLY_STOP = True  # cost scaling stops once a check proves the flow optimal (False: eps 1)
_SINGLE_ARCS = True  # rows with one arc each go to _flow_single (False: cost scaling)


@dataclass(frozen=True)
class Market:
    """Rows supply units along arcs to columns; each unit on arc ``e`` is worth ``arc_value[e]``.

    Maximise total value subject to: a row sends at most ``row_supply``, a column takes at most
    ``col_capacity`` (``inf`` allowed), an arc carries at most ``arc_capacity`` (``inf`` allowed).
    Sending nothing is always allowed (worth 0).
    """

    row_supply: FloatArray
    col_capacity: FloatArray
    arc_row: IntArray
    arc_col: IntArray
    arc_value: FloatArray
    arc_capacity: FloatArray

    def __post_init__(self) -> None:
        n_arcs = len(self.arc_row)
        if not (len(self.arc_col) == len(self.arc_value) == len(self.arc_capacity) == n_arcs):
            raise ValueError("arc arrays must have equal lengths")
        if n_arcs and (self.arc_row.min() < 0 or self.arc_row.max() >= len(self.row_supply)):
            raise ValueError("arc_row out of range")
        if n_arcs and (self.arc_col.min() < 0 or self.arc_col.max() >= len(self.col_capacity)):
            raise ValueError("arc_col out of range")
        if not np.all(np.isfinite(self.row_supply)) or np.any(self.row_supply < 0):
            raise ValueError("row_supply must be finite and >= 0")
        if np.any(self.col_capacity < 0) or np.any(self.arc_capacity < 0):
            raise ValueError("capacities must be >= 0")
        if not np.all(np.isfinite(self.arc_value)):
            raise ValueError("arc_value must be finite")

    @classmethod
    def of(
        cls,
        supply: list[float],
        capacity: list[float],
        arcs: list[tuple[int, int, float, float]],
    ) -> Market:
        """A market written out by hand: row supplies, column capacities and arcs (row,
        column, value, capacity) — the examples' and the tests' way to make one."""
        return cls(
            row_supply=np.array(supply, dtype=np.float64),
            col_capacity=np.array(capacity, dtype=np.float64),
            arc_row=np.array([a[0] for a in arcs], dtype=np.int64),
            arc_col=np.array([a[1] for a in arcs], dtype=np.int64),
            arc_value=np.array([a[2] for a in arcs], dtype=np.float64),
            arc_capacity=np.array([a[3] for a in arcs], dtype=np.float64),
        )


@dataclass(frozen=True)
class Clearing:
    """An optimal flow and the column prices (duals of the column capacities), all >= 0."""

    flow: FloatArray
    col_price: FloatArray


def solve(market: Market, prices: Literal["min", "max"] = "min") -> Clearing:
    """Optimal flow and the least (``"min"``) or greatest (``"max"``) optimal column prices.

    Ties between equally good plans go to rows earlier in the market's order (see the module
    docstring), so a caller that wants fair tie-breaking shuffles the rows with its own seeded
    generator first. A column that can reach no flow at all gets price 0 under ``"min"``;
    under ``"max"`` a column of capacity 0 that nobody holds has no upper bound and gets ``inf``.
    """
    if prices not in ("min", "max"):
        raise ValueError(f"prices must be 'min' or 'max', got {prices!r}")
    row_supply = np.ascontiguousarray(market.row_supply, dtype=np.float64)
    col_capacity = np.ascontiguousarray(market.col_capacity, dtype=np.float64)
    arc_row = np.ascontiguousarray(market.arc_row, dtype=np.int64)
    arc_col = np.ascontiguousarray(market.arc_col, dtype=np.int64)
    arc_value = np.ascontiguousarray(market.arc_value, dtype=np.float64)
    arc_capacity = np.ascontiguousarray(market.arc_capacity, dtype=np.float64)
    maximal = prices == "max"
    with _jit.sized(len(arc_value)):
        result = _solve_scaled(
            row_supply, col_capacity, arc_row, arc_col, arc_value, arc_capacity, maximal
        )
        if result is None:
            result = _jit.pick(_flow_ssp.solve_ssp)(
                row_supply,
                col_capacity,
                arc_row,
                arc_col,
                arc_value,
                arc_capacity,
                len(row_supply),
                len(col_capacity),
                maximal,
            )
    flow, col_price = result
    return Clearing(flow=flow, col_price=col_price)


def _warm_start(
    n_rows: int,
    n_cols: int,
    graph: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, FloatArray, IntArray],
    excess: FloatArray,
    price: IntArray,
    col_room: FloatArray,
    eps: int,
    bids: int,
) -> bool:
    """Auction prices and holders for unit rows, as an eps-optimal flow; False if it gave up.

    The auction runs at ``eps`` (in cost units) and may spend ``bids`` bids per row; the
    graph, ``excess`` and ``price`` are only touched when it finishes.
    """
    first, head, rev, cost, _, res, pos = graph
    held, cheapest, done = _jit.pick(_flow_auction.auction)(
        n_rows, first, head, cost, col_room, eps, bids * n_rows
    )
    if not done:
        return False
    n_live = len(pos) - n_rows - n_cols
    sink = n_rows + n_cols
    on = held >= 0
    arcs = held[on]
    filled = np.bincount(head[arcs] - n_rows, minlength=n_cols).astype(np.float64)
    out = pos[n_live : n_live + n_rows][~on]
    to_sink = pos[n_live + n_rows :]
    for send, amount in ((arcs, 1.0), (out, 1.0), (to_sink, filled)):
        res[send] -= amount
        res[rev[send]] += amount
    excess[:] = 0.0
    price[n_rows:sink] = -cheapest
    price[np.flatnonzero(on)] = -cost[arcs] - cheapest[head[arcs] - n_rows]
    return True


def _decimal_scale(x: FloatArray, limit: float) -> float | None:
    """The least ``10**k`` that makes every entry of ``x`` an integer, up to float rounding.

    ``None`` if there is none with ``k <= _MAX_DECIMALS`` and ``max|x| * 10**k <= limit``.
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    k = int(_jit.pick(_decimals)(x, float(limit), _MAX_DECIMALS))
    return None if k < 0 else 10.0**k


@kernel()
def _decimals(x, limit, max_decimals):  # type: ignore[no-untyped-def]
    """The least ``k`` for ``_decimal_scale`` (-1 if none); a scale fails at its first misfit."""
    largest = 0.0
    for v in x:
        if abs(v) > largest:
            largest = abs(v)
    n = x.shape[0]
    for k in range(max_decimals + 1):
        scale = 10.0**k
        if largest * scale > limit:
            return -1
        i = 0
        while i < n:
            y = x[i] * scale
            if abs(y - np.rint(y)) > max(1e-9, 1e-13 * abs(y)):
                break
            i += 1
        if i == n:
            return k
    return -1


def _solve_scaled(
    row_supply: FloatArray,
    col_capacity: FloatArray,
    arc_row: IntArray,
    arc_col: IntArray,
    arc_value: FloatArray,
    arc_capacity: FloatArray,
    maximal: bool,
) -> tuple[FloatArray, FloatArray] | None:
    """The fast path (module docstring); ``None`` where the values are on no usable grid."""
    exact_auction = True
    if _UNIT_KERNEL:
        status, unit_flow, unit_price = _jit.pick(_flow_unit.clear)(
            row_supply, col_capacity, arc_row, arc_col, arc_value, arc_capacity,
            float(np.sum(row_supply)), maximal, _EXACT_BIDS, _EXACT_SUM, _MAX_DECIMALS,
        )
        if status == _flow_unit.OK:
            return unit_flow, unit_price
        if status in (_flow_unit.NO_GRID, _flow_unit.INEXACT):
            return None
        exact_auction = status == _flow_unit.NOT_UNIT
    n_cols = len(col_capacity)
    flow = np.zeros(len(arc_value), dtype=np.float64)

    # Amounts: integers on their grid where there is one (tol 0), else floats (tol _EPS).
    # A capacity above the total supply is as good as unlimited: cut it there first.
    total = float(np.sum(row_supply))
    arc_cap = np.minimum(arc_capacity, row_supply[arc_row])
    col_cap = np.minimum(col_capacity, total)
    q_scale = _decimal_scale(np.concatenate([row_supply, arc_cap, col_cap, [total]]), _EXACT_SUM)
    if q_scale is None:
        q_scale, tol = 1.0, _EPS
        supply = row_supply
    else:
        tol = 0.0
        supply = np.rint(row_supply * q_scale)
        arc_cap = np.rint(arc_cap * q_scale)
        col_cap = np.rint(col_cap * q_scale)

    # Arcs that can matter: value >= 0 (a negative one never carries flow nor bounds a price)
    # and room > 0. Arcs into a column of capacity 0 ("dead") carry nothing either; they only
    # bound that column's least price, from below.
    keep = (arc_value >= 0.0) & (arc_cap > tol)
    live = np.flatnonzero(keep & (col_cap[arc_col] > tol))
    dead = np.flatnonzero(keep & (col_cap[arc_col] <= tol))
    col_price = np.where(maximal & (col_capacity == 0.0), np.inf, 0.0)
    if len(live) + len(dead) == 0:
        return flow, col_price
    # rows with live arcs, in market order, and each live arc's index among them (what
    # np.unique(..., return_inverse=True) gives, by counting: the ids are small integers)
    has_arc = np.zeros(len(row_supply), dtype=bool)
    has_arc[arc_row[live]] = True
    rows = np.flatnonzero(has_arc)
    row_of_arc = (np.cumsum(has_arc) - 1)[arc_row[live]]
    n_rows = len(rows)
    cols = arc_col[live]
    cap = arc_cap[live]
    inflow = np.bincount(cols, weights=cap, minlength=n_cols)
    col_room = np.minimum(col_cap, inflow)
    # room in truth even when col_room is used up: a capacity cut to what the arcs can bring,
    # or above the total supply
    cut = (col_cap > inflow + tol) | (col_capacity > total)

    # Values: integers on their grid, small enough for int64 (see _flow_scaling). Ranks w_i
    # (n_rows for the first row down to 1, weight B = n_rows + 1) break ties lexicographically;
    # where that does not fit, every row weighs 1 (B = 2): plans serving the most units still
    # win ties, but which rows they serve is then left to the algorithm.
    longest_cycle = 2 * min(n_rows, int(np.count_nonzero(np.bincount(cols, minlength=n_cols)))) + 2
    alpha = longest_cycle + 1
    values = arc_value[np.concatenate([live, dead])]
    room = int(_flow_scaling.COST_LIMIT) // (longest_cycle + 2) // alpha
    tie = n_rows + 1
    v_scale = _decimal_scale(values, float((room - n_rows) // tie))
    ranked = v_scale is not None  # the ranks fit: the tie rule holds in full
    if v_scale is None:
        tie = 2
        v_scale = _decimal_scale(values, float((room - n_rows) // tie))
        if v_scale is None:
            return None
    rank = (n_rows - row_of_arc if tie > 2 else np.ones(len(live))).astype(np.int64)
    units = np.rint(arc_value[live] * v_scale).astype(np.int64)
    step = alpha * tie  # one unit of value in the costs

    n_nodes = n_rows + n_cols + 1
    sink = n_nodes - 1
    n_live = len(live)
    if _SINGLE_ARCS and tol == 0.0 and ranked and n_live == n_rows:
        # every row has one arc: the columns clear apart, greedily (_flow_single)
        dist, carried = _flow_single.clear(
            row_of_arc, cols, cap, units, supply[rows], col_room, cut, step, maximal
        )
    else:
        tail = np.concatenate([row_of_arc, np.arange(n_rows), n_rows + np.arange(n_cols)])
        head = np.concatenate([n_rows + cols, np.full(n_rows, sink), np.full(n_cols, sink)])
        zeros = np.zeros(n_rows + n_cols, dtype=np.int64)
        cost = np.concatenate([-alpha * (tie * units + rank), zeros])
        value_cost = np.concatenate([-step * units, zeros])
        row_total = supply[rows]
        capacity = np.concatenate([cap, row_total, col_room]).astype(np.float64)
        graph = _jit.pick(_flow_scaling.build)(
            n_nodes, tail.astype(np.int64), head.astype(np.int64), cost, value_cost, capacity
        )
        first, res_head, rev, res_cost, res_value_cost, res, pos = graph
        excess = np.zeros(n_nodes, dtype=np.float64)
        excess[:n_rows] = row_total
        excess[sink] = -float(np.sum(row_total))
        price = np.zeros(n_nodes, dtype=np.int64)
        eps = 0  # cold start: eps from the largest cost
        if tol == 0.0 and np.all(row_total == 1.0):
            # an auction at eps 1 ends 1-optimal, hence optimal; one that turns into a price war
            # hands a coarser auction's prices to cost scaling instead
            if exact_auction and _warm_start(
                n_rows, n_cols, graph, excess, price, col_room, 1, _EXACT_BIDS
            ):
                eps = -1
            elif _warm_start(
                n_rows, n_cols, graph, excess, price, col_room, max(1, step // 4), _AUCTION_BIDS
            ):
                eps = max(1, step // 4)
        if eps >= 0:
            price, status = _jit.pick(_flow_scaling.cost_scaling)(
                n_nodes, n_rows, first, res_head, rev, res_cost, res, excess, tol, price, eps,
                _EARLY_STOP,
            )
            if status != _flow_scaling.OK:
                return None
        always = np.zeros(len(res), dtype=np.bool_)
        always[pos[n_live : n_live + n_rows]] = True  # staying out is never full
        always[pos[n_live + n_rows :][cut]] = True
        dist = _jit.pick(_flow_scaling.extreme_distances)(
            n_nodes, sink, first, res_head, rev, res_value_cost, res, price, tol, maximal, always
        )
        carried = res[rev[pos[:n_live]]]
    col_dist = dist[n_rows:sink]
    if not maximal and len(dead):
        # a dead column is a leaf: its distance is the least over its arcs (a row without
        # live arcs stays out, at distance 0)
        row_dist = np.zeros(len(supply), dtype=np.int64)
        row_dist[rows] = dist[:n_rows]
        via = row_dist[arc_row[dead]]
        ok = via != _flow_scaling.UNREACHED
        label = via[ok] - step * np.rint(arc_value[dead][ok] * v_scale).astype(np.int64)
        col_dist = col_dist.copy()
        np.minimum.at(col_dist, arc_col[dead][ok], label)
    reached = col_dist != _flow_scaling.UNREACHED
    if np.any(col_dist[reached] % step):
        return None  # not exact: cannot happen (see _flow_scaling); the fallback is
    levels = np.where(reached, col_dist, 0) // step
    if maximal:
        col_price = np.where(reached, np.maximum(levels, 0) / v_scale, np.inf)
    else:
        col_price = np.maximum(-levels, 0) / v_scale
    flow[live] = carried / q_scale
    return flow, col_price.astype(np.float64)
