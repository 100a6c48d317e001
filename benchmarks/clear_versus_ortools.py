"""The first comparison of ``benchmarks/clear.py``: ``peerconomy.clear`` of scenarios (a) and
(b) against OR-Tools solving only the flow of the same graph, and the engine's market stage
alone against OR-Tools and HiGHS on that market's flow (the workers, and the report)."""

from __future__ import annotations

import argparse
import gc
import math
import time
from typing import Any

import numpy as np

from clear_harness import current_rss_mb, fmt, rss_mb, run_fresh
from clear_scenarios import COST_SCALE, SCENARIOS, flow_graph, plan_value

TARGET_RATIO = 3.0
TARGET_RSS_MB = 1024.0
TARGET_SPEEDUP = 5.0


def _breakdown(scenario: dict[str, Any]) -> dict[str, float]:
    """Seconds per stage of one more ``peerconomy.clear``, by wrapping the stages it calls."""
    import peerconomy
    from peerconomy.domain import clearing
    from peerconomy.mechanisms import goods, tasks

    spent: dict[str, float] = {}

    def timed(module: Any, name: str, label: str) -> None:
        inner = getattr(module, name, None)
        if inner is None:
            return

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

        setattr(module, name, wrapper)

    timed(clearing, "parse_scenario", "validate")
    timed(clearing, "allocate_goods", "goods (stage 1)")
    timed(goods, "solve", "  flow core in goods")
    timed(clearing, "auction_tasks", "tasks (stage 2)")
    timed(tasks, "solve", "  flow core in tasks")
    timed(clearing, "charge", "shares (stage 3)")
    start = time.perf_counter()
    peerconomy.clear(scenario)
    total = time.perf_counter() - start
    accounted = sum(v for k, v in spent.items() if not k.startswith("  "))
    order = [
        "validate",
        "goods (stage 1)",
        "  flow core in goods",
        "tasks (stage 2)",
        "  flow core in tasks",
        "shares (stage 3)",
    ]
    breakdown = {k: spent[k] for k in order if k in spent}
    breakdown["plan, hints, glue"] = total - accounted
    breakdown["total"] = total
    return breakdown


def work_clear(case: str, size: str, seed: int, repeat: int) -> dict[str, Any]:
    start = time.perf_counter()
    scenario = SCENARIOS[case](size, seed)
    built = time.perf_counter() - start
    import peerconomy

    rss_before = current_rss_mb()
    start = time.perf_counter()
    plan = peerconomy.clear(scenario)  # warm-up: numba JIT
    cold = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        del plan
        gc.collect()
        start = time.perf_counter()
        plan = peerconomy.clear(scenario)
        times.append(time.perf_counter() - start)
    peak = rss_mb()
    value = plan_value(case, scenario, plan)
    summary = {
        "allocations": len(plan["allocations"]),
        "assignments": len(plan["assignments"]),
        "uncovered": math.fsum(plan["uncovered"].values()),
    }
    del plan
    gc.collect()
    return {
        "scenario_s": built,
        "cold_s": cold,
        "best_s": min(times),
        "times_s": times,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
        "value": value,
        "summary": summary,
        "breakdown": _breakdown(scenario),
    }


def work_ortools(case: str, size: str, seed: int, repeat: int) -> dict[str, Any]:
    from ortools.graph.python import min_cost_flow

    scenario = SCENARIOS[case](size, seed)
    graph = flow_graph(case, scenario)
    del scenario
    gc.collect()
    rss_before = current_rss_mb()
    builds, solves, value = [], [], math.nan
    for _ in range(repeat):
        start = time.perf_counter()
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(
            graph["tails"], graph["heads"], graph["caps"], graph["costs"]
        )
        smcf.set_node_supply(graph["source"], graph["supply"])
        smcf.set_node_supply(graph["sink"], -graph["supply"])
        builds.append(time.perf_counter() - start)
        start = time.perf_counter()
        status = smcf.solve()
        solves.append(time.perf_counter() - start)
        if status != smcf.OPTIMAL:
            raise RuntimeError(f"OR-Tools min cost flow: status {status}")
        value = -smcf.optimal_cost() / COST_SCALE
        del smcf
    totals = [b + s for b, s in zip(builds, solves, strict=True)]
    return {
        "build_s": min(builds),
        "solve_s": min(solves),
        "total_s": min(totals),
        "arcs": len(graph["tails"]),
        "rss_before_mb": rss_before,
        "peak_rss_mb": rss_mb(),
        "value": value,
    }


