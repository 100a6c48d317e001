"""Warm start of the fast path for unit rows: a forward auction for similar objects (private).

Used by :mod:`peerconomy.mechanisms.flow` when every row supplies exactly one unit (wishes
for one good among alternatives). Bertsekas' auction (1988; for similar objects, Bertsekas &
Castanon 1989): column j has ``c_j`` copies, each with its own price, kept in a min-heap per
column. An unassigned row finds its best and second-best net value (value minus the
column's cheapest copy; staying out is worth 0) and, if a column is best, takes that cheapest
copy at a price raised by the difference plus eps, displacing the copy's holder. At the end
every row is within eps of its best choice, a column with a free copy still has a copy at price
0, and all holders of a column pay at least its cheapest copy.

One phase, at a fixed eps, from zero prices: cheap where values are spread out (a few bids per
row), but a price war where many rows find several columns almost equally good. So bidding
stops after ``max_bids`` bids and the caller then starts cold. Only the prices and holders
are handed on; the cost scaling that follows makes everything exact.
"""

from __future__ import annotations

import numpy as np

from peerconomy.mechanisms._jit import kernel


@kernel()
def _sift_down(price, holder, slot, lo, size):  # type: ignore[no-untyped-def]
    """Restore the min-heap ``price[lo : lo + size]`` after its top rose."""
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and price[lo + child + 1] < price[lo + child]:
            child += 1
        if price[lo + i] <= price[lo + child]:
            break
        a, b = lo + i, lo + child
        price[a], price[b] = price[b], price[a]
        holder[a], holder[b] = holder[b], holder[a]
        if holder[a] >= 0:
            slot[holder[a]] = a
        if holder[b] >= 0:
            slot[holder[b]] = b
        i = child


@kernel()
def auction(n_rows, first, head, cost, col_cap, eps, max_bids):  # type: ignore[no-untyped-def]
    """Run the auction; returns (arc held per row or -1, cheapest copy price per column, done).

    Row i's arcs to columns are ``first[i] .. first[i+1]-2`` of the residual graph (its last
    arc goes to the sink), to column nodes ``head[a] = n_rows + j``; an arc is worth
    ``-cost[a] > 0`` to its row. ``done`` is False when ``max_bids`` ran out.
    """
    n_cols = col_cap.shape[0]
    start = np.zeros(n_cols + 1, np.int64)
    for j in range(n_cols):
        start[j + 1] = start[j] + np.int64(col_cap[j])
    price = np.zeros(start[n_cols], np.int64)
    holder = np.full(start[n_cols], -1, np.int64)
    slot = np.full(n_rows, -1, np.int64)  # the copy a row holds
    held = np.full(n_rows, -1, np.int64)  # the arc it holds it by
    queue = np.empty(n_rows, np.int64)
    for i in range(n_rows):
        queue[i] = i
    q_first = 0
    q_len = n_rows
    bids = 0
    while q_len > 0:
        if bids >= max_bids:
            return held, price[start[:-1]], False
        i = queue[q_first]
        q_first = q_first + 1 if q_first + 1 < n_rows else 0
        q_len -= 1
        best1 = np.int64(0)  # staying out
        best2 = np.int64(0)
        arc1 = -1
        for a in range(first[i], first[i + 1] - 1):
            j = head[a] - n_rows
            if start[j + 1] == start[j]:
                continue
            net = -cost[a] - price[start[j]]
            if net > best1:
                best2 = best1
                best1 = net
                arc1 = a
            elif net > best2:
                best2 = net
        if arc1 < 0:
            continue  # stays out
        bids += 1
        j = head[arc1] - n_rows
        lo = start[j]
        old = holder[lo]
        if old >= 0:
            slot[old] = -1
            held[old] = -1
            at = q_first + q_len
            queue[at if at < n_rows else at - n_rows] = old
            q_len += 1
        price[lo] += best1 - best2 + eps
        holder[lo] = i
        slot[i] = lo
        held[i] = arc1
        _sift_down(price, holder, slot, lo, start[j + 1] - lo)
    cheapest = np.zeros(n_cols, np.int64)
    for j in range(n_cols):
        if start[j + 1] > start[j]:
            cheapest[j] = price[start[j]]
    return held, cheapest, True
