"""How long a member waits for the period's preview ("if we cleared now") in a big pool.

Usage::

    python benchmarks/preview.py [--members 1000] [--wishes 5000] [--calls 200] [--seed 0]
                                 [--url sqlite:///PATH | postgresql+psycopg://...]

A seeded pool of ``--members`` members (capacities 2-20 h), 10 projects with 5 tasks each
(two offers per member), 40 goods (10 ``auction`` flats with capacities, 20 ``effort``
goods, 10 ``flat_rate`` boxes) and ``--wishes`` wishes (one to three alternatives each, of
one model; auction wishes with a ``max_cost``) is imported into the store (default: in
memory; ``--url``: a database, which must be new), and period 1 collects. Then
:func:`peerconomy.services.periods.preview_period` is timed, each call the whole request's
work on the service: reading the period's scenario from the store, hashing it and (on a
miss) clearing it:

- **cached**: ``--calls`` previews with nothing changed between them (every member looking
  at *My period* while the period collects): the answer comes from the cache by input hash;
- **after a change**: ``--calls // 10`` previews, each after one wish was changed (a miss:
  the scenario is cleared anew).

Issue 20's target: the cached preview's p95 at most 100 ms for 1,000 members and 5,000
wishes. This is a script, not a test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from peerconomy.bootstrap import memory_store, open_store
from peerconomy.domain.scenario import Alternative, Scenario, Wish
from peerconomy.mechanisms.warm_up import warm_up
from peerconomy.services import collecting, periods, pools
from peerconomy.services.ports import UnitOfWork

POOL = "big"


def scenario(members: int, wishes: int, seed: int) -> Scenario:
    """The seeded pool (see the module's docstring)."""
    rng = random.Random(seed)
    people = [f"m{i:04d}" for i in range(members)]
    projects = [f"p{j}" for j in range(10)]
    tasks = [(f"{p}-t{k}", p) for p in projects for k in range(5)]
    goods: list[dict[str, Any]] = []
    for g in range(40):
        project = projects[g % len(projects)]
        recipe = {t: round(rng.uniform(0.5, 2.0), 2)
                  for t, p in rng.sample([x for x in tasks if x[1] == project], 2)}
        if g < 10:
            goods.append({"id": f"flat{g}", "project": project, "model": "auction",
                          "capacity": rng.randint(5, 30), "recipe": recipe})
        elif g < 30:
            goods.append({"id": f"good{g}", "project": project, "model": "effort",
                          "recipe": recipe, "limit": 3})
        else:
            goods.append({"id": f"box{g}", "project": project, "model": "flat_rate",
                          "recipe": recipe})
    offers = [
        {"participant": who, "task": task, "hours": rng.randint(1, 8),
         "min_weight": round(rng.uniform(0.8, 1.5), 2)}
        for who in people for task, _ in rng.sample(tasks, 2)
    ]
    wished: list[dict[str, Any]] = []
    taken: dict[tuple[str, str], int] = {}
    while len(wished) < wishes:
        who = rng.choice(people)
        model = rng.choice(("auction", "effort", "flat_rate"))  # one model per wish
        chosen = rng.sample([g for g in goods if g["model"] == model], rng.randint(1, 3))
        if any(g["model"] == "flat_rate" and taken.get((who, g["id"])) for g in chosen):
            continue
        for good in chosen:
            taken[(who, good["id"])] = taken.get((who, good["id"]), 0) + 1
        if any(g["model"] == "effort" and taken[(who, g["id"])] > 3 for g in chosen):
            continue
        wished.append({
            "participant": who, "id": f"w{len(wished):05d}",
            "alternatives": [
                {"good": g["id"], **({"max_cost": round(rng.uniform(5, 40), 1)}
                                     if g["model"] == "auction" else {})}
                for g in chosen
            ],
        })
    return Scenario.model_validate({
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": 5.0, "seed": seed},
        "participants": [{"id": who, "capacity": rng.randint(2, 20)} for who in people],
        "projects": [{"id": p} for p in projects],
        "tasks": [{"id": t, "project": p} for t, p in tasks],
        "goods": goods,
        "offers": offers,
        "wishes": wished,
    })


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--wishes", type=int, default=5000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--url", default=None, help="a new database (default: in memory)")
    args = parser.parse_args()
    console = Console()
    warm_up()
    store = open_store(args.url) if args.url else memory_store()
    uow: Callable[[], UnitOfWork] = store.unit_of_work
    made = scenario(args.members, args.wishes, args.seed)
    pools.import_scenario(uow(), POOL, made)
    first = timed(lambda: periods.preview_period(uow(), POOL))
    cached = [timed(lambda: periods.preview_period(uow(), POOL)) for _ in range(args.calls)]
    rng = random.Random(args.seed)
    changed: list[float] = []
    for i in range(max(args.calls // 10, 2)):
        wish = made.wishes[rng.randrange(len(made.wishes))]
        again = Wish(participant=wish.participant, id=wish.id, quantity=wish.quantity,
                     alternatives=[Alternative(good=a.good, max_cost=(a.max_cost or 0) + i + 1)
                                   if a.max_cost is not None else a
                                   for a in wish.alternatives])
        collecting.make_wish(uow(), POOL, again)
        changed.append(timed(lambda: periods.preview_period(uow(), POOL)))
    table = Table(title=f"preview of a pool of {args.members:,} members, {args.wishes:,} wishes"
                        f" ({'in memory' if args.url is None else args.url.split(':')[0]})")
    for column in ("case", "calls", "median ms", "p95 ms", "max ms"):
        table.add_column(column, justify="left" if column == "case" else "right")
    table.add_row("first (a miss)", "1", f"{first:.1f}", f"{first:.1f}", f"{first:.1f}")
    for label, values in (("cached (same input)", cached), ("after a change (a miss)", changed)):
        table.add_row(label, str(len(values)), f"{statistics.median(values):.1f}",
                      f"{p95(values):.1f}", f"{max(values):.1f}")
    console.print(table)
    plan = periods.preview_period(uow(), POOL).plan
    console.print(f"the plan: {len(plan.assignments):,} assignments, {len(plan.allocations):,}"
                  f" allocations, weighted effort {plan.weighted_effort:,.1f} h")
    verdict = "meets" if p95(cached) <= 100 else "misses"
    console.print(f"cached p95 {p95(cached):.1f} ms {verdict} the target of 100 ms")


if __name__ == "__main__":
    main()
