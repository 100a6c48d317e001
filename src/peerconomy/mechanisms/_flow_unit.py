"""Unit rows in one kernel: the eps-1 auction and the extreme duals on the columns (private).

Used by :mod:`peerconomy.mechanisms.flow` (whose docstring states the problem, the guarantees
and the method) when every row that has an arc able to carry flow supplies one unit: the goods
side of the pool's clearing. From the market's own arrays it computes what the general fast
path computes for such a market, without building the general residual graph: the same grids,
ranks and integer costs, an eps-1 auction outcome (hence an optimal flow, with the units per
row the tie rule fixes), and the same extreme duals, exactly.

Auction. Bertsekas' forward auction for similar objects at eps 1 on the costs (a row values
arc ``e`` at ``alpha * (B * V_e + w_i)``), Gauss-Seidel: a row bids for the cheapest copy of
its best column, at a price raised by its best minus second-best net value plus eps; the row
it displaces joins the back of the queue (bidding at once instead takes several times as many
bids). A column's copies form a min-heap of their prices; its cheapest
price ``P_j`` is also kept in a dense array, which is all a bidder reads. It gives up after
``bids_per_row`` bids per row (a price war), and the caller then takes the general path.

Extreme duals. In the residual graph of a unit flow, a row has one way in: from the sink T if
it stays out, from its column if it is held. So the rows contract away, leaving the columns
and T with these edges (value costs, ``s = alpha * B`` per unit of value):

- T -> h: 0 if h holds a row; ``-s V_ih`` for each row i that stays out and has an arc to h;
- g -> h: ``s (V_ig - V_ih)`` for each row i held by g with an arc to h;
- g -> T: 0 if g has room (or a capacity cut away); ``s V_ig`` for each row i it holds
  (staying out is always open).

Every path over them is a residual path of the same length, and conversely for paths that
end at a column. The least prices come from distances from T, the greatest from distances
to T, as in ``_flow_scaling.extreme_distances``; Dijkstra runs on the lengths reduced by the
auction's potentials (``-P`` on columns, the row's profit at its column's cheapest copy on a
held row). A column-to-column stretch then has the reduced cost of its residual path (the
ranks of the rows in between cancel), at least ``-L`` by 1-optimality, and only the edges at T
can be more negative; true lengths to a node differ by multiples of ``s > L``. So, as in
``_flow_scaling``, a label is exact when its node is settled, and every label is checked to be
a multiple of ``s``.
"""

from __future__ import annotations

import numba
import numpy as np

from peerconomy.mechanisms._flow_scaling import COST_LIMIT, UNREACHED
from peerconomy.mechanisms._flow_ssp import _heap_pop, _heap_push

# status codes of clear
OK = 0
NOT_UNIT = 1  # some row with arcs does not supply exactly one unit: the general path
GAVE_UP = 2  # the auction turned into a price war: the general path, without the eps-1 auction
NO_GRID = 3  # the values are on no usable grid: the fallback
INEXACT = 4  # a label was no multiple of a unit of value (cannot happen): the fallback


@numba.njit(cache=True, nogil=True, inline="always")
def _fits(v, scale):  # type: ignore[no-untyped-def]
    y = v * scale
    return abs(y - np.rint(y)) <= max(1e-9, 1e-13 * abs(y))


@numba.njit(cache=True, nogil=True)
def _amount_decimals(row_supply, col_capacity, arc_row, arc_capacity, total, limit,  # type: ignore[no-untyped-def]
                     max_decimals):
    """``flow._decimals`` over the supplies, the cut arc and column capacities and the total."""
    largest = abs(total)
    for v in row_supply:
        largest = max(largest, abs(v))
    for e in range(arc_row.shape[0]):
        largest = max(largest, abs(min(arc_capacity[e], row_supply[arc_row[e]])))
    for j in range(col_capacity.shape[0]):
        largest = max(largest, abs(min(col_capacity[j], total)))
    for k in range(max_decimals + 1):
        scale = 10.0**k
        if largest * scale > limit:
            return -1
        if not _fits(total, scale):
            continue
        ok = True
        for v in row_supply:
            if not _fits(v, scale):
                ok = False
                break
        if not ok:
            continue
        for e in range(arc_row.shape[0]):
            if not _fits(min(arc_capacity[e], row_supply[arc_row[e]]), scale):
                ok = False
                break
        if not ok:
            continue
        for j in range(col_capacity.shape[0]):
            if not _fits(min(col_capacity[j], total), scale):
                ok = False
                break
        if ok:
            return k
    return -1


