"""Benchmark ``peerconomy.clear`` against OR-Tools solving only the flow of the same graph.

Usage::

    python benchmarks/clear.py [--size small|full] [--seed 0] [--repeat 3]

Two seeded scenarios (DESIGN.md's scenario format):

(a) an auction pool: 50,000 unit wishes, each naming 5 distinct auction goods with a
    ``max_cost`` each, over 2,000 goods (one project, one upkeep task, recipes of 0.5-2
    hours) whose capacities total about 1/1.5 of the wishes; every wisher also offers hours
    on the upkeep task, so the task side is covered;
(b) a task side: 10,000 participants, 200 tasks with fixed hours, 5 offers each, no goods;
    the offered hours exceed the needed hours somewhat.

``--size small`` divides every count by 10.

Each measured thing runs in a fresh subprocess (this script with ``--worker``), so its peak
RSS (``ru_maxrss``, the whole process: scenario, solver, plan) is its own. ``peerconomy.clear``
is run once to warm up the numba JIT, then timed best of ``--repeat``. OR-Tools'
``SimpleMinCostFlow`` solves only the flow (costs x1000, rounded to integers; all data are on
a 0.01 grid so that is exact), build and solve timed separately, best of ``--repeat``. The
optimal value of the flow is checked against the value of peerconomy's plan: for (a) the sum
over allocations of ``max_cost - effort`` (effort at weight 1), for (b) the sum over
assignments of ``hours * (max_weight - min_weight)``.

Beside them, in one process on the same instance (worker ``core``): the engine's market stage
alone (for (a) the goods stage, the flow core with the least premiums and the tie rule; for
(b) the task auction with its weights) against OR-Tools' ``SimpleMinCostFlow`` on that
market's flow alone and against scipy's HiGHS on the same flow as a linear program; issue 7's
target for (a) is at least 5x faster than OR-Tools.

``--large`` runs issue 7's large cases instead, each in a fresh subprocess, the scenario read
from a JSON file the fast way (``read_columns_file``: msgspec, into columns) and cleared
(``clear_scenario``), timed from the file to the plan, best of ``--repeat`` after a warm-up,
with the process's peak RSS:

(big)   1,000,000 unit wishes x 5 alternatives over 10,000 auction goods (scenario (a)'s shape);
        target at most 10 s and 2 GB peak RSS; OR-Tools' flow alone on the same graph beside it;
(tasks) 100,000 participants x 1,000 tasks x 10 offers each; target at most 5 s;
(curve) scenario (a)'s shape from 10^4 to 10^6 wishes (goods = wishes / 100), with the growth
        exponent fitted on a log-log scale, plotted to ``--plot PATH`` if given.

The files are written once into ``--data DIR`` (default: the system's temp folder) and reused.

This is a script, not a test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

SIZES = {"full": 1, "small": 10}
MAX_WEIGHT = 5.0
COST_SCALE = 1000
TARGET_RATIO = 3.0
TARGET_RSS_MB = 1024.0
TARGET_SPEEDUP = 5.0


# ---- scenarios --------------------------------------------------------------------------


def _distinct_choices(
    rng: np.random.Generator, n_rows: int, n_items: int, k: int, p: np.ndarray | None = None
) -> np.ndarray:
    """``k`` distinct items per row, drawn with probabilities ``p`` (uniform if None)."""
    out = rng.choice(n_items, size=(n_rows, k), p=p)
    for _ in range(100):
        srt = np.sort(out, axis=1)
        bad = np.flatnonzero(np.any(srt[:, 1:] == srt[:, :-1], axis=1))
        if len(bad) == 0:
            return out
        out[bad] = rng.choice(n_items, size=(len(bad), k), p=p)
    for r in np.flatnonzero(np.any(np.diff(np.sort(out, axis=1), axis=1) == 0, axis=1)):
        out[r] = rng.choice(n_items, size=k, replace=False, p=p)
    return out


def _auction_draws(rng: np.random.Generator, n_wishes: int, n_goods: int) -> dict[str, Any]:
    """Scenario (a)'s random parts at any size, as arrays: recipes, capacities, each wish's
    5 goods and ``max_cost`` for them, and its maker's offered hours and ``min_weight``."""
    k = 5
    recipe = np.round(rng.uniform(0.5, 2.0, n_goods), 2)
    # capacities 1..32 (mean 16.5): about n_wishes / 1.5 units in all
    capacity = rng.integers(1, max(2, round(2 * n_wishes / (1.5 * n_goods))), n_goods)
    popularity = 1.0 / (np.arange(n_goods) + 0.1 * n_goods)
    popularity = rng.permutation(popularity / popularity.sum())
    choice = _distinct_choices(rng, n_wishes, n_goods, k, popularity)
    # max_cost = effort plus up to 3 hours of eagerness (a few below effort: not worth it)
    max_cost = np.clip(np.round(recipe[choice] + rng.uniform(-0.2, 3.0, (n_wishes, k)), 2),
                       0, None)
    return {"recipe": recipe, "capacity": capacity, "choice": choice, "max_cost": max_cost,
            "hours": rng.integers(1, 4, n_wishes),
            "min_weight": np.round(rng.uniform(0.5, 2.0, n_wishes), 2)}


