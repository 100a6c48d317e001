"""Unit rows in one kernel: the eps-1 auction and the extreme duals on the columns (private).

Used by :mod:`peerconomy.mechanisms.flow` (whose docstring states the problem, the guarantees
and the method) when every row that has an arc able to carry flow supplies one unit: the goods
side of the pool's clearing. From the market's own arrays it computes what the general fast
path computes for such a market, without building the general residual graph: the same grids,
ranks and integer costs, an eps-1 auction outcome (hence an optimal flow, with the units per
row the tie rule fixes), and the same extreme duals, exactly.

Auction. Bertsekas' forward auction for similar objects at eps 1 on the costs (a row values
arc ``e`` at ``alpha * (B * V_e + w_i)``): a row from the queue bids for the cheapest copy of
its best column, at a price raised by its best minus second-best net value plus eps, and the
row it displaces joins the back of the queue (bidding at once instead takes several times as
many bids). A column's copies form a min-heap of their prices; its cheapest price ``P_j`` is
also kept in a dense array, which is all a bidder reads. Rows are compact records (below) that
the queue and the copies point at, and the record a few places down the queue is prefetched:
a bid costs about one cache miss. The auction gives up after ``bids_per_row`` bids per row (a
price war), and the caller then takes the general path. A row holds, of its arcs to its
column, the first of greatest value.

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

from typing import Any

import numpy as np
from llvmlite import binding, ir  # type: ignore[import-untyped]
from numba.core import cgutils, types
from numba.extending import intrinsic

from peerconomy.mechanisms._flow_scaling import COST_LIMIT, UNREACHED
from peerconomy.mechanisms._flow_ssp import _heap_pop, _heap_push
from peerconomy.mechanisms._jit import kernel, stand_in

# status codes of clear
OK = 0
NOT_UNIT = 1  # some row with arcs does not supply exactly one unit: the general path
GAVE_UP = 2  # the auction turned into a price war: the general path, without the eps-1 auction
NO_GRID = 3  # the values are on no usable grid: the fallback
INEXACT = 4  # a label was no multiple of a unit of value (cannot happen): the fallback


_PREFETCH_AHEAD = 4  # the auction prefetches the row this far down its queue
_INT32 = 2**31 - 1  # rows, columns, offsets and integer values below this: int32 records
# LLVM's prefetch intrinsic, named for typed (LLVM < 15) or opaque pointers
_PREFETCH = "llvm.prefetch.p0" if binding.llvm_version_info[0] >= 15 else "llvm.prefetch.p0i8"


def _prefetch_codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
    array_type = signature.args[0]
    data = context.make_array(array_type)(context, builder, args[0])
    pointer = cgutils.get_item_pointer(  # type: ignore[no-untyped-call]
        context, builder, array_type, data, [args[1]]
    )
    byte_pointer = ir.PointerType(ir.IntType(8))
    i32 = ir.IntType(32)
    kind = ir.FunctionType(ir.VoidType(), [byte_pointer, i32, i32, i32])
    function = cgutils.get_or_insert_function(  # type: ignore[no-untyped-call]
        builder.module, kind, _PREFETCH
    )
    builder.call(function, [builder.bitcast(pointer, byte_pointer), i32(0), i32(3), i32(1)])
    return context.get_dummy_value()


def _prefetch_typer(typingctx: Any, array: Any, index: Any) -> Any:
    """``_prefetch(array, index)`` asks the CPU to bring ``array[index]`` into its caches (a
    hint: it changes no result)."""
    return types.void(array, index), _prefetch_codegen


_prefetch: Any = intrinsic(_prefetch_typer)


def _no_prefetch(array: Any, index: Any) -> None:
    """``_prefetch`` in an interpreted kernel: a hint to a cache Python does not manage."""


stand_in(_prefetch, _no_prefetch)


@kernel(inline=True)
def _fits(v, scale):  # type: ignore[no-untyped-def]
    y = v * scale
    return abs(y - np.rint(y)) <= max(1e-9, 1e-13 * abs(y))


@kernel()
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


@kernel()
def _value_decimals(arc_value, kind, limit, max_decimals):  # type: ignore[no-untyped-def]
    """``flow._decimals`` over the values of the arcs kept (``kind > 0``); and the largest."""
    largest = 0.0
    for e in range(arc_value.shape[0]):
        if kind[e] > 0:
            largest = max(largest, abs(arc_value[e]))
    for k in range(max_decimals + 1):
        scale = 10.0**k
        if largest * scale > limit:
            return -1, largest
        ok = True
        for e in range(arc_value.shape[0]):
            if kind[e] > 0 and not _fits(arc_value[e], scale):
                ok = False
                break
        if ok:
            return k, largest
    return -1, largest


# Records. Row i's arcs that can carry flow lie in ``rec`` from its offset ``o = off[i]``:
# ``rec[o]`` is i, ``rec[o + 1]`` the number of arcs, then a pair per arc at ``p = o + 2 + 2k``:
# the column ``rec[p]`` and the value in grid units ``rec[p + 1]`` (market order). Offsets are
# even, so ``p // 2`` numbers the pairs. One record is one or two cache lines, the auction's
# queue and the columns' copies hold offsets, and int32 records (where everything fits) halve
# what the auction walks through.


@kernel()
def auction(rec, n_rows, step, alpha, ranked, start, eps, max_bids):  # type: ignore[no-untyped-def]
    """The auction on the records: (copy prices, copy holders' offsets or -1, done).

    Row i values the pair at p at ``step * rec[p + 1] + alpha * w_i`` (``w_i = n_rows - i``
    where ``ranked``, else 1); column j's copies are ``start[j] .. start[j+1]-1``, a min-heap on
    their prices (its cheapest copy first). Rows bid in the order of their records; ``done`` is
    False when ``max_bids`` ran out.
    """
    n_cols = start.shape[0] - 1
    price = np.zeros(start[n_cols], np.int64)
    holder = np.full(start[n_cols], -1, rec.dtype)
    cheap = np.zeros(n_cols, np.int64)
    queue = np.empty(max(n_rows, 1), rec.dtype)  # record offsets, a ring buffer
    o = 0
    for i in range(n_rows):
        queue[i] = o
        o += 2 + 2 * rec[o + 1]
    q_first = 0
    q_len = n_rows
    bids = 0
    while q_len > 0:
        if bids >= max_bids:
            return price, holder, False
        o = queue[q_first]
        if q_len > _PREFETCH_AHEAD:
            ahead = q_first + _PREFETCH_AHEAD
            _prefetch(rec, queue[ahead if ahead < n_rows else ahead - n_rows])
        q_first = q_first + 1 if q_first + 1 < n_rows else 0
        q_len -= 1
        rank = alpha * (n_rows - np.int64(rec[o])) if ranked else alpha
        best1 = np.int64(0)  # staying out
        best2 = np.int64(0)
        j = -1
        for p in range(o + 2, o + 2 + 2 * rec[o + 1], 2):
            c = rec[p]
            net = step * np.int64(rec[p + 1]) + rank - cheap[c]
            if net > best1:
                best2 = best1
                best1 = net
                j = c
            elif net > best2:
                best2 = net
        if j < 0:
            continue  # stays out
        bids += 1
        lo = start[j]
        size = start[j + 1] - lo
        old = holder[lo]
        if old >= 0:
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
        holder[lo + at] = o
        cheap[j] = price[lo]
    return price, holder, True


@kernel()
def _least_labels(rec, off, start, holder, held, cheap, step):  # type: ignore[no-untyped-def]
    """True distances from T over the column graph (module docstring); UNREACHED if none."""
    n_rows = off.shape[0]
    n_cols = start.shape[0] - 1
    dist = np.full(n_cols, UNREACHED, np.int64)
    done = np.zeros(n_cols, np.bool_)
    for j in range(n_cols):
        for c in range(start[j], start[j + 1]):
            if holder[c] >= 0:
                dist[j] = cheap[j]  # T -> j, reduced
                break
    n_pairs = 0
    for i in range(n_rows):
        o = off[i]
        n_pairs += rec[o + 1]
        if held[i] < 0:
            for p in range(o + 2, o + 2 + 2 * rec[o + 1], 2):
                h = rec[p]
                d = cheap[h] - step * rec[p + 1]
                if d < dist[h]:
                    dist[h] = d
    capacity = n_pairs + n_cols + 1
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
            o = holder[c]
            if o < 0:
                continue
            vg = np.int64(rec[held[rec[o]] + 1])
            for p in range(o + 2, o + 2 + 2 * rec[o + 1], 2):
                h = rec[p]
                if done[h]:
                    continue
                nd = base + step * (vg - rec[p + 1]) + cheap[h]
                if nd < dist[h]:
                    dist[h] = nd
                    size = _heap_push(keys, nodes, size, nd, h)
    for j in range(n_cols):
        if dist[j] != UNREACHED:
            dist[j] -= cheap[j]
    return dist


@kernel()
def _greatest_labels(rec, off, start, holder, held, cheap, step, open_):  # type: ignore[no-untyped-def]
    """True distances to T over the column graph (module docstring); UNREACHED if none.

    ``open_[j]``: column j has room, or a capacity cut away.
    """
    n_rows = off.shape[0]
    n_cols = start.shape[0] - 1
    dist = np.full(n_cols, UNREACHED, np.int64)
    done = np.zeros(n_cols, np.bool_)
    # pairs of held rows, by column, beside the pair their row holds: the edges g -> h,
    # walked backwards from h
    into = np.zeros(n_cols + 1, np.int64)
    for i in range(n_rows):
        if held[i] >= 0:
            o = off[i]
            for p in range(o + 2, o + 2 + 2 * rec[o + 1], 2):
                into[rec[p] + 1] += 1
    for j in range(n_cols):
        into[j + 1] += into[j]
    fill = into[:-1].copy()
    in_pair = np.empty(into[n_cols], np.int64)
    in_held = np.empty(into[n_cols], np.int64)
    for i in range(n_rows):
        b = held[i]
        if b >= 0:
            o = off[i]
            for p in range(o + 2, o + 2 + 2 * rec[o + 1], 2):
                h = rec[p]
                in_pair[fill[h]] = p
                in_held[fill[h]] = b
                fill[h] += 1
    for j in range(n_cols):
        if open_[j]:
            dist[j] = -cheap[j]
        for c in range(start[j], start[j + 1]):
            o = holder[c]
            if o >= 0:
                d = step * rec[held[rec[o]] + 1] - cheap[j]
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
            b = in_held[c]
            g = rec[b]
            if done[g]:
                continue
            nd = base + step * (np.int64(rec[b + 1]) - rec[in_pair[c] + 1]) - cheap[g]
            if nd < dist[g]:
                dist[g] = nd
                size = _heap_push(keys, nodes, size, nd, g)
    for j in range(n_cols):
        if dist[j] != UNREACHED:
            dist[j] += cheap[j]
    return dist


@kernel()
def _clear_records(rec, arc_row, arc_col, arc_value, kind, rix, count, n_rows, col_cap, inflow,  # type: ignore[no-untyped-def]
                   cut, v_scale, alpha, tie, maximal, max_bids, flow, col_price):
    """Fill the records, run the auction, compute the extreme duals: the status; ``flow`` and
    ``col_price`` are filled when it is OK."""
    n_cols = col_cap.shape[0]
    step = alpha * tie
    off = np.empty(n_rows, np.int64)
    fill = np.empty(n_rows, np.int64)
    o = 0
    for i in range(n_rows):
        off[i] = o
        rec[o] = i
        rec[o + 1] = count[i]
        fill[i] = o + 2
        o += 2 + 2 * count[i]
    orig = np.empty(o // 2, np.int64)  # the market's arc of each pair
    for e in range(arc_row.shape[0]):
        if kind[e] == 1:
            i = rix[arc_row[e]]
            p = fill[i]
            fill[i] += 2
            rec[p] = arc_col[e]
            rec[p + 1] = np.int64(np.rint(arc_value[e] * v_scale))
            orig[p // 2] = e

    # the auction, on as many copies of a column as its arcs can fill
    start = np.zeros(n_cols + 1, np.int64)
    for j in range(n_cols):
        copies = inflow[j] if col_cap[j] >= inflow[j] else np.int64(col_cap[j])
        start[j + 1] = start[j] + copies
    price, holder, done = auction(rec, n_rows, step, alpha, tie > 2, start, 1, max_bids)
    if not done:
        return GAVE_UP
    cheap = np.zeros(n_cols, np.int64)
    held = np.full(n_rows, -1, np.int64)  # the pair a row holds: its best to its column
    for j in range(n_cols):
        if start[j + 1] > start[j]:
            cheap[j] = price[start[j]]
        for c in range(start[j], start[j + 1]):
            o = holder[c]
            if o >= 0:
                best = -1
                for p in range(o + 2, o + 2 + 2 * rec[o + 1], 2):
                    if rec[p] == j and (best < 0 or rec[p + 1] > rec[best + 1]):
                        best = p
                held[rec[o]] = best

    # the extreme duals
    if maximal:
        open_ = cut.copy()
        for j in range(n_cols):
            for c in range(start[j], start[j + 1]):
                if holder[c] < 0:
                    open_[j] = True
        dist = _greatest_labels(rec, off, start, holder, held, cheap, step, open_)
    else:
        dist = _least_labels(rec, off, start, holder, held, cheap, step)
        # a column of capacity 0 is a leaf: its distance is the least over its arcs (a row
        # that stays out is at distance 0, a held row at its column's plus its value)
        for e in range(arc_row.shape[0]):
            if kind[e] == 2:
                i = rix[arc_row[e]]
                via = np.int64(0)
                if i >= 0 and held[i] >= 0:
                    b = held[i]
                    via = dist[rec[b]] + step * rec[b + 1]
                label = via - step * np.int64(np.rint(arc_value[e] * v_scale))
                h = arc_col[e]
                if label < dist[h]:
                    dist[h] = label
    for j in range(n_cols):
        if dist[j] != UNREACHED and dist[j] % step != 0:
            return INEXACT
    for j in range(n_cols):
        if dist[j] == UNREACHED:
            col_price[j] = np.inf if maximal else 0.0
        else:
            level = dist[j] // step
            col_price[j] = max(level if maximal else -level, 0) / v_scale
    for i in range(n_rows):
        if held[i] >= 0:
            flow[orig[held[i] // 2]] = 1.0
    return OK


@kernel()
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
    count = np.zeros(n_rows, np.int64)
    inflow = np.zeros(n_cols, np.int64)
    for e in range(n_arcs):
        if kind[e] == 1:
            count[rix[arc_row[e]]] += 1
            inflow[arc_col[e]] += 1
    n_used = 0
    cut = np.zeros(n_cols, np.bool_)  # room in truth: a capacity cut to the arcs or the total
    for j in range(n_cols):
        if inflow[j] > 0:
            n_used += 1
        cut[j] = col_cap[j] > inflow[j] or col_capacity[j] > total
    longest_cycle = 2 * min(n_rows, n_used) + 2
    alpha = np.int64(longest_cycle + 1)
    room = COST_LIMIT // (longest_cycle + 2) // alpha
    tie = np.int64(n_rows + 1)
    kv, largest = _value_decimals(arc_value, kind, float((room - n_rows) // tie), max_decimals)
    if kv < 0:
        tie = np.int64(2)
        kv, largest = _value_decimals(arc_value, kind, float((room - n_rows) // tie),
                                      max_decimals)
        if kv < 0:
            return NO_GRID, flow, col_price
    v_scale = 10.0**kv
    size = 2 * n_rows
    for i in range(n_rows):
        size += 2 * count[i]
    args = (arc_row, arc_col, arc_value, kind, rix, count, n_rows, col_cap, inflow, cut, v_scale,
            alpha, tie, maximal, bids_per_row * n_rows, flow, col_price)
    if size < _INT32 and n_cols < _INT32 and largest * v_scale < _INT32:
        status = _clear_records(np.empty(size, np.int32), *args)
    else:
        status = _clear_records(np.empty(size, np.int64), *args)
    if status == OK and q_scale != 1.0:
        flow /= q_scale
    return status, flow, col_price
