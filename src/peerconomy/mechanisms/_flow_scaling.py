"""The flow core's fast path: cost scaling on integer costs, exact extreme duals (private).

Used by :mod:`peerconomy.mechanisms.flow`, whose docstring states the problem, the
guarantees and the method; this module holds the mechanics.

Network. Nodes are the rows that have arcs (``0 .. R-1``, in market order), the columns
(``R .. R+C-1``) and the sink ``T = R+C``. Forward arcs: row -> column (the market's arcs),
row -> T (staying out) and column -> T (the column's capacity). Row ``i`` supplies its
``s_i`` units; T takes them all. The residual graph is held in CSR form: node ``v``'s residual
arcs are ``first[v] .. first[v+1]-1``; arc ``a`` goes to ``head[a]``, its reverse is ``rev[a]``
(``cost[rev[a]] == -cost[a]``) and it has ``res[a]`` units of room (the flow on a forward arc
is the room of its reverse).

Capacities that the data leave unlimited, or larger than can ever be used, are cut to what
can flow: a row -> column arc to the row's supply, a column to what its arcs can bring. A
cut arc that is full in the algorithm's view then carries all its row's supply (or every
arc into the column is full), so it lies on no simple residual path from or to T and the
extreme duals do not see the cut; a column whose capacity was cut still has room in truth,
which the final pass is told (``always``), and so has staying out.

Costs. With integer values ``V_e`` (the values on their decimal grid) and the rows' ranks
``w_i`` (``R`` for the first row down to 1), the row -> column arc costs
``-alpha * (B * V_e + w_i)`` with ``B = R + 1``: lexicographically, the value first, then the
ranks of the rows served, so among optimal plans the one that serves earlier rows more wins
(the served amounts of rows form a polymatroid, and strictly decreasing weights pick its
lexicographically greatest vector). A residual cycle changes at most two rows' served amounts
by the same amount, so its rank part is below ``B`` in size and can never outweigh one unit
of value. (The caller may use ``w_i = 1`` for every row and ``B = 2`` instead, to save bits:
then ties only favour plans that serve more units.) ``alpha = L + 1``, where
``L = 2 * min(R, C) + 2`` bounds the arcs of a simple cycle (rows and columns alternate,
with T at most once).

Cost scaling (Goldberg 1997). Prices ``p``; the reduced cost of arc ``a = (v, w)`` is
``cost[a] + p[v] - p[w]``; ``a`` is *admissible* when it has room and a negative reduced cost;
a pseudo-flow is *eps-optimal* when no arc with room has reduced cost below ``-eps``.
Refine(eps) starts by raising each row's price to its best arc with room and saturating every
arc left with a negative reduced cost (a 0-optimal pseudo-flow), then pushes excess along
admissible arcs and relabels nodes that have none (FIFO, with look-ahead before pushes and a
global price update from the deficits at the start and every few node-counts of relabels).
eps falls by ``THETA`` per phase down to 1, from the largest cost with zero prices, or from a
warm start (prices for which the flow handed in is eps-optimal, from ``_flow_auction``). A
1-optimal flow is optimal for the costs above, since every simple cycle has fewer than
``alpha`` arcs. Often the flow is optimal phases earlier: after each phase, ``prove_optimal``
(Bellman-Ford from the current prices, FIFO, giving up on a cycle among its parent pointers
or after ``_CHECK_SCANS`` scans of the arcs) looks for 0-optimal prices, and scaling stops
where it finds them; a 0-optimal flow is optimal, and its prices serve the extreme duals
below as well as 1-optimal ones.

Extreme duals. The least (greatest) optimal column prices come from shortest distances
from (to) T over the residual graph of the optimal flow, with the *value* costs alone
(``-alpha * B * V_e``). Dijkstra runs on ``value cost + p[v] - p[w]`` with the final prices:
these lengths can be negative, but along any path that does not pass T their sum exceeds the
path's true length by less than ``alpha * B`` (rank part below ``alpha * (B - 1)`` in size plus at
most ``L`` from 1-optimality), while all paths to a node have true lengths that differ by
multiples of ``alpha * B``. So the first time a node is settled its label is exact (the usual
Dijkstra argument goes through), and every label is checked to be such a multiple.

Everything is int64; prices are checked against ``_LIMIT`` as they move, and the caller
checks the size of the costs beforehand, so nothing overflows unnoticed.
"""