def _ortools_solve(graph: dict[str, Any]) -> tuple[float, float]:
    """OR-Tools' SimpleMinCostFlow on the graph: (build + solve seconds, optimal value)."""
    from ortools.graph.python import min_cost_flow

    start = time.perf_counter()
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        graph["tails"], graph["heads"], graph["caps"], graph["costs"])
    smcf.set_node_supply(graph["source"], graph["supply"])
    smcf.set_node_supply(graph["sink"], -graph["supply"])
    if smcf.solve() != smcf.OPTIMAL:
        raise RuntimeError("OR-Tools min cost flow did not solve")
    return time.perf_counter() - start, -smcf.optimal_cost() / COST_SCALE


def _highs_solve(graph: dict[str, Any]) -> tuple[float, float]:
    """scipy's HiGHS on the same flow as a linear program (flow conservation at every node,
    arc bounds): (build + solve seconds, optimal value)."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    start = time.perf_counter()
    tails, heads = graph["tails"], graph["heads"]
    n_nodes, n_arcs = int(max(tails.max(), heads.max())) + 1, len(tails)
    arc = np.arange(n_arcs)
    incidence = csr_matrix(
        (np.r_[np.ones(n_arcs), -np.ones(n_arcs)], (np.r_[heads, tails], np.r_[arc, arc])),
        shape=(n_nodes, n_arcs))
    balance = np.zeros(n_nodes)
    balance[graph["source"]], balance[graph["sink"]] = -graph["supply"], graph["supply"]
    done = linprog(graph["costs"].astype(np.float64), A_eq=incidence, b_eq=balance,
                   bounds=np.c_[np.zeros(n_arcs), graph["caps"]], method="highs")
    if done.status != 0:
        raise RuntimeError(f"HiGHS: {done.message}")
    return time.perf_counter() - start, -done.fun / COST_SCALE


def work_core(case: str, size: str, seed: int, repeat: int) -> dict[str, Any]:
    """In one process, on the same instance: the engine's market stage (the flow core with the
    least premiums for (a), the task auction with its weights for (b)), then OR-Tools and
    HiGHS on that market's flow alone; best of ``repeat`` warm runs each."""
    from peerconomy.domain import clearing
    from peerconomy.domain.scenario import parse_scenario

    scenario = SCENARIOS[case](size, seed)
    graph = flow_graph(case, scenario)
    prepared = clearing.prepare(parse_scenario(scenario))
    orders = clearing.draw_orders(prepared, int(scenario["settings"]["seed"]))
    market = prepared.goods_market
    if case == "a":
        def stage() -> Any:
            return clearing.allocate(market, orders.auction, orders.lottery)
    else:
        tasks = clearing.task_market(prepared, prepared.fixed_hours)

        def stage() -> Any:
            return clearing.assign(tasks, orders.participants)
    stage()  # warm-up: the numba code compiled or loaded
    engine = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        stage()
        engine.append(time.perf_counter() - start)
    ortools = [_ortools_solve(graph) for _ in range(repeat)]
    highs = [_highs_solve(graph) for _ in range(max(1, repeat - 1))]
    return {"engine_s": min(engine), "ortools_s": min(t for t, _ in ortools),
            "highs_s": min(t for t, _ in highs), "ortools_value": ortools[0][1],
            "highs_value": highs[0][1], "arcs": len(graph["tails"])}


WORKERS = {"clear": work_clear, "ortools": work_ortools,
           "core": work_core}


def run_worker(kind: str, case: str, args: argparse.Namespace) -> dict[str, Any]:
    """One of :data:`WORKERS` on one case, in a fresh process."""
    return run_fresh("--worker", f"{kind}:{case}", "--size", args.size, "--seed", str(args.seed),
                     "--repeat", str(args.repeat))


