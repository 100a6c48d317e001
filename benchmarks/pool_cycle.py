"""Benchmark a pool's whole period on a database against the pure clearing of the same scenario.

Usage::

    python benchmarks/pool_cycle.py [--size small|full] [--seed 0] [--repeat 3]
                                    [--no-sqlite] [--postgres URL] [--memory]

The pool: 10,000 participants, 20 projects with 500 tasks and 1,000 goods (effort, flat
allocation and scarce auction goods; product types shared by several projects), 50,000 offers
(5 per participant) and 50,000 wishes (5 per participant, 1-3 alternatives each, naming goods
or product types). ``--size small`` divides every count by 10.

Phases, each one service call in one transaction, as ``peerconomy pool import``, ``period
clear`` and ``period settle`` run them (less the process start): **import** (read and validate
the scenario file, store the pool and period 1), **clear** (load the period, clear it, store the
plan), **settle** (post shares and credits, open period 2 with the standing offers and wishes).
Before settling, the work of every 10th assignment is logged and confirmed, so the credits
transaction is not empty. The baseline is ``peerconomy.clear`` of the same scenario dict, in
the same process (numba warmed up). Both are measured alike: the best of ``--repeat`` runs,
each cycle on a fresh database (each phase's best time is reported). Target: import + clear +
settle at most 5x the pure clear, on SQLite and on PostgreSQL.

PostgreSQL runs in a schema of its own (``bench_pool_cycle``), dropped after each cycle. This is a
script, not a test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

import peerconomy
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.scenario import load_scenario_file
from peerconomy.services import periods, pools
from peerconomy.services.ports import UnitOfWork

SIZES = {"full": 1, "small": 10}
TARGET = 5.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MODELS = ("effort",) * 6 + ("flat_allocation",) * 2 + ("auction",) * 2


def pool_scenario(size: str, seed: int) -> dict[str, Any]:
    """The benchmark pool as a peerconomy-scenario/1 dict (seeded, deterministic)."""
    div = SIZES[size]
    n_people, n_projects = 10_000 // div, 20
    n_tasks, n_goods = 500 // div, 1_000 // div
    rng = np.random.default_rng([seed, 4])
    projects = [f"project{j:02d}" for j in range(n_projects)]
    task_project = np.arange(n_tasks) % n_projects
    tasks = [f"t{t:03d}" for t in range(n_tasks)]
    fixed = np.where(rng.random(n_tasks) < 0.2, rng.integers(5, 40, n_tasks), 0)
    good_project = np.arange(n_goods) % n_projects
    model = rng.choice(MODELS, n_goods)
    n_types = n_goods // 4
    product_type = rng.integers(0, n_types, n_goods)
    # a product type is made by auction goods or by none: auction goods get types of their own
    product_type = np.where(model == "auction", n_types + np.arange(n_goods), product_type)
    goods = []
    for g in range(n_goods):
        own = np.flatnonzero(task_project == good_project[g])
        steps = rng.choice(own, size=min(2, own.size), replace=False)
        auction = model[g] == "auction"
        goods.append({
            "id": f"g{g:04d}",
            "project": projects[good_project[g]],
            "model": str(model[g]),
            "capacity": int(rng.integers(2, 10) if auction else rng.integers(40, 120)),
            "recipe": {tasks[s]: float(np.round(rng.uniform(0.2, 1.5), 2)) for s in steps},
            "product_type": f"type{product_type[g]:04d}",
        })
    people = [f"p{i:05d}" for i in range(n_people)]
    offers, wishes = [], []
    auction_goods = np.flatnonzero(model == "auction")
    other_goods = np.flatnonzero(model != "auction")
    for i, who in enumerate(people):
        for t in rng.choice(n_tasks, size=5, replace=False):
            offers.append({
                "participant": who,
                "task": tasks[t],
                "hours": int(rng.integers(1, 6)),
                "min_weight": float(np.round(rng.uniform(0.5, 2.5), 2)),
            })
        for k in range(5):
            if rng.random() < 0.2:
                picks = rng.choice(auction_goods, size=int(rng.integers(1, 4)), replace=False)
                alternatives = [
                    {"good": f"g{g:04d}", "max_cost": float(np.round(rng.uniform(1, 6), 2))}
                    for g in picks
                ]
            else:
                picks = rng.choice(other_goods, size=int(rng.integers(1, 4)), replace=False)
                alternatives = [
                    {"product_type": goods[g]["product_type"]} if rng.random() < 0.3
                    else {"good": f"g{g:04d}"}
                    for g in picks
                ]
                # a product type and one of its goods in one wish would name it twice
                seen: set[str] = set()
                alternatives = [
                    a for a in alternatives
                    if (key := a.get("good") or a["product_type"]) not in seen and not seen.add(key)
                ]
            wishes.append({
                "participant": who, "id": f"w{i:05d}-{k}", "quantity": 1,
                "alternatives": alternatives,
            })
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": 5.0, "seed": seed},
        "participants": [
            {"id": p, "capacity": int(c), "exempt": bool(e)}
            for p, c, e in zip(
                people, rng.integers(5, 30, n_people), rng.random(n_people) < 0.01, strict=True
            )
        ],
        "projects": [{"id": p} for p in projects],
        "tasks": [
            {"id": tasks[t], "project": projects[task_project[t]], "fixed_hours": int(fixed[t])}
            for t in range(n_tasks)
        ],
        "goods": goods,
        "offers": offers,
        "wishes": wishes,
    }


def _best(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _timed(run: Callable[[], object]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def cycle(new_uow: Callable[[], UnitOfWork], scenario_file: Path) -> dict[str, float]:
    """Import, clear, log some work, settle; the seconds each phase took."""
    times: dict[str, float] = {}
    times["import"], _ = _timed(
        lambda: pools.import_scenario(
            new_uow(), "bench", load_scenario_file(scenario_file), communal_validation=False
        )
    )
    times["clear"], plan = _timed(lambda: periods.clear_period(new_uow(), "bench"))
    log_some_work(new_uow, plan.data)
    times["settle"], _ = _timed(
        lambda: periods.settle_period(new_uow(), "bench", on=date(2026, 11, 30))
    )
    return times


def log_some_work(new_uow: Callable[[], UnitOfWork], plan: ClearedPlan) -> None:
    """Every 10th assignment done in full, logged in one transaction (not timed)."""
    from peerconomy.domain.pool import WorkLog

    uow = new_uow()
    now = datetime.now(UTC)
    with uow:
        for a in plan.assignments[::10]:
            uow.periods.add_work_log(
                WorkLog(0, "bench", 1, a.participant, a.task, a.hours, now, True,
                        "confirmed")
            )
        uow.commit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="full")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the pure clear and of each cycle"
    )
    parser.add_argument("--memory", action="store_true", help="also the in-memory store")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--postgres", default=os.environ.get("PEERCONOMY_TEST_POSTGRES_URL", DEFAULT_POSTGRES),
        help="PostgreSQL URL ('' to skip)",
    )
    args = parser.parse_args(argv)

    data = pool_scenario(args.size, args.seed)
    print(
        f"pool: {len(data['participants']):,} participants, {len(data['tasks'])} tasks,"
        f" {len(data['goods']):,} goods, {len(data['offers']):,} offers,"
        f" {len(data['wishes']):,} wishes", flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        scenario_file = Path(tmp) / "pool.json"
        scenario_file.write_text(json.dumps(data), encoding="utf-8")
        peerconomy.clear(data)  # warm up the JIT
        pure = _best(args.repeat, lambda: peerconomy.clear(data))
        print(f"pure peerconomy.clear: {pure:.3f} s (best of {args.repeat})", flush=True)

        runs: dict[str, Callable[[int], dict[str, float]]] = {}
        if args.memory:
            runs["memory"] = lambda _: memory_cycle(scenario_file)
        if not args.no_sqlite:
            runs["SQLite"] = lambda run: sqlite_cycle(Path(tmp) / f"bench{run}.sqlite3",
                                                      scenario_file)
        if args.postgres:
            runs["PostgreSQL"] = lambda _: postgres_cycle(args.postgres, scenario_file)
        results = {name: _best_phases(args.repeat, run) for name, run in runs.items()}

    print()
    header = f"{'database':<11} {'import s':>9} {'clear s':>8} {'settle s':>9} {'cycle s':>8}"
    print(header + f" {'pure clear s':>13} {'ratio':>6} {'target':>7}")
    ok = True
    for name, t in results.items():
        total = t["import"] + t["clear"] + t["settle"]
        ratio = total / pure
        ok &= ratio <= TARGET
        verdict = f"≤ {TARGET:g} " + ("✓" if ratio <= TARGET else "✗")
        print(
            f"{name:<11} {t['import']:>9.3f} {t['clear']:>8.3f} {t['settle']:>9.3f}"
            f" {total:>8.3f} {pure:>13.3f} {ratio:>6.2f} {verdict:>7}"
        )
    return 0 if ok else 1


def _best_phases(repeat: int, run: Callable[[int], dict[str, float]]) -> dict[str, float]:
    """Each phase's best time over ``repeat`` cycles."""
    best: dict[str, float] = {}
    for i in range(repeat):
        for phase, seconds in run(i).items():
            best[phase] = min(best.get(phase, seconds), seconds)
    return best


def memory_cycle(scenario_file: Path) -> dict[str, float]:
    from peerconomy.store.memory import MemoryStore

    return cycle(MemoryStore().unit_of_work, scenario_file)


def sqlite_cycle(path: Path, scenario_file: Path) -> dict[str, float]:
    """The cycle in a new SQLite file."""
    from peerconomy.store.sql import open_store

    store = open_store(f"sqlite:///{path}")
    try:
        return cycle(store.unit_of_work, scenario_file)
    finally:
        store.close()


def postgres_cycle(url: str, scenario_file: Path) -> dict[str, float]:
    """The cycle in a fresh schema of its own (``bench_pool_cycle``), dropped afterwards."""
    import psycopg

    from peerconomy.store.sql import open_store

    libpq = url.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = "bench_pool_cycle"
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    store = open_store(f"{url}{sep}options={quote(f'-csearch_path={schema}')}")
    try:
        return cycle(store.unit_of_work, scenario_file)
    finally:
        store.close()
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    sys.exit(main())