@numba.njit(cache=True, nogil=True)
def _value_decimals(arc_value, kind, limit, max_decimals):  # type: ignore[no-untyped-def]
    """``flow._decimals`` over the values of the arcs kept (``kind > 0``)."""
    largest = 0.0
    for e in range(arc_value.shape[0]):
        if kind[e] > 0:
            largest = max(largest, abs(arc_value[e]))
    for k in range(max_decimals + 1):
        scale = 10.0**k
        if largest * scale > limit:
            return -1
        ok = True
        for e in range(arc_value.shape[0]):
            if kind[e] > 0 and not _fits(arc_value[e], scale):
                ok = False
                break
        if ok:
            return k
    return -1


@numba.njit(cache=True, nogil=True)
def auction(n_rows, first, col, value, start, eps, max_bids):  # type: ignore[no-untyped-def]
    """The auction: (arc held per row or -1, copy prices, copy holders, done).

    Row i's arcs are ``first[i] .. first[i+1]-1``, to column ``col[a]``, worth ``value[a] > 0``;
    column j's copies are ``start[j] .. start[j+1]-1`` (a min-heap on their prices, its cheapest
    copy first). ``done`` is False when ``max_bids`` ran out.
    """
    n_cols = start.shape[0] - 1
    price = np.zeros(start[n_cols], np.int64)
    holder = np.full(start[n_cols], -1, np.int64)
    cheap = np.zeros(n_cols, np.int64)
    held = np.full(n_rows, -1, np.int64)
    queue = np.empty(max(n_rows, 1), np.int64)  # rows waiting to bid, a ring buffer
    for i in range(n_rows):
        queue[i] = i
    q_first = 0
    q_len = n_rows
    bids = 0
    while q_len > 0:
        if bids >= max_bids:
            return held, price, holder, False
        i = queue[q_first]
        q_first = q_first + 1 if q_first + 1 < n_rows else 0
        q_len -= 1
        best1 = np.int64(0)  # staying out
        best2 = np.int64(0)
        arc1 = -1
        for a in range(first[i], first[i + 1]):
            net = value[a] - cheap[col[a]]
            if net > best1:
                best2 = best1
                best1 = net
                arc1 = a
            elif net > best2:
                best2 = net
        if arc1 < 0:
            continue  # stays out
        bids += 1
        j = col[arc1]
        lo = start[j]
        size = start[j + 1] - lo
        old = holder[lo]
        if old >= 0:
            held[old] = -1
            at = q_first + q_len
            queue[at if at < n_rows else at - n_rows] = old
            q_len += 1
        bid = price[lo] + best1 - best2 + eps
        at = 0  # sift the bid down from the top of the heap
        while True:
            child = 2 * at + 1
            if child >= size:
                break
            if child + 1 < size and price[lo + child + 1] < price[lo + child]:
                child += 1
            if bid <= price[lo + child]:
                break
            price[lo + at] = price[lo + child]
            holder[lo + at] = holder[lo + child]
            at = child
        price[lo + at] = bid
        holder[lo + at] = i
        cheap[j] = price[lo]
        held[i] = arc1
    return held, price, holder, True


@numba.njit(cache=True, nogil=True)
def _least_labels(n_cols, first, col, units, start, holder, held, cheap, step):  # type: ignore[no-untyped-def]
    """True distances from T over the column graph (module docstring); UNREACHED if none."""
    n_rows = first.shape[0] - 1
    dist = np.full(n_cols, UNREACHED, np.int64)
    done = np.zeros(n_cols, np.bool_)
    for j in range(n_cols):
        for c in range(start[j], start[j + 1]):
            if holder[c] >= 0:
                dist[j] = cheap[j]  # T -> j, reduced
                break
    for i in range(n_rows):
        if held[i] < 0:
            for a in range(first[i], first[i + 1]):
                h = col[a]
                d = cheap[h] - step * units[a]
                if d < dist[h]:
                    dist[h] = d
    capacity = first[n_rows] + n_cols + 1
    keys = np.empty(capacity, np.int64)
    nodes = np.empty(capacity, np.int64)
    size = 0
    for j in range(n_cols):
        if dist[j] != UNREACHED:
            size = _heap_push(keys, nodes, size, dist[j], j)
    while size > 0:
        d, g, size = _heap_pop(keys, nodes, size)
        if done[g] or d > dist[g]:
            continue
        done[g] = True
        base = d - cheap[g]
        for c in range(start[g], start[g + 1]):
            i = holder[c]
            if i < 0:
                continue
            vg = units[held[i]]
            for a in range(first[i], first[i + 1]):
                h = col[a]
                if done[h]:
                    continue
                nd = base + step * (vg - units[a]) + cheap[h]
                if nd < dist[h]:
                    dist[h] = nd
                    size = _heap_push(keys, nodes, size, nd, h)
    for j in range(n_cols):
        if dist[j] != UNREACHED:
            dist[j] -= cheap[j]
    return dist


