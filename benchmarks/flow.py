"""Benchmark the flow core (``peerconomy.mechanisms.flow.solve``) against OR-Tools.

Usage::

    python benchmarks/flow.py [--repeat 3] [--only a,task,one]

Instances (all data on a 0.01 grid, so OR-Tools' integer costs, x100, are exact):

(a)    goods side: 50,000 unit rows, each with 5 distinct random columns out of 2,000, values
       uniform 1-20, unlimited arcs, every column of capacity 16 (about 1.5x over-demand);
(pool) the goods market that ``benchmarks/clear.py``'s auction pool hands the flow core:
       50,000 unit wishes with 5 distinct goods out of 2,000 drawn by a skewed popularity,
       values ``max_cost - effort`` (0-3 hours, negative ones dropped), capacities 1-32,
       rows in a shuffled order;
(task) task side: 10,000 rows with supply 10-40 hours, 200 columns, 5 arcs each with 1-10
       hours at value ``5 - min_weight`` (min_weight 0.5-3), columns needing 1/1.5 of the hours
       offered to them;
(one)  a million participants offering on a single task: 1,000,000 rows with supply 1-3 hours,
       one column needing half the hours offered, values uniform 0-5 (every row has one arc,
       so the columns clear apart, without cost scaling).

Prints, per instance and price side: the best of ``--repeat`` warm runs of ``solve`` (after
one call that compiles or loads the numba code, timed apart), OR-Tools' ``SimpleMinCostFlow``
on the same flow (build + solve, best of ``--repeat``; no prices, no tie rule), the ratio, and
a check that both optimal values agree. This is a script, not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import numpy as np

from peerconomy.mechanisms.flow import Market, solve


def goods_side(seed: int = 0) -> Market:
    rng = np.random.default_rng(seed)
    n_rows, n_cols, k = 50_000, 2_000, 5
    cap = np.full(n_cols, float(int(n_rows / 1.5 / n_cols)))
    alts = np.array([rng.choice(n_cols, k, replace=False) for _ in range(n_rows)])
    val = np.round(rng.uniform(1, 20, (n_rows, k)), 2)
    return Market(
        np.ones(n_rows),
        cap,
        np.repeat(np.arange(n_rows), k).astype(np.int64),
        alts.ravel().astype(np.int64),
        val.ravel(),
        np.full(n_rows * k, np.inf),
    )


def auction_pool(seed: int = 0) -> Market:
    rng = np.random.default_rng([seed, 1])
    n_rows, n_cols, k = 50_000, 2_000, 5
    effort = np.round(rng.uniform(0.5, 2.0, n_cols), 2)
    capacity = rng.integers(1, round(2 * n_rows / (1.5 * n_cols)), n_cols).astype(float)
    popularity = 1.0 / (np.arange(n_cols) + 0.1 * n_cols)
    popularity = rng.permutation(popularity / popularity.sum())
    alts = np.array([rng.choice(n_cols, k, replace=False, p=popularity) for _ in range(n_rows)])
    max_cost = np.clip(np.round(effort[alts] + rng.uniform(-0.2, 3.0, (n_rows, k)), 2), 0, None)
    value = (max_cost - effort[alts]).ravel()
    rows = rng.permutation(n_rows)[np.repeat(np.arange(n_rows), k)]
    arcs = np.flatnonzero(value >= 0)
    return Market(
        np.ones(n_rows),
        capacity,
        rows[arcs].astype(np.int64),
        alts.ravel()[arcs].astype(np.int64),
        value[arcs],
        np.full(len(arcs), np.inf),
    )


def task_side(seed: int = 0) -> Market:
    rng = np.random.default_rng(seed)
    n_rows, n_cols, k, max_weight = 10_000, 200, 5, 5.0
    supply = np.round(rng.uniform(10, 40, n_rows), 2)
    alts = np.array([rng.choice(n_cols, k, replace=False) for _ in range(n_rows)])
    hours = np.round(rng.uniform(1, 10, (n_rows, k)), 2)
    value = max_weight - np.round(rng.uniform(0.5, 3, (n_rows, k)), 2)
    offered = np.bincount(alts.ravel(), weights=hours.ravel(), minlength=n_cols)
    return Market(
        supply,
        np.round(offered / 1.5, 2),
        np.repeat(np.arange(n_rows), k).astype(np.int64),
        alts.ravel().astype(np.int64),
        value.ravel(),
        hours.ravel(),
    )


def one_task(seed: int = 0) -> Market:
    rng = np.random.default_rng(seed)
    n_rows = 1_000_000
    supply = rng.integers(1, 4, n_rows).astype(np.float64)
    return Market(
        supply,
        np.array([float(supply.sum() // 2)]),
        np.arange(n_rows, dtype=np.int64),
        np.zeros(n_rows, dtype=np.int64),
        np.round(rng.uniform(0, 5, n_rows), 2),
        np.full(n_rows, np.inf),
    )


def or_tools(m: Market) -> float:
    """Optimal value by OR-Tools, on its best footing: amounts as small integers (x100 only
    where they are not integers), unlimited arcs cut to the row's supply, costs x100."""
    from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

    n_rows, n_cols = len(m.row_supply), len(m.col_capacity)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    integral = all(
        np.all(x[np.isfinite(x)] == np.rint(x[np.isfinite(x)]))
        for x in (m.row_supply, m.col_capacity, m.arc_capacity)
    )
    scale = 1 if integral else 100
    supply = np.rint(m.row_supply * scale)
    total = int(supply.sum())
    arc_cap = np.minimum(np.where(np.isinf(m.arc_capacity), total, m.arc_capacity * scale),
                         supply[m.arc_row])
    col_cap = np.where(np.isinf(m.col_capacity), total, m.col_capacity * scale)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n_rows, source), m.arc_row, n_rows + np.arange(n_cols), [source]]),
        np.concatenate([np.arange(n_rows), n_rows + m.arc_col, np.full(n_cols, sink), [sink]]),
        np.rint(np.concatenate([supply, arc_cap, col_cap, [total]])).astype(np.int64),
        np.concatenate(
            [np.zeros(n_rows), -np.rint(m.arc_value * 100), np.zeros(n_cols), [0]]
        ).astype(np.int64),
    )
    supplies = np.zeros(n_rows + n_cols + 2, dtype=np.int64)
    supplies[source], supplies[sink] = total, -total
    flow.set_nodes_supplies(np.arange(n_rows + n_cols + 2), supplies)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("OR-Tools did not solve the flow")
    return float(-flow.optimal_cost() / 100 / scale)


