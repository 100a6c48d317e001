"""The second comparison of ``benchmarks/clear.py`` (``--large``): issue 7's large cases read
from files the fast way and cleared, with OR-Tools' flow beside the big one, and the scaling
curve (the workers, and the table)."""

from __future__ import annotations

import argparse
import gc
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from clear_harness import fmt, high_water_mb, run_fresh
from clear_scenarios import COST_SCALE, large_file

LARGE_TARGETS = {"big": (10.0, 2048.0), "tasks": (5.0, None)}
CURVE = (10_000, 30_000, 100_000, 300_000, 1_000_000)


def work_large(path: str, repeat: int) -> dict[str, Any]:
    """Read and clear the file: the warm-up's time, the best time, and peak RSS."""
    from peerconomy.domain.clearing import clear_scenario
    from peerconomy.domain.collection import paused_collection
    from peerconomy.domain.plan import ClearedPlan
    from peerconomy.domain.scenario_columns import read_columns_file

    times, reads = [], []
    plan = ClearedPlan()
    for _ in range(repeat + 1):
        plan = ClearedPlan()
        gc.collect()
        start = time.perf_counter()
        scenario = read_columns_file(path)
        read = time.perf_counter()
        with paused_collection():
            plan = clear_scenario(scenario)
        times.append(time.perf_counter() - start)
        reads.append(read - start)
        del scenario
    best = int(np.argmin(times[1:])) + 1
    return {"warm_up_s": times[0], "best_s": times[best], "read_s": reads[best],
            "peak_rss_mb": high_water_mb(), "allocations": len(plan.allocations),
            "assignments": len(plan.assignments)}


def work_large_stages(path: str, repeat: int) -> dict[str, Any]:
    """Seconds per stage of reading and clearing the file, each the best of ``repeat`` runs
    after a warm-up: reading into columns, preparing, the goods stage, the task stage, the
    plan."""
    from peerconomy.domain import clearing
    from peerconomy.domain.collection import paused_collection
    from peerconomy.domain.scenario_columns import read_columns_file

    best: dict[str, float] = {}
    spent: dict[str, float] = {}
    start = 0.0

    def lap(name: str) -> None:
        nonlocal start
        now = time.perf_counter()
        spent[name] = now - start
        start = now

    for run in range(repeat + 1):
        gc.collect()
        spent.clear()
        start = time.perf_counter()

        columns = read_columns_file(path)
        lap("read into columns")
        with paused_collection():
            prepared = clearing.prepare(columns)
            orders = clearing.draw_orders(prepared, columns.settings.seed)
            lap("prepare, draw the orders")
            allocation = clearing.allocate(prepared.goods_market, orders.auction, orders.lottery)
            lap("goods stage")
            hours = clearing.hours_needed(prepared, allocation.production)
            work = clearing.assign(clearing.task_market(prepared, hours), orders.participants)
            lap("task stage")
            plan = clearing.plan_of(prepared, allocation, hours, work)
            lap("costs, shares and the plan")
        del columns, prepared, orders, allocation, hours, work, plan
        if run:
            best = {k: min(v, best.get(k, math.inf)) for k, v in spent.items()}
    return best


def work_large_ortools(path: str, repeat: int) -> dict[str, Any]:
    """OR-Tools' SimpleMinCostFlow on the file's goods flow only (wishes -> goods -> sink)."""
    from ortools.graph.python import min_cost_flow

    from peerconomy.domain.scenario_json import read_scenario_file

    scenario = read_scenario_file(path)
    g_index = {g.id: i for i, g in enumerate(scenario.goods)}
    effort = np.array([sum(g.recipe.values()) for g in scenario.goods])
    n_w, n_g = len(scenario.wishes), len(scenario.goods)
    per = np.array([len(w.alternatives) for w in scenario.wishes])
    alt_wish = np.repeat(np.arange(n_w), per)
    alt_good = np.array([g_index[a.good] for w in scenario.wishes for a in w.alternatives])
    alt_cost = np.array([a.max_cost for w in scenario.wishes for a in w.alternatives])
    capacity = np.array([g.capacity for g in scenario.goods])
    del scenario
    gc.collect()
    source, sink = 0, 1 + n_w + n_g
    tails = np.concatenate([np.zeros(n_w), 1 + alt_wish, 1 + n_w + np.arange(n_g), [source]])
    heads = np.concatenate([1 + np.arange(n_w), 1 + n_w + alt_good, np.full(n_g, sink), [sink]])
    caps = np.concatenate([np.ones(n_w), np.ones(len(alt_wish)), capacity, [n_w]])
    costs = np.concatenate([np.zeros(n_w), effort[alt_good] - alt_cost, np.zeros(n_g), [0.0]])
    tails, heads = tails.astype(np.int32), heads.astype(np.int32)
    caps, costs = np.rint(caps).astype(np.int64), np.rint(costs * COST_SCALE).astype(np.int64)
    totals = []
    for _ in range(repeat):
        start = time.perf_counter()
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        smcf.set_node_supply(source, n_w)
        smcf.set_node_supply(sink, -n_w)
        if smcf.solve() != smcf.OPTIMAL:
            raise RuntimeError("OR-Tools min cost flow did not solve")
        totals.append(time.perf_counter() - start)
        del smcf
    return {"total_s": min(totals), "arcs": len(tails), "peak_rss_mb": high_water_mb()}