@numba.njit(cache=True, nogil=True)
def _greatest_labels(n_cols, first, col, units, start, holder, held, cheap, step, open_):  # type: ignore[no-untyped-def]
    """True distances to T over the column graph (module docstring); UNREACHED if none.

    ``open_[j]``: column j has room, or a capacity cut away.
    """
    n_rows = first.shape[0] - 1
    dist = np.full(n_cols, UNREACHED, np.int64)
    done = np.zeros(n_cols, np.bool_)
    # arcs of held rows, by column: the edges g -> h, walked backwards from h
    into = np.zeros(n_cols + 1, np.int64)
    for i in range(n_rows):
        if held[i] >= 0:
            for a in range(first[i], first[i + 1]):
                into[col[a] + 1] += 1
    for j in range(n_cols):
        into[j + 1] += into[j]
    fill = into[:-1].copy()
    in_arc = np.empty(into[n_cols], np.int64)
    in_row = np.empty(into[n_cols], np.int64)
    for i in range(n_rows):
        if held[i] >= 0:
            for a in range(first[i], first[i + 1]):
                h = col[a]
                in_arc[fill[h]] = a
                in_row[fill[h]] = i
                fill[h] += 1
    for j in range(n_cols):
        if open_[j]:
            dist[j] = -cheap[j]
        for c in range(start[j], start[j + 1]):
            i = holder[c]
            if i >= 0:
                d = step * units[held[i]] - cheap[j]
                if d < dist[j]:
                    dist[j] = d
    capacity = into[n_cols] + n_cols + 1
    keys = np.empty(capacity, np.int64)
    nodes = np.empty(capacity, np.int64)
    size = 0
    for j in range(n_cols):
        if dist[j] != UNREACHED:
            size = _heap_push(keys, nodes, size, dist[j], j)
    while size > 0:
        d, h, size = _heap_pop(keys, nodes, size)
        if done[h] or d > dist[h]:
            continue
        done[h] = True
        base = d + cheap[h]
        for c in range(into[h], into[h + 1]):
            b = held[in_row[c]]
            g = col[b]
            if done[g]:
                continue
            nd = base + step * (units[b] - units[in_arc[c]]) - cheap[g]
            if nd < dist[g]:
                dist[g] = nd
                size = _heap_push(keys, nodes, size, nd, g)
    for j in range(n_cols):
        if dist[j] != UNREACHED:
            dist[j] += cheap[j]
    return dist