def report(results: dict[str, dict[str, dict[str, Any]]], size: str) -> None:
    header = [
        "case",
        "clear s",
        "clear cold s",
        "OR-Tools solve s",
        "OR-Tools total s",
        "ratio",
        "ratio vs solve",
        "clear peak MB",
        "OR-Tools peak MB",
    ]
    rows = []
    names = {"a": "(a) auction pool", "b": "(b) task side"}
    for case in ("a", "b"):
        c, o = results[case]["clear"], results[case]["ortools"]
        wall = c.get("best_s")
        rows.append(
            [
                names[case],
                fmt(wall),
                fmt(c.get("cold_s")),
                fmt(o.get("solve_s")),
                fmt(o.get("total_s")),
                fmt(wall / o["total_s"] if wall and o.get("total_s") else None, ".2f"),
                fmt(wall / o["solve_s"] if wall and o.get("solve_s") else None, ".2f"),
                fmt(c.get("peak_rss_mb"), ".0f"),
                fmt(o.get("peak_rss_mb"), ".0f"),
            ]
        )
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain table
        print(f"peerconomy.clear vs OR-Tools flow only (size {size})")
        print(" | ".join(header))
        for row in rows:
            print(" | ".join(row))
        console = None
    else:
        table = Table(
            title=f"peerconomy.clear vs OR-Tools flow only (size {size})",
            caption="ratio = clear s / OR-Tools total (build + solve) s; peaks are process RSS",
        )
        for h in header:
            table.add_column(h, justify="left" if h == "case" else "right")
        for row in rows:
            table.add_row(*row)
        console = Console(width=max(120, Console().width))
        console.print(table)
    say = console.print if console is not None else print

    for case in ("a", "b"):
        c, o = results[case]["clear"], results[case]["ortools"]
        say(f"\n{names[case]}")
        for kind, r in (("peerconomy.clear", c), ("OR-Tools", o)):
            if "error" in r:
                say(f"  {kind}: failed: {r['error']}")
        if "error" not in c:
            say(
                f"  scenario built in {c['scenario_s']:.2f} s; RSS before clearing "
                f"{c['rss_before_mb']:.0f} MB; runs {', '.join(f'{t:.3f}' for t in c['times_s'])} s"
            )
            say(f"  plan: {c['summary']}")
            say("  breakdown of one more clear (s):")
            for k, v in c["breakdown"].items():
                say(f"    {k:<24}{v:8.3f}")
        if "error" not in o:
            say(
                f"  OR-Tools graph: {o['arcs']} arcs; build {o['build_s']:.3f} s, "
                f"solve {o['solve_s']:.3f} s; RSS before {o['rss_before_mb']:.0f} MB"
            )
        if "error" not in c and "error" not in o:
            diff = abs(c["value"] - o["value"])
            ok = diff <= 1e-6 * max(1.0, abs(o["value"]))
            say(
                f"  value check: peerconomy {c['value']:.4f} vs OR-Tools optimum "
                f"{o['value']:.4f}: {'OK' if ok else 'MISMATCH'} (|diff| {diff:.2e})"
            )

    say("\nThe market stage alone against the flow alone, in one process, on the same instance")
    say("(the engine's stage includes the least premiums, or the weights, and the tie rule):")
    for case in ("a", "b"):
        k = results[case]["core"]
        if "error" in k:
            say(f"  {names[case]}: failed: {k['error']}")
            continue
        say(f"  {names[case]}: engine {k['engine_s']:.3f} s; OR-Tools {k['ortools_s']:.3f} s "
            f"({k['ortools_s'] / k['engine_s']:.1f}x the engine's time); HiGHS "
            f"{k['highs_s']:.3f} s ({k['highs_s'] / k['engine_s']:.1f}x); optimal values "
            f"{k['ortools_value']:.2f} and {k['highs_value']:.2f}")
    k = results["a"]["core"]
    if "error" not in k:
        speedup = k["ortools_s"] / k["engine_s"]
        say(f"(a) issue 7's target: at least {TARGET_SPEEDUP:.0f}x faster than OR-Tools -> "
            f"{speedup:.1f}x: {'met' if speedup >= TARGET_SPEEDUP else 'NOT met'}"
            + ("" if size == "full" else " (small size; the target is for --size full)"))

    c, o = results["a"]["clear"], results["a"]["ortools"]
    verdict = ""
    if "error" not in c and "error" not in o:
        ratio = c["best_s"] / o["total_s"]
        met = ratio <= TARGET_RATIO and c["peak_rss_mb"] < TARGET_RSS_MB
        verdict = (
            f"  -> measured ratio {ratio:.2f}, peak RSS {c['peak_rss_mb']:.0f} MB: "
            f"{'met' if met else 'NOT met'}"
            + ("" if size == "full" else " (small size; the target is for --size full)")
        )
    say(f"\n(a) target: ratio ≤ {TARGET_RATIO:.1f}, peak RSS < {TARGET_RSS_MB:.0f} MB{verdict}")