def _task_draws(rng: np.random.Generator, n_people: int, n_tasks: int, k: int
                ) -> dict[str, Any]:
    """Scenario (b)'s random parts at any size: each participant's ``k`` tasks, hours and
    ``min_weight`` there, their capacity, and each task's fixed hours (about 0.65 of the
    hours offered on it)."""
    choice = _distinct_choices(rng, n_people, n_tasks, k)
    hours = rng.integers(1, 11, (n_people, k))
    min_weight = np.round(rng.uniform(0.5, 3.0, (n_people, k)), 2)
    capacity = rng.integers(10, 41, n_people)
    offered = np.bincount(choice.ravel(), weights=hours.ravel(), minlength=n_tasks)
    fixed = np.floor(0.65 * offered * rng.uniform(0.8, 1.2, n_tasks))
    return {"choice": choice, "hours": hours, "min_weight": min_weight,
            "capacity": capacity, "fixed": fixed}


def auction_pool(size: str, seed: int) -> dict[str, Any]:
    """Scenario (a): many unit wishes with 5 alternatives each over scarce auction goods."""
    div = SIZES[size]
    n_wishes, n_goods = 50_000 // div, 2_000 // div
    drawn = _auction_draws(np.random.default_rng([seed, 1]), n_wishes, n_goods)
    recipe, capacity, choice = drawn["recipe"], drawn["capacity"], drawn["choice"]
    max_cost, hours, min_weight = drawn["max_cost"], drawn["hours"], drawn["min_weight"]
    pid = [f"p{i + 1:05d}" for i in range(n_wishes)]
    gid = [f"g{g:04d}" for g in range(n_goods)]
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": MAX_WEIGHT, "seed": seed},
        "participants": [{"id": p, "capacity": 10} for p in pid],
        "projects": [{"id": "commons"}],
        "tasks": [{"id": "upkeep", "project": "commons", "fixed_hours": 0}],
        "goods": [
            {
                "id": gid[g],
                "project": "commons",
                "model": "auction",
                "capacity": int(capacity[g]),
                "recipe": {"upkeep": float(recipe[g])},
            }
            for g in range(n_goods)
        ],
        "offers": [
            {
                "participant": pid[i],
                "task": "upkeep",
                "hours": int(hours[i]),
                "min_weight": float(min_weight[i]),
            }
            for i in range(n_wishes)
        ],
        "wishes": [
            {
                "participant": pid[i],
                "id": f"w{i + 1:05d}",
                "quantity": 1,
                "alternatives": [
                    {"good": gid[g], "max_cost": float(c)}
                    for g, c in zip(choice[i].tolist(), max_cost[i].tolist(), strict=True)
                ],
            }
            for i in range(n_wishes)
        ],
    }