@numba.njit(cache=True, nogil=True)
def clear(row_supply, col_capacity, arc_row, arc_col, arc_value, arc_capacity, total,  # type: ignore[no-untyped-def]
          maximal, bids_per_row, amount_limit, max_decimals):
    """(status, flow, col_price) for ``flow._solve_scaled``'s market; flow and prices only
    mean something when status is OK. ``total`` is ``np.sum(row_supply)``."""
    n_all = row_supply.shape[0]
    n_cols = col_capacity.shape[0]
    n_arcs = arc_row.shape[0]
    flow = np.zeros(n_arcs, np.float64)
    col_price = np.zeros(n_cols, np.float64)
    if maximal:
        for j in range(n_cols):
            if col_capacity[j] == 0.0:
                col_price[j] = np.inf

    # amounts on their grid; arcs kept (1 live, 2 into a column of capacity 0); unit rows
    kq = _amount_decimals(row_supply, col_capacity, arc_row, arc_capacity, total, amount_limit,
                          max_decimals)
    if kq < 0:
        return NOT_UNIT, flow, col_price
    q_scale = 10.0**kq
    col_cap = np.empty(n_cols, np.float64)
    for j in range(n_cols):
        col_cap[j] = np.rint(min(col_capacity[j], total) * q_scale)
    kind = np.zeros(n_arcs, np.int8)
    rix = np.full(n_all, -1, np.int64)  # a row's index among the rows with live arcs
    n_kept = 0
    for e in range(n_arcs):
        r = arc_row[e]
        if arc_value[e] >= 0.0 and np.rint(min(arc_capacity[e], row_supply[r]) * q_scale) > 0.0:
            n_kept += 1
            if col_cap[arc_col[e]] > 0.0:
                kind[e] = 1
                rix[r] = 0
            else:
                kind[e] = 2
    if n_kept == 0:
        return OK, flow, col_price
    n_rows = 0
    for r in range(n_all):
        if rix[r] >= 0:
            if np.rint(row_supply[r] * q_scale) != 1.0:
                return NOT_UNIT, flow, col_price
            rix[r] = n_rows
            n_rows += 1

    # integer values and costs, as flow._solve_scaled has them
    first = np.zeros(n_rows + 1, np.int64)
    inflow = np.zeros(n_cols, np.int64)
    for e in range(n_arcs):
        if kind[e] == 1:
            first[rix[arc_row[e]] + 1] += 1
            inflow[arc_col[e]] += 1
    for i in range(n_rows):
        first[i + 1] += first[i]
    n_used = 0
    for j in range(n_cols):
        if inflow[j] > 0:
            n_used += 1
    longest_cycle = 2 * min(n_rows, n_used) + 2
    alpha = np.int64(longest_cycle + 1)
    room = COST_LIMIT // (longest_cycle + 2) // alpha
    tie = np.int64(n_rows + 1)
    kv = _value_decimals(arc_value, kind, float((room - n_rows) // tie), max_decimals)
    if kv < 0:
        tie = np.int64(2)
        kv = _value_decimals(arc_value, kind, float((room - n_rows) // tie), max_decimals)
        if kv < 0:
            return NO_GRID, flow, col_price
    v_scale = 10.0**kv
    step = alpha * tie
    n_live = first[n_rows]
    col = np.empty(n_live, np.int64)
    units = np.empty(n_live, np.int64)
    value = np.empty(n_live, np.int64)
    orig = np.empty(n_live, np.int64)
    fill = first[:-1].copy()
    for e in range(n_arcs):
        if kind[e] == 1:
            i = rix[arc_row[e]]
            a = fill[i]
            fill[i] += 1
            col[a] = arc_col[e]
            u = np.int64(np.rint(arc_value[e] * v_scale))
            units[a] = u
            value[a] = alpha * (tie * u + (n_rows - i if tie > 2 else 1))
            orig[a] = e

    # the auction, on as many copies of a column as its arcs can fill
    start = np.zeros(n_cols + 1, np.int64)
    for j in range(n_cols):
        copies = inflow[j] if col_cap[j] >= inflow[j] else np.int64(col_cap[j])
        start[j + 1] = start[j] + copies
    held, price, holder, done = auction(n_rows, first, col, value, start, 1, bids_per_row * n_rows)
    if not done:
        return GAVE_UP, flow, col_price
    cheap = np.zeros(n_cols, np.int64)
    for j in range(n_cols):
        if start[j + 1] > start[j]:
            cheap[j] = price[start[j]]

    # the extreme duals
    if maximal:
        open_ = np.zeros(n_cols, np.bool_)
        for j in range(n_cols):
            filled = 0
            for c in range(start[j], start[j + 1]):
                if holder[c] >= 0:
                    filled += 1
            open_[j] = filled < start[j + 1] - start[j] or col_cap[j] > inflow[j] or (
                col_capacity[j] > total)
        dist = _greatest_labels(n_cols, first, col, units, start, holder, held, cheap, step, open_)
    else:
        dist = _least_labels(n_cols, first, col, units, start, holder, held, cheap, step)
        # a column of capacity 0 is a leaf: its distance is the least over its arcs (a row
        # that stays out is at distance 0, a held row at its column's plus its value)
        for e in range(n_arcs):
            if kind[e] == 2:
                i = rix[arc_row[e]]
                via = np.int64(0)
                if i >= 0 and held[i] >= 0:
                    b = held[i]
                    via = dist[col[b]] + step * units[b]
                label = via - step * np.int64(np.rint(arc_value[e] * v_scale))
                h = arc_col[e]
                if label < dist[h]:
                    dist[h] = label
    for j in range(n_cols):
        if dist[j] != UNREACHED and dist[j] % step != 0:
            return INEXACT, flow, col_price
    for j in range(n_cols):
        if dist[j] == UNREACHED:
            col_price[j] = np.inf if maximal else 0.0
        else:
            level = dist[j] // step
            col_price[j] = max(level if maximal else -level, 0) / v_scale
    one = 1.0 / q_scale
    for i in range(n_rows):
        if held[i] >= 0:
            flow[orig[held[i]]] = one
    return OK, flow, col_price