from __future__ import annotations

import numpy as np

from peerconomy.mechanisms._flow_ssp import _heap_pop, _heap_push
from peerconomy.mechanisms._jit import kernel

UNREACHED = np.int64(1) << np.int64(62)  # distance label of a node not reached
_LIMIT = np.int64(1) << np.int64(61)  # prices beyond this mean give up (never seen)
THETA = 8  # eps falls by this factor per phase
_UPDATE_EVERY = 4  # global price update after this many relabels per node
_CHECK_SCANS = 16  # an optimality check between phases gives up after this many arc scans each
COST_LIMIT = np.int64(1) << np.int64(60)  # callers keep max|cost| * (L + 2) below this

# status codes of cost_scaling
OK = 0
OVERFLOW = 1
STUCK = 2


@kernel()
def build(n_nodes, tail, head_f, cost_f, pcost_f, cap_f):  # type: ignore[no-untyped-def]
    """CSR residual graph of the forward arcs ``tail -> head_f`` (cost, value cost, capacity).

    Returns ``first, head, rev, cost, pcost, res, pos``; ``pos[k]`` is the residual index of
    forward arc ``k``. Arcs keep their order within each node (market order for a row).
    """
    m = tail.shape[0]
    first = np.zeros(n_nodes + 1, np.int64)
    for k in range(m):
        first[tail[k] + 1] += 1
        first[head_f[k] + 1] += 1
    for v in range(n_nodes):
        first[v + 1] += first[v]
    fill = first[:-1].copy()
    head = np.empty(2 * m, np.int64)
    rev = np.empty(2 * m, np.int64)
    cost = np.empty(2 * m, np.int64)
    pcost = np.empty(2 * m, np.int64)
    res = np.empty(2 * m, np.float64)
    pos = np.empty(m, np.int64)
    for k in range(m):
        u = tail[k]
        v = head_f[k]
        a = fill[u]
        fill[u] += 1
        b = fill[v]
        fill[v] += 1
        head[a] = v
        head[b] = u
        rev[a] = b
        rev[b] = a
        cost[a] = cost_f[k]
        cost[b] = -cost_f[k]
        pcost[a] = pcost_f[k]
        pcost[b] = -pcost_f[k]
        res[a] = cap_f[k]
        res[b] = 0.0
        pos[k] = a
    return first, head, rev, cost, pcost, res, pos


@kernel()
def _push(a, v, delta, head, rev, res, excess):  # type: ignore[no-untyped-def]
    w = head[a]
    res[a] -= delta
    res[rev[a]] += delta
    excess[v] -= delta
    excess[w] += delta


@kernel()
def _relabel(v, first, head, cost, res, price, eps, tol, status):  # type: ignore[no-untyped-def]
    """Lower v's price until its best arc with room is admissible (reduced cost -eps)."""
    best = -UNREACHED
    found = False
    for a in range(first[v], first[v + 1]):
        if res[a] > tol:
            p = price[head[a]] - cost[a]
            if not found or p > best:
                best = p
                found = True
    if not found:
        status[0] = STUCK  # excess with nowhere to go: cannot happen for a feasible network
        return
    price[v] = best - eps
    if price[v] < -_LIMIT:
        status[0] = OVERFLOW


@kernel()
def _has_admissible(v, first, head, cost, res, price, cur, tol):  # type: ignore[no-untyped-def]
    """Whether v has an admissible arc at or after its current arc (which moves to it)."""
    pv = price[v]
    end = first[v + 1]
    a = cur[v]
    while a < end:
        if res[a] > tol and cost[a] + pv - price[head[a]] < 0:
            cur[v] = a
            return True
        a += 1
    cur[v] = end
    return False


