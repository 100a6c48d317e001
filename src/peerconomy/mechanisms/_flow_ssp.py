"""The flow core's exact fallback: successive shortest paths on float costs (private).

Used by :mod:`peerconomy.mechanisms.flow` when the values are on no decimal grid (or too
fine a one for int64), where the fast path's integer costs would not be exact. Rows are added
one at a time, each routed along a shortest path of the residual graph by Dijkstra on reduced
costs, with node potentials that keep every reduced cost non-negative; each row's outside
option is an arc to the sink, so displacing another row is an ordinary path. After the last
row the potentials are optimal duals, and one more Dijkstra pass from (or to) the sink gives
the extreme ones. Rows that value a free column at exactly 0 take it at the end. Exact up to
float rounding; slow when long paths are needed (thousands of rows competing for the last
free units).

Nodes: rows 0..R-1, columns R..R+C-1, the sink T = R+C. Forward arcs a < M: row->column arcs
(0..E-1), each row's outside arc row->T (E..E+R-1), each column's arc column->T (E+R..M-1).
Arc a + M is the reverse of arc a. Residual of a forward arc: cap - flow; of a reverse: flow.
Reduced cost of arc (u, v): cost + pi[u] - pi[v] >= 0 on every residual arc.
"""

from __future__ import annotations

import numpy as np

from peerconomy.mechanisms._jit import kernel

_EPS = 1e-9  # amounts (units, hours) at or below this are treated as zero

@kernel(inline=True)
def _heap_push(keys, nodes, size, key, node):  # type: ignore[no-untyped-def]
    i = size
    keys[i] = key
    nodes[i] = node
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        nodes[parent], nodes[i] = nodes[i], nodes[parent]
        i = parent
    return size + 1