def task_side(size: str, seed: int) -> dict[str, Any]:
    """Scenario (b): many participants with 5 offers each over tasks with fixed hours."""
    div = SIZES[size]
    n_people, n_tasks, k = 10_000 // div, 200 // div, 5
    drawn = _task_draws(np.random.default_rng([seed, 2]), n_people, n_tasks, k)
    choice, hours, min_weight = drawn["choice"], drawn["hours"], drawn["min_weight"]
    capacity, fixed = drawn["capacity"], drawn["fixed"]
    pid = [f"p{i + 1:05d}" for i in range(n_people)]
    tid = [f"t{t:03d}" for t in range(n_tasks)]
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": MAX_WEIGHT, "seed": seed},
        "participants": [{"id": p, "capacity": int(c)} for p, c in zip(pid, capacity, strict=True)],
        "projects": [{"id": "commons"}],
        "tasks": [
            {"id": tid[t], "project": "commons", "fixed_hours": float(fixed[t])}
            for t in range(n_tasks)
        ],
        "goods": [],
        "offers": [
            {
                "participant": pid[i],
                "task": tid[int(choice[i, j])],
                "hours": int(hours[i, j]),
                "min_weight": float(min_weight[i, j]),
            }
            for i in range(n_people)
            for j in range(k)
        ],
        "wishes": [],
    }


SCENARIOS: dict[str, Callable[[str, int], dict[str, Any]]] = {"a": auction_pool, "b": task_side}


# ---- values of a plan ---------------------------------------------------------------------


def plan_value(case: str, scenario: dict[str, Any], plan: dict[str, Any]) -> float:
    """The flow value of peerconomy's plan, in the units OR-Tools optimises."""
    if case == "a":
        effort = {g["id"]: sum(g["recipe"].values()) for g in scenario["goods"]}
        max_cost = {
            (w["id"], alt["good"]): alt["max_cost"]
            for w in scenario["wishes"]
            for alt in w["alternatives"]
        }
        return math.fsum(
            a["quantity"] * (max_cost[a["wish"], a["good"]] - effort[a["good"]])
            for a in plan["allocations"]
        )
    min_weight = {(o["participant"], o["task"]): o["min_weight"] for o in scenario["offers"]}
    max_weight = scenario["settings"]["max_weight"]
    return math.fsum(
        a["hours"] * (max_weight - min_weight[a["participant"], a["task"]])
        for a in plan["assignments"]
    )


# ---- workers (each in a fresh process) ----------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


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

    rss_before = _current_rss_mb()
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
    peak = _rss_mb()
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


def flow_graph(case: str, scenario: dict[str, Any]) -> dict[str, np.ndarray | int]:
    """The flow of the scenario as arrays: tails, heads, capacities, unit costs, supply."""
    if case == "a":
        goods = scenario["goods"]
        g_index = {g["id"]: i for i, g in enumerate(goods)}
        effort = np.array([sum(g["recipe"].values()) for g in goods])
        wishes = scenario["wishes"]
        n_w, n_g = len(wishes), len(goods)
        source, sink = 0, 1 + n_w + n_g
        alt_wish = np.array([w for w, wish in enumerate(wishes) for _ in wish["alternatives"]])
        alt_good = np.array([g_index[a["good"]] for wish in wishes for a in wish["alternatives"]])
        alt_cost = np.array([a["max_cost"] for wish in wishes for a in wish["alternatives"]])
        value = alt_cost - effort[alt_good]
        capacity = np.array([g["capacity"] for g in goods])
        tails = np.concatenate([np.zeros(n_w), 1 + alt_wish, 1 + n_w + np.arange(n_g), [source]])
        heads = np.concatenate([1 + np.arange(n_w), 1 + n_w + alt_good, np.full(n_g, sink), [sink]])
        caps = np.concatenate([np.ones(n_w), np.ones(len(alt_wish)), capacity, [n_w]])
        costs = np.concatenate([np.zeros(n_w), -value, np.zeros(n_g), [0.0]])
        supply = n_w
    else:
        people = scenario["participants"]
        tasks = scenario["tasks"]
        p_index = {p["id"]: i for i, p in enumerate(people)}
        t_index = {t["id"]: i for i, t in enumerate(tasks)}
        n_p, n_t = len(people), len(tasks)
        source, sink = 0, 1 + n_p + n_t
        offers = scenario["offers"]
        o_p = np.array([p_index[o["participant"]] for o in offers])
        o_t = np.array([t_index[o["task"]] for o in offers])
        o_h = np.array([o["hours"] for o in offers])
        o_w = np.array([o["min_weight"] for o in offers])
        capacity = np.array([p["capacity"] for p in people])
        needed = np.array([t["fixed_hours"] for t in tasks])
        max_weight = scenario["settings"]["max_weight"]
        supply = int(capacity.sum())
        # value of an hour of work over leaving it uncovered: max_weight - min_weight;
        # source -> sink carries the capacity nobody needs
        tails = np.concatenate([np.zeros(n_p), 1 + o_p, 1 + n_p + np.arange(n_t), [source]])
        heads = np.concatenate([1 + np.arange(n_p), 1 + n_p + o_t, np.full(n_t, sink), [sink]])
        caps = np.concatenate([capacity, o_h, needed, [supply]])
        costs = np.concatenate([np.zeros(n_p), o_w - max_weight, np.zeros(n_t), [0.0]])
    return {
        "tails": tails.astype(np.int32),
        "heads": heads.astype(np.int32),
        "caps": np.rint(caps).astype(np.int64),
        "costs": np.rint(costs * COST_SCALE).astype(np.int64),
        "supply": int(supply),
        "source": int(source),
        "sink": int(sink),
    }