@kernel()
def _global_update(n_nodes, first, head, rev, cost, res, price, excess, eps, tol,  # type: ignore[no-untyped-def]
                   rank, bucket, entry_node, entry_next, scanned, status):
    """Lower every price by eps times its node's distance to a deficit (Goldberg's update).

    Lengths are ``floor(reduced cost / eps) + 1`` >= 0 on arcs with room; distances are
    capped at the bucket where the last node with excess is reached, which keeps the
    pseudo-flow eps-optimal and gives every node with excess an admissible path.
    """
    n_active = 0
    n_entries = 0
    for k in range(n_nodes + 1):
        bucket[k] = -1
    for v in range(n_nodes):
        rank[v] = n_nodes + 1
        scanned[v] = False
        if excess[v] > tol:
            n_active += 1
        elif excess[v] < -tol:
            rank[v] = 0
            entry_node[n_entries] = v
            entry_next[n_entries] = bucket[0]
            bucket[0] = n_entries
            n_entries += 1
    k = 0
    reached = 0
    while k <= n_nodes and reached < n_active:
        e = bucket[k]
        if e < 0:
            k += 1
            continue
        bucket[k] = entry_next[e]
        w = entry_node[e]
        if scanned[w] or rank[w] != k:
            continue
        scanned[w] = True
        if excess[w] > tol:
            reached += 1
        pw = price[w]
        for b in range(first[w], first[w + 1]):
            a = rev[b]  # the arc v -> w
            if res[a] <= tol:
                continue
            v = head[b]
            if scanned[v]:
                continue
            r = k + (cost[a] + price[v] - pw) // eps + 1
            if r < rank[v] and r <= n_nodes:
                rank[v] = r
                entry_node[n_entries] = v
                entry_next[n_entries] = bucket[r]
                bucket[r] = n_entries
                n_entries += 1
    if k > n_nodes:
        k = n_nodes
    for v in range(n_nodes):
        r = rank[v] if scanned[v] else k
        if r > k:
            r = k
        if r > 0:
            if price[v] < -_LIMIT + eps * r:
                status[0] = OVERFLOW
            price[v] -= eps * r


@kernel()
def _refine(n_nodes, n_rows, first, head, rev, cost, res, price, excess, eps, tol, cur,  # type: ignore[no-untyped-def]
            queue, in_queue, rank, bucket, entry_node, entry_next, scanned, status):
    """Turn the flow into an eps-optimal one (see the module docstring)."""
    for v in range(n_rows):
        best = price[v]
        for a in range(first[v], first[v + 1]):
            if res[a] > tol:
                p = price[head[a]] - cost[a]
                if p > best:
                    best = p
        price[v] = best
    for v in range(n_nodes):
        pv = price[v]
        for a in range(first[v], first[v + 1]):
            if res[a] > tol and cost[a] + pv - price[head[a]] < 0:
                _push(a, v, res[a], head, rev, res, excess)
    _global_update(n_nodes, first, head, rev, cost, res, price, excess, eps, tol, rank, bucket,
                   entry_node, entry_next, scanned, status)
    size = queue.shape[0]
    q_first = 0
    q_len = 0
    for v in range(n_nodes):
        cur[v] = first[v]
        in_queue[v] = excess[v] > tol
        if in_queue[v]:
            queue[q_len] = v
            q_len += 1
    update_every = _UPDATE_EVERY * n_nodes
    relabels = 0
    while q_len > 0 and status[0] == OK:
        v = queue[q_first]
        q_first = q_first + 1 if q_first + 1 < size else 0
        q_len -= 1
        in_queue[v] = False
        while excess[v] > tol and status[0] == OK:  # discharge v
            end = first[v + 1]
            a = cur[v]
            pv = price[v]
            while a < end:
                if res[a] > tol:
                    w = head[a]
                    if cost[a] + pv - price[w] < 0:
                        # look-ahead: relabel w first if it could not pass the flow on
                        if excess[w] >= 0.0 and not _has_admissible(w, first, head, cost, res,
                                                                    price, cur, tol):
                            _relabel(w, first, head, cost, res, price, eps, tol, status)
                            cur[w] = first[w]
                            relabels += 1
                            if cost[a] + pv - price[w] >= 0:
                                a += 1
                                continue
                        delta = excess[v] if excess[v] < res[a] else res[a]
                        idle = excess[w] <= tol
                        _push(a, v, delta, head, rev, res, excess)
                        if idle and excess[w] > tol and not in_queue[w]:
                            at = q_first + q_len
                            queue[at if at < size else at - size] = w
                            q_len += 1
                            in_queue[w] = True
                        if excess[v] <= tol:
                            break
                a += 1
            if excess[v] <= tol:
                cur[v] = a if a < end else end
                break
            _relabel(v, first, head, cost, res, price, eps, tol, status)
            cur[v] = first[v]
            relabels += 1
            if relabels >= update_every:
                relabels = 0
                _global_update(n_nodes, first, head, rev, cost, res, price, excess, eps, tol,
                               rank, bucket, entry_node, entry_next, scanned, status)
                for u in range(n_nodes):
                    cur[u] = first[u]


