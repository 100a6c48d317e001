"""The seeded scenarios ``benchmarks/clear.py`` clears (see its docstring): (a) an auction
pool and (b) a task side as dicts, the large cases' files of their shapes written piece by
piece, the value of a plan, and a scenario's flow as arrays (what OR-Tools is given)."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

SIZES = {"full": 1, "small": 10}
MAX_WEIGHT = 5.0
COST_SCALE = 1000


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

    path = os.path.join(data, f"peerconomy-bench-{case}-{n}-{seed}.json")
    if not os.path.exists(path):
        partial = path + ".part"
        if case == "tasks":
            write_task_file(partial, n, 1_000, seed)
        else:
            write_auction_file(partial, n, max(n // 100, 10), seed)
        os.replace(partial, path)
    return path