def _large_worker(kind: str, path: str, repeat: int) -> dict[str, Any]:
    return run_fresh("--worker", f"{kind}:{path}", "--repeat", str(repeat))


LARGE_WORKERS: dict[str, Callable[[str, int], dict[str, Any]]] = {
    "large": work_large, "large_stages": work_large_stages, "large_ortools": work_large_ortools,
}


def run_large(args: argparse.Namespace) -> None:
    import tempfile

    from rich.console import Console
    from rich.table import Table

    console = Console()
    data = args.data or tempfile.gettempdir()
    table = Table(title="issue 7's large cases: read the file (msgspec) and clear it")
    for column in ("case", "best s", "of which reading s", "warm-up s", "peak RSS MB",
                   "OR-Tools flow only s", "target"):
        table.add_column(column, justify="left" if column == "case" else "right")
    for case, n, label in (("big", 1_000_000, "(big) 1,000,000 wishes x 5, 10,000 goods"),
                           ("tasks", 100_000, "(tasks) 100,000 x 1,000 tasks x 10 offers")):
        console.print(f"{label}: preparing the file ...")
        path = large_file(case, n // args.shrink, args.seed, data)
        result = _large_worker("large", path, args.repeat)
        ortools = (_large_worker("large_ortools", path, 1) if case == "big" and not
                   args.no_ortools else {})
        seconds, megabytes = LARGE_TARGETS[case]
        if "error" in result:
            table.add_row(label, "failed: " + result["error"], "", "", "", "", "")
            continue
        met = result["best_s"] <= seconds and (megabytes is None
                                               or result["peak_rss_mb"] <= megabytes)
        target = f"<= {seconds:.0f} s" + (f", <= {megabytes:.0f} MB" if megabytes else "")
        table.add_row(label, f"{result['best_s']:.2f}", f"{result['read_s']:.2f}",
                      f"{result['warm_up_s']:.2f}", f"{result['peak_rss_mb']:.0f}",
                      fmt(ortools.get("total_s"), ".2f"),
                      ("met " if met else "MISSED ") + target)
    console.print(table)
    if args.stages:
        path = large_file("big", 1_000_000 // args.shrink, args.seed, data)
        stages = _large_worker("large_stages", path, args.repeat)
        console.print("(big) per stage, best of each (s): " + ", ".join(
            f"{k} {v:.2f}" for k, v in stages.items()))
    if args.no_curve:
        return
    sizes, seconds_at = [], []
    for n in CURVE:
        if n // args.shrink < 1_000:
            continue
        path = large_file("curve", n // args.shrink, args.seed, data)
        result = _large_worker("large", path, args.repeat)
        if "error" in result:
            console.print(f"{n:,} wishes: failed: {result['error']}")
            continue
        sizes.append(n // args.shrink)
        seconds_at.append(result["best_s"])
        console.print(f"{n // args.shrink:>9,} wishes: {result['best_s']:.3f} s, "
                      f"peak {result['peak_rss_mb']:.0f} MB")
    if len(sizes) >= 2:
        slope, _ = np.polyfit(np.log(sizes), np.log(seconds_at), 1)
        console.print(f"growth exponent (log-log fit, time ~ wishes^k): k = {slope:.2f}")
        if args.plot:
            _plot_curve(args.plot, sizes, seconds_at, float(slope))
            console.print(f"plot: {args.plot}")


def _plot_curve(path: str, sizes: list[int], seconds: list[float], slope: float) -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.5, 4.2), layout="constrained")
    axes = figure.subplots()
    axes.loglog(sizes, seconds, "o-", label=f"read + clear (fitted exponent {slope:.2f})")
    reference = seconds[0] * (np.array(sizes) / sizes[0])
    axes.loglog(sizes, reference, ":", color="grey", label="linear growth")
    axes.set_xlabel("unit wishes (5 alternatives each; goods = wishes / 100)")
    axes.set_ylabel("seconds")
    axes.set_title("Clearing time against the number of wishes")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.savefig(path, dpi=110)