@kernel()
def _parent_cycle(n_nodes, parent, mark):  # type: ignore[no-untyped-def]
    """Whether the parent pointers of a label-correcting pass close a cycle (then negative)."""
    for v in range(n_nodes):
        mark[v] = -1
    for s in range(n_nodes):
        v = s
        while v >= 0 and mark[v] < 0:
            mark[v] = s
            v = parent[v]
        if v >= 0 and mark[v] == s:
            return True
    return False


@kernel()
def prove_optimal(n_nodes, first, head, cost, res, price, tol, budget, dist, parent, queue,  # type: ignore[no-untyped-def]
                  in_queue, mark):
    """Whether the flow is already optimal: prices with no negative reduced cost, if cheap.

    Label correcting (FIFO, Bellman-Ford) from every node at once, on the reduced costs at
    ``price``: ``dist`` ends as the shortest distances from a virtual node joined to every node
    by arcs of length 0. If they settle, ``price + dist`` leaves every arc with room a
    reduced cost ``>= 0`` (a 0-optimal flow, which is optimal), and ``price`` takes them. It
    gives up (False, ``price`` untouched) when the parent pointers close a cycle (looked for
    after every ``n_nodes`` label changes), which proves a negative cycle, or after ``budget``
    arc scans.
    """
    q_first = 0
    q_len = 0
    for v in range(n_nodes):
        dist[v] = 0
        parent[v] = -1
        in_queue[v] = False
        # only a node with an arc of negative reduced cost can lower a label at first
        pv = price[v]
        for a in range(first[v], first[v + 1]):
            if res[a] > tol and cost[a] + pv - price[head[a]] < 0:
                queue[q_len] = v
                q_len += 1
                in_queue[v] = True
                break
    budget -= first[n_nodes]
    changes = 0
    while q_len > 0:
        v = queue[q_first]
        q_first = q_first + 1 if q_first + 1 < n_nodes else 0
        q_len -= 1
        in_queue[v] = False
        dv = dist[v] + price[v]
        end = first[v + 1]
        budget -= end - first[v]
        if budget < 0:
            return False
        for a in range(first[v], end):
            if res[a] > tol:
                w = head[a]
                nd = dv + cost[a] - price[w]
                if nd < dist[w]:
                    dist[w] = nd
                    parent[w] = v
                    changes += 1
                    if not in_queue[w]:
                        at = q_first + q_len
                        queue[at if at < n_nodes else at - n_nodes] = w
                        q_len += 1
                        in_queue[w] = True
        if changes >= n_nodes:
            changes = 0
            if _parent_cycle(n_nodes, parent, mark):
                return False
    for v in range(n_nodes):
        if price[v] + dist[v] < -_LIMIT:
            return False
    for v in range(n_nodes):
        price[v] += dist[v]
    return True