@kernel(inline=True)
def _heap_pop(keys, nodes, size):  # type: ignore[no-untyped-def]
    key, node = keys[0], nodes[0]
    size -= 1
    keys[0], nodes[0] = keys[size], nodes[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and keys[left + 1] < keys[left]:
            child = left + 1
        if keys[i] <= keys[child]:
            break
        keys[child], keys[i] = keys[i], keys[child]
        nodes[child], nodes[i] = nodes[i], nodes[child]
        i = child
    return key, node, size


@kernel(inline=True)
def _residual(a, m, cap, flow):  # type: ignore[no-untyped-def]
    if a < m:
        return cap[a] - flow[a]
    return flow[a - m]



@kernel(inline=True)
def _swap_in(e, pos, col_arcs, arc_pos):  # type: ignore[no-untyped-def]
    """Move arc e to position pos of its column's list (swapping with what stands there)."""
    other = col_arcs[pos]
    old = arc_pos[e]
    col_arcs[pos], col_arcs[old] = e, other
    arc_pos[e], arc_pos[other] = pos, old


@kernel(inline=True)
def _relax(v, nd, arc, cur, dist, pred, touched, state, heap_keys, heap_nodes, stack):  # type: ignore[no-untyped-def]
    """Offer node v distance nd via arc. state = [heap size, stack size, touched count].

    A node reached at the distance being settled (``cur``) is final at once, so it goes on a
    stack settled before the heap: tight arcs then cost no heap operations.
    """
    if nd < dist[v]:
        if dist[v] == np.inf:
            touched[state[2]] = v
            state[2] += 1
        dist[v] = nd
        pred[v] = arc
        if nd <= cur:
            stack[state[1]] = v
            state[1] += 1
        else:
            state[0] = _heap_push(heap_keys, heap_nodes, state[0], nd, v)


@kernel(inline=True)
def _expand_row(u, d, cur, n_rows, n_arcs, sink, row_start, row_arcs, arc_col, arc_value,  # type: ignore[no-untyped-def]
                arc_cap, flow, pi, dist, done, pred, touched, state, heap_keys, heap_nodes, stack):
    """Relax the arcs with room and the outside arc of row u, settled at distance d.

    ``cur`` is the distance being settled by the search (d itself, or less when u is expanded
    on the spot from a column settled at ``cur``).
    """
    for idx in range(row_start[u], row_start[u + 1]):
        e = row_arcs[idx]
        if arc_cap[e] - flow[e] <= _EPS:
            continue
        v = n_rows + arc_col[e]
        if done[v]:
            continue
        rc = -arc_value[e] + pi[u] - pi[v]
        _relax(v, d + (rc if rc > 0.0 else 0.0), e, cur, dist, pred, touched, state, heap_keys,
               heap_nodes, stack)
    rc = pi[u] - pi[sink]
    _relax(sink, d + (rc if rc > 0.0 else 0.0), n_arcs + u, cur, dist, pred, touched, state,
           heap_keys, heap_nodes, stack)


@kernel()
def solve_ssp(row_supply, col_cap, arc_row, arc_col, arc_value, arc_cap, n_rows, n_cols, maximal):  # type: ignore[no-untyped-def]
    n_arcs = arc_row.shape[0]
    sink = n_rows + n_cols
    n_nodes = sink + 1
    m = n_arcs + n_rows + n_cols
    tail = np.empty(2 * m, np.int64)
    head = np.empty(2 * m, np.int64)
    cost = np.empty(2 * m, np.float64)
    cap = np.empty(m, np.float64)
    for e in range(n_arcs):
        tail[e] = arc_row[e]
        head[e] = n_rows + arc_col[e]
        cost[e] = -arc_value[e]
        cap[e] = arc_cap[e]
    for i in range(n_rows):
        a = n_arcs + i
        tail[a] = i
        head[a] = sink
        cost[a] = 0.0
        cap[a] = np.inf
    for j in range(n_cols):
        a = n_arcs + n_rows + j
        tail[a] = n_rows + j
        head[a] = sink
        cost[a] = 0.0
        cap[a] = col_cap[j]
    for a in range(m):
        tail[a + m] = head[a]
        head[a + m] = tail[a]
        cost[a + m] = -cost[a]
    # out-adjacency (CSR by tail) over all 2m arcs
    out_start = np.zeros(n_nodes + 1, np.int64)
    for a in range(2 * m):
        out_start[tail[a] + 1] += 1
    for v in range(n_nodes):
        out_start[v + 1] += out_start[v]
    fill = out_start[:-1].copy()
    out_arcs = np.empty(2 * m, np.int64)
    for a in range(2 * m):
        out_arcs[fill[tail[a]]] = a
        fill[tail[a]] += 1

    flow = np.zeros(m, np.float64)
    pi = np.zeros(n_nodes, np.float64)
    best = np.zeros(n_rows, np.float64)
    for e in range(n_arcs):
        if arc_value[e] > best[arc_row[e]] and arc_cap[e] > _EPS:
            best[arc_row[e]] = arc_value[e]
    for i in range(n_rows):
        pi[i] = best[i]

    dist = np.full(n_nodes, np.inf)
    done = np.zeros(n_nodes, np.bool_)
    pred = np.full(n_nodes, -1, np.int64)
    touched = np.empty(n_nodes, np.int64)
    heap_keys = np.empty(2 * m + n_nodes, np.float64)
    heap_nodes = np.empty(2 * m + n_nodes, np.int64)
    stack = np.empty(2 * m + n_nodes, np.int64)
    state = np.zeros(3, np.int64)

    # arcs by column, those with flow first (the holders a search may displace), and by row
    col_start = np.zeros(n_cols + 1, np.int64)
    row_start = np.zeros(n_rows + 1, np.int64)
    for e in range(n_arcs):
        col_start[arc_col[e] + 1] += 1
        row_start[arc_row[e] + 1] += 1
    for j in range(n_cols):
        col_start[j + 1] += col_start[j]
    for i in range(n_rows):
        row_start[i + 1] += row_start[i]
    col_arcs = np.empty(n_arcs, np.int64)
    row_arcs = np.empty(n_arcs, np.int64)
    arc_pos = np.empty(n_arcs, np.int64)
    col_fill = col_start[:-1].copy()
    row_fill = row_start[:-1].copy()
    for e in range(n_arcs):
        j = arc_col[e]
        col_arcs[col_fill[j]] = e
        arc_pos[e] = col_fill[j]
        col_fill[j] += 1
        row_arcs[row_fill[arc_row[e]]] = e
        row_fill[arc_row[e]] += 1
    n_held = np.zeros(n_cols, np.int64)  # arcs with flow into column j: col_arcs[start:start+n]
    n_used = np.zeros(n_rows, np.int64)  # arcs with flow out of row i

    # rows in order of their best value (highest first), ties by position: a good warm start
    order = np.argsort(-best, kind="mergesort")
    for k in range(n_rows):
        src = order[k]
        left = row_supply[src]
        # the row's tightest feasible potential: its best surplus at the current prices; if
        # that is 0, staying out is a shortest path and no search is needed
        top = 0.0
        for idx in range(row_start[src], row_start[src + 1]):
            e = row_arcs[idx]
            if arc_cap[e] > _EPS:
                s_e = arc_value[e] + pi[n_rows + arc_col[e]] - pi[sink]
                if s_e > top:
                    top = s_e
        pi[src] = top + pi[sink]
        if top <= 0.0:
            flow[n_arcs + src] += left
            continue
        while left > _EPS:
            # Dijkstra from src until the sink is settled. A row that holds flow on one arc only
            # is entered from that column alone, so it is settled and expanded on the spot.
            state[0] = 0
            state[1] = 0
            state[2] = 1
            touched[0] = src
            dist[src] = 0.0
            done[src] = True
            _expand_row(src, 0.0, 0.0, n_rows, n_arcs, sink, row_start, row_arcs, arc_col,
                        arc_value, arc_cap, flow, pi, dist, done, pred, touched, state, heap_keys,
                        heap_nodes, stack)
            while state[0] > 0 or state[1] > 0:
                if state[1] > 0:
                    state[1] -= 1
                    u = stack[state[1]]
                    d = dist[u]
                else:
                    d, u, state[0] = _heap_pop(heap_keys, heap_nodes, state[0])
                    if d > dist[u]:
                        continue
                if done[u]:
                    continue
                done[u] = True
                if u == sink:
                    break
                if u < n_rows:
                    _expand_row(u, d, d, n_rows, n_arcs, sink, row_start, row_arcs, arc_col,
                                arc_value, arc_cap, flow, pi, dist, done, pred, touched, state,
                                heap_keys, heap_nodes, stack)
                    continue
                j = u - n_rows
                a = n_arcs + n_rows + j
                if cap[a] - flow[a] > _EPS:
                    rc = pi[u] - pi[sink]
                    _relax(sink, d + (rc if rc > 0.0 else 0.0), a, d, dist, pred, touched, state,
                           heap_keys, heap_nodes, stack)
                for idx in range(col_start[j], col_start[j] + n_held[j]):
                    e = col_arcs[idx]
                    r = arc_row[e]
                    if done[r]:
                        continue
                    rc = arc_value[e] + pi[u] - pi[r]
                    nd = d + (rc if rc > 0.0 else 0.0)
                    if n_used[r] == 1 and nd < dist[r]:
                        if dist[r] == np.inf:
                            touched[state[2]] = r
                            state[2] += 1
                        dist[r] = nd
                        pred[r] = e + m
                        done[r] = True
                        _expand_row(r, nd, d, n_rows, n_arcs, sink, row_start, row_arcs, arc_col,
                                    arc_value, arc_cap, flow, pi, dist, done, pred, touched,
                                    state, heap_keys, heap_nodes, stack)
                    else:
                        _relax(r, nd, e + m, d, dist, pred, touched, state, heap_keys,
                               heap_nodes, stack)
            n_touched = state[2]
            total = dist[sink]
            # augment along the path
            delta = left
            v = sink
            while v != src:
                a = pred[v]
                r = _residual(a, m, cap, flow)
                if r < delta:
                    delta = r
                v = tail[a]
            v = sink
            while v != src:
                a = pred[v]
                if a < m:
                    if a < n_arcs and flow[a] <= _EPS:  # a new holder of its column
                        j = arc_col[a]
                        _swap_in(a, col_start[j] + n_held[j], col_arcs, arc_pos)
                        n_held[j] += 1
                        n_used[arc_row[a]] += 1
                    flow[a] += delta
                else:
                    flow[a - m] -= delta
                    if flow[a - m] <= _EPS:
                        flow[a - m] = 0.0
                        if a - m < n_arcs:  # no longer a holder
                            e = a - m
                            j = arc_col[e]
                            n_held[j] -= 1
                            _swap_in(e, col_start[j] + n_held[j], col_arcs, arc_pos)
                            n_used[arc_row[e]] -= 1
                v = tail[a]
            left -= delta
            # potentials: settled nodes closer than the sink move down by the gap
            for t in range(n_touched):
                v = touched[t]
                if done[v] and dist[v] < total:
                    pi[v] -= total - dist[v]
                dist[v] = np.inf
                done[v] = False
                pred[v] = -1

    # extreme duals: distances from the sink (least prices) or to it (greatest prices)
    n_touched = 0
    dist[sink] = 0.0
    size = _heap_push(heap_keys, heap_nodes, 0, 0.0, sink)
    while size > 0:
        d, u, size = _heap_pop(heap_keys, heap_nodes, size)
        if done[u] or d > dist[u]:
            continue
        done[u] = True
        for idx in range(out_start[u], out_start[u + 1]):
            b = out_arcs[idx]
            if maximal:  # walk arcs backwards: b = u->v, its pair a = v->u must have room
                a = b + m if b < m else b - m
                if _residual(a, m, cap, flow) <= _EPS:
                    continue
                v = head[b]
                rc = cost[a] + pi[v] - pi[u]
            else:
                if _residual(b, m, cap, flow) <= _EPS:
                    continue
                v = head[b]
                rc = cost[b] + pi[u] - pi[v]
            if done[v]:
                continue
            if rc < 0.0:
                rc = 0.0
            nd = d + rc
            if nd < dist[v]:
                dist[v] = nd
                size = _heap_push(heap_keys, heap_nodes, size, nd, v)
    col_price = np.zeros(n_cols, np.float64)
    for j in range(n_cols):
        v = n_rows + j
        p = dist[v] - pi[v] + pi[sink] if maximal else pi[sink] - pi[v] - dist[v]
        col_price[j] = p if p > 0.0 else 0.0
    # rows that value a free column at exactly 0 take it rather than stay out
    # (any optimal flow has the same optimal duals, so this comes after the prices)
    for e in range(n_arcs):
        if arc_value[e] == 0.0:
            i = arc_row[e]
            free = flow[n_arcs + i]
            room = col_cap[arc_col[e]] - flow[n_arcs + n_rows + arc_col[e]]
            arc_room = arc_cap[e] - flow[e]
            delta = min(free, room, arc_room)
            if delta > _EPS:
                flow[e] += delta
                flow[n_arcs + i] -= delta
                flow[n_arcs + n_rows + arc_col[e]] += delta

    return flow[:n_arcs].copy(), col_price