def work_ortools(case: str, size: str, seed: int, repeat: int) -> dict[str, Any]:
    from ortools.graph.python import min_cost_flow

    scenario = SCENARIOS[case](size, seed)
    graph = flow_graph(case, scenario)
    del scenario
    gc.collect()
    rss_before = _current_rss_mb()
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
        "peak_rss_mb": _rss_mb(),
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
    command = [
        sys.executable,
        __file__,
        "--worker",
        f"{kind}:{case}",
        "--size",
        args.size,
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["(no message)"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ---- report -------------------------------------------------------------------------------


def _fmt(x: Any, spec: str = ".3f") -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


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
                _fmt(wall),
                _fmt(c.get("cold_s")),
                _fmt(o.get("solve_s")),
                _fmt(o.get("total_s")),
                _fmt(wall / o["total_s"] if wall and o.get("total_s") else None, ".2f"),
                _fmt(wall / o["solve_s"] if wall and o.get("solve_s") else None, ".2f"),
                _fmt(c.get("peak_rss_mb"), ".0f"),
                _fmt(o.get("peak_rss_mb"), ".0f"),
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


# ---- issue 7's large cases ------------------------------------------------------------------

LARGE_TARGETS = {"big": (10.0, 2048.0), "tasks": (5.0, None)}
CURVE = (10_000, 30_000, 100_000, 300_000, 1_000_000)


def _write_json(path: Any, parts: list[tuple[str, Any]]) -> None:
    """A scenario file written piece by piece: ``parts`` are (key, iterable of JSON texts)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"format": "peerconomy-scenario/1"')
        for key, items in parts:
            out.write(f', "{key}": ')
            if isinstance(items, str):
                out.write(items)
                continue
            out.write("[")
            for i, text in enumerate(items):
                out.write(("," if i else "") + text)
            out.write("]")
        out.write("}")


def write_auction_file(path: Any, n_wishes: int, n_goods: int, seed: int) -> None:
    a = _auction_draws(np.random.default_rng([seed, 1, n_wishes]), n_wishes, n_goods)
    recipe, capacity, choice, max_cost = a["recipe"], a["capacity"], a["choice"], a["max_cost"]
    hours, min_weight = a["hours"].tolist(), a["min_weight"].tolist()
    _write_json(path, [
        ("settings", json.dumps({"max_weight": MAX_WEIGHT, "seed": seed})),
        ("participants", (f'{{"id": "p{i}", "capacity": 10}}' for i in range(n_wishes))),
        ("projects", '[{"id": "commons"}]'),
        ("tasks", '[{"id": "upkeep", "project": "commons"}]'),
        ("goods", (f'{{"id": "g{g}", "project": "commons", "model": "auction", "capacity": '
                   f'{int(capacity[g])}, "recipe": {{"upkeep": {float(recipe[g])!r}}}}}'
                   for g in range(n_goods))),
        ("offers", (f'{{"participant": "p{i}", "task": "upkeep", "hours": {hours[i]}, '
                    f'"min_weight": {min_weight[i]!r}}}' for i in range(n_wishes))),
        ("wishes", (
            f'{{"participant": "p{i}", "id": "w{i}", "alternatives": ['
            + ",".join(f'{{"good": "g{g}", "max_cost": {c!r}}}'
                       for g, c in zip(gs, cs, strict=True)) + "]}"
            for i, (gs, cs) in enumerate(zip(choice.tolist(), max_cost.tolist(), strict=True))
        )),
    ])


def write_task_file(path: Any, n_people: int, n_tasks: int, seed: int) -> None:
    k = 10
    d = _task_draws(np.random.default_rng([seed, 2, n_people]), n_people, n_tasks, k)
    fixed = d["fixed"]
    ch, hs, mw, cap = (d[key].tolist() for key in ("choice", "hours", "min_weight", "capacity"))
    _write_json(path, [
        ("settings", json.dumps({"max_weight": MAX_WEIGHT, "seed": seed})),
        ("participants", (f'{{"id": "p{i}", "capacity": {cap[i]}}}' for i in range(n_people))),
        ("projects", '[{"id": "commons"}]'),
        ("tasks", (f'{{"id": "t{t}", "project": "commons", "fixed_hours": {float(fixed[t])!r}}}'
                   for t in range(n_tasks))),
        ("offers", (f'{{"participant": "p{i}", "task": "t{ch[i][j]}", "hours": {hs[i][j]}, '
                    f'"min_weight": {mw[i][j]!r}}}' for i in range(n_people) for j in range(k))),
    ])


def large_file(case: str, n: int, seed: int, data: str) -> str:
    """The case's scenario file, written on first use."""
    import os

    path = os.path.join(data, f"peerconomy-bench-{case}-{n}-{seed}.json")
    if not os.path.exists(path):
        partial = path + ".part"
        if case == "tasks":
            write_task_file(partial, n, 1_000, seed)
        else:
            write_auction_file(partial, n, max(n // 100, 10), seed)
        os.replace(partial, path)
    return path


def _high_water_mb() -> float:
    """This process's peak RSS since it started (VmHWM: unlike ``ru_maxrss``, not inherited
    from the parent that forked it)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return _rss_mb()  # pragma: no cover - not Linux


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
            "peak_rss_mb": _high_water_mb(), "allocations": len(plan.allocations),
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
    return {"total_s": min(totals), "arcs": len(tails), "peak_rss_mb": _high_water_mb()}


def _large_worker(kind: str, path: str, repeat: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", f"{kind}:{path}", "--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["(no message)"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


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
                      _fmt(ortools.get("total_s"), ".2f"),
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--large", action="store_true", help="issue 7's large cases")
    parser.add_argument("--data", help="where the large cases' files are kept")
    parser.add_argument("--plot", help="write the scaling curve's plot here (PNG or SVG)")
    parser.add_argument("--shrink", type=int, default=1, help="divide the large sizes by this")
    parser.add_argument("--no-curve", action="store_true")
    parser.add_argument("--stages", action="store_true", help="(big) per stage, with --large")
    parser.add_argument("--no-ortools", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        kind, case = args.worker.split(":", 1)
        if kind == "large":
            print(json.dumps(work_large(case, args.repeat)))
        elif kind == "large_stages":
            print(json.dumps(work_large_stages(case, args.repeat)))
        elif kind == "large_ortools":
            print(json.dumps(work_large_ortools(case, args.repeat)))
        else:
            print(json.dumps(WORKERS[kind](case, args.size, args.seed, args.repeat)))
        return 0
    if args.large:
        run_large(args)
        return 0
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for case in ("a", "b"):
        results[case] = {kind: run_worker(kind, case, args) for kind in WORKERS}
    report(results, args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