@kernel()
def cost_scaling(n_nodes, n_rows, first, head, rev, cost, res, excess, tol, price, eps,  # type: ignore[no-untyped-def]
                 early_stop):
    """Make the pseudo-flow in ``res``/``excess`` an optimal flow: (prices, status).

    ``price`` holds prices for which the pseudo-flow is ``eps``-optimal (zeros and the largest
    cost will do); the first phase runs at ``eps // THETA``. With ``early_stop``, every phase
    above eps 1 is followed by ``prove_optimal`` (at most ``_CHECK_SCANS`` scans of every
    arc): where it proves the flow optimal, scaling stops there with its 0-optimal prices.
    """
    status = np.zeros(1, np.int64)
    max_cost = np.int64(1)
    for a in range(cost.shape[0]):
        c = cost[a] if cost[a] > 0 else -cost[a]
        if c > max_cost:
            max_cost = c
    cur = np.empty(n_nodes, np.int64)
    queue = np.empty(n_nodes, np.int64)
    in_queue = np.zeros(n_nodes, np.bool_)
    rank = np.empty(n_nodes, np.int64)
    bucket = np.empty(n_nodes + 1, np.int64)
    entry_node = np.empty(cost.shape[0] + n_nodes, np.int64)
    entry_next = np.empty(cost.shape[0] + n_nodes, np.int64)
    scanned = np.zeros(n_nodes, np.bool_)
    if eps <= 0:
        eps = max_cost
    while status[0] == OK:
        eps = eps // THETA
        if eps < 1:
            eps = np.int64(1)
        _refine(n_nodes, n_rows, first, head, rev, cost, res, price, excess, eps, tol, cur,
                queue, in_queue, rank, bucket, entry_node, entry_next, scanned, status)
        if eps == 1 or status[0] != OK:
            break
        if early_stop and prove_optimal(n_nodes, first, head, cost, res, price, tol,
                                        _CHECK_SCANS * cost.shape[0], rank, cur, queue,
                                        in_queue, entry_node):
            break
    return price, status[0]


@kernel()
def extreme_distances(n_nodes, source, first, head, rev, pcost, res, price, tol, to_source,  # type: ignore[no-untyped-def]
                      always):
    """Shortest value-cost distances from (or, with ``to_source``, to) ``source``.

    Arcs with room count, and those flagged in ``always`` (room the cuts hid). Returns the
    true distances in units of ``pcost`` (``UNREACHED`` where there is no path); see the
    module docstring for why Dijkstra is exact on these lengths.
    """
    dist = np.full(n_nodes, UNREACHED, np.int64)
    done = np.zeros(n_nodes, np.bool_)
    capacity = pcost.shape[0] + 1
    keys = np.empty(capacity, np.int64)
    nodes = np.empty(capacity, np.int64)
    dist[source] = 0
    keys[0] = 0
    nodes[0] = source
    size = 1
    while size > 0:
        d, u, size = _heap_pop(keys, nodes, size)
        if done[u] or d > dist[u]:
            continue
        done[u] = True
        pu = price[u]
        for b in range(first[u], first[u + 1]):
            v = head[b]
            if done[v]:
                continue
            if to_source:  # walk the arc v -> u backwards
                a = rev[b]
                if res[a] <= tol and not always[a]:
                    continue
                nd = d + pcost[a] + price[v] - pu
            else:
                if res[b] <= tol and not always[b]:
                    continue
                nd = d + pcost[b] + pu - price[v]
            if nd < dist[v]:
                dist[v] = nd
                size = _heap_push(keys, nodes, size, nd, v)
    ps = price[source]
    for v in range(n_nodes):
        if dist[v] != UNREACHED:
            dist[v] += ps - price[v] if to_source else price[v] - ps
    return dist