Out = TypeVar("Out")


def best_of(repeat: int, run: Callable[[], Out]) -> tuple[float, Out]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="a,pool,task,one")
    args = parser.parse_args()

    start = time.perf_counter()
    tiny = Market(np.ones(1), np.ones(1), np.zeros(1, np.int64), np.zeros(1, np.int64),
                  np.ones(1), np.ones(1))
    solve(tiny, "min")
    solve(tiny, "max")
    print(f"first call (numba compile or cache load): {time.perf_counter() - start:.2f} s")

    builders = {"a": goods_side, "pool": auction_pool, "task": task_side, "one": one_task}
    print(f"{'instance':<10}{'prices':<8}{'solve s':>10}{'OR-Tools s':>12}{'ratio':>8}  value")
    for name in args.only.split(","):
        m = builders[name]()
        ort_time, ort_value = best_of(args.repeat, partial(or_tools, m))
        for prices in ("min", "max"):
            t, clearing = best_of(args.repeat, partial(solve, m, prices))
            value = float(np.dot(m.arc_value, clearing.flow))
            ok = "ok" if abs(value - ort_value) <= 1e-6 * max(1.0, abs(value)) else "DIFFERS"
            print(f"{name:<10}{prices:<8}{t:>10.3f}{ort_time:>12.3f}{t / ort_time:>8.2f}  "
                  f"{value:.2f} {ok}")


if __name__ == "__main__":
    main()
