"""What the week's machinery costs a big pool: placing the plan on shifts, and the
scheduler's tick.

Usage::

    python benchmarks/week.py [--members 80,1000] [--runs 5] [--ticks 20] [--seed 0]
                              [--url sqlite:///PATH | postgresql+psycopg://...]

A seeded farm of ``--members`` members (each offering two of eight tasks, 2-6 h, and
wishing a vegetable box, most of them eggs and milk too) is imported into the store
(default: in memory; ``--url``: a database, which must be new; one pool per size), dated
weekly in Berlin time. Four of its tasks have shifts for the season, as the demo's farm:
milking at dawn and the hens every day, weeding on Tuesday and Thursday evenings, the
harvest on Saturday morning, with places for about the hours the plan needs (a shift takes
100 people at most: a big farm has several at once, in several fields). Then, for each
size:

- **clear** (no shifts: the baseline) and **+ placement**: the period cleared
  ``--runs`` times (reopened between), before and after the shifts are added; the median of
  each, and their ratio, is placement's cost in a clearing;
- **tick idle** (the baseline: three days before the deadline, nothing to remind yet) and
  **tick sent**: ``--ticks`` ticks of the scheduler's jobs early on the Saturday of the
  harvest, once every reminder due then is sent (what the server's worker does every two
  seconds all day); the median of each and their ratio; **places** taken on the week's
  shifts and **reminders** sent by the first tick on Saturday (every member has an account
  with a verified email).

No target is set by an issue; the figures go in the closing note. This is a script, not a
test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from peerconomy.bootstrap import memory_store, open_store
from peerconomy.demo.data import shift_rules
from peerconomy.domain.account import User
from peerconomy.domain.bounds import MAX_SHIFT_SLOTS
from peerconomy.domain.scenario import parse_scenario
from peerconomy.domain.schedule import PeriodLength
from peerconomy.mechanisms.warm_up import warm_up
from peerconomy.services import periods, pools, scheduler, shifts
from peerconomy.services.ports import UnitOfWork

MONDAY = date(2027, 5, 3)
DEADLINE = datetime(2027, 5, 7, 16, tzinfo=UTC)  # Friday 18:00 in Berlin
TASKS = ("milking_at_dawn", "hen_care", "weeding", "harvesting", "kneading", "baking",
         "delivery", "repairing")


def scenario(members: int, seed: int) -> dict[str, Any]:
    """The seeded farm (see the module's docstring)."""
    rng = random.Random(seed)
    people = [f"m{i:04d}" for i in range(members)]
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": 3.0, "seed": seed},
        "participants": [{"id": p, "capacity": rng.randint(6, 16)} for p in people],
        "projects": [{"id": "farm"}, {"id": "bakery"}, {"id": "workshop"}],
        "tasks": [{"id": t, "project": "farm" if i < 4 else "bakery" if i < 7 else "workshop"}
                  for i, t in enumerate(TASKS)],
        "goods": [
            {"id": "box", "project": "farm", "model": "flat_rate", "limit": 2,
             "recipe": {"harvesting": 1.0, "weeding": 0.7}},
            {"id": "eggs", "project": "farm", "model": "flat_allocation", "limit": 3,
             "recipe": {"hen_care": 0.35}},
            {"id": "milk", "project": "farm", "model": "effort", "limit": 2,
             "recipe": {"milking_at_dawn": 0.8}},
            {"id": "bread", "project": "bakery", "model": "effort",
             "recipe": {"kneading": 0.25, "baking": 0.2, "delivery": 0.15}},
            {"id": "repair", "project": "workshop", "model": "effort",
             "recipe": {"repairing": 1.5}},
        ],
        "offers": [{"participant": p, "task": t, "hours": rng.randint(2, 6),
                    "min_weight": round(rng.uniform(0.8, 1.8), 1)}
                   for p in people for t in rng.sample(TASKS, 2)],
        "wishes": [w for p in people for w in (
            {"participant": p, "id": f"{p}-box", "alternatives": [{"good": "box"}]},
            {"participant": p, "id": f"{p}-eggs", "quantity": rng.randint(1, 3),
             "alternatives": [{"good": "eggs"}]},
            {"participant": p, "id": f"{p}-milk", "alternatives": [{"good": "milk"}]},
            {"participant": p, "id": f"{p}-bread", "quantity": rng.randint(1, 4),
             "alternatives": [{"good": "bread"}]},
        ) if w["id"].endswith("box") or rng.random() < 0.7],
    }


def median_ms(run: Callable[[], object], times: int) -> float:
    took = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


def clear_ms(new_uow: Callable[[], UnitOfWork], pool: str, runs: int) -> float:
    """The median clearing, reopened after each (the last one stays cleared)."""
    took = []
    for i in range(runs):
        started = time.perf_counter()
        periods.clear_period(new_uow(), pool, now=DEADLINE)
        took.append((time.perf_counter() - started) * 1000)
        if i < runs - 1:
            periods.reopen_period(new_uow(), pool, now=DEADLINE)
    return statistics.median(took)


def measure(new_uow: Callable[[], UnitOfWork], members: int, args: argparse.Namespace
            ) -> list[str]:
    pool = f"farm{members}"
    data = scenario(members, args.seed)
    pools.import_scenario(new_uow(), pool, parse_scenario(data))
    with new_uow() as uow:  # every member has claimed their place, with a verified email
        joined = datetime(2027, 4, 1, tzinfo=UTC)
        for member in uow.pools.members(pool):
            name = f"{pool}-{member.id}"
            uow.accounts.add_user(User(name, f"{name}@farm.example", "-", joined,
                                       email_verified_at=joined))
            uow.pools.put_member(pool, dataclasses.replace(member, account=name))
        uow.commit()
    pools.update_settings(new_uow(), pool, period_length=PeriodLength(1, "weeks"),
                          time_zone="Europe/Berlin", starts_on=MONDAY)
    clear_ms(new_uow, pool, 1)  # warm: the first clearing of a process pays for its imports
    periods.reopen_period(new_uow(), pool, now=DEADLINE)
    bare = clear_ms(new_uow, pool, args.runs)
    periods.reopen_period(new_uow(), pool, now=DEADLINE)
    for rule in shift_rules(MONDAY, MONDAY + timedelta(weeks=26, days=-1)):
        wanted = max(rule.slots, members // (10 if rule.every == "day" else 4))
        for field in range(math.ceil(wanted / MAX_SHIFT_SLOTS)):  # a shift takes 100 at most
            slots = min(MAX_SHIFT_SLOTS, wanted - field * MAX_SHIFT_SLOTS)
            shifts.repeat_shifts(new_uow(), pool, dataclasses.replace(
                rule, slots=slots, place=f"{rule.place} {field + 1}"))
    placed = clear_ms(new_uow, pool, args.runs)
    on_shifts = sum(r.taken for rows in shifts.task_shifts(new_uow(), pool).values()
                    for r in rows)
    idle = median_ms(lambda: scheduler.tick(new_uow, DEADLINE - timedelta(days=3)),
                     args.ticks)
    saturday = datetime(2027, 5, 8, 5, tzinfo=UTC)  # the week's shifts are due reminders
    first = scheduler.tick(new_uow, saturday)
    sent = sum(n for _, n in first.counts)
    busy = median_ms(lambda: scheduler.tick(new_uow, saturday), args.ticks)
    return [f"{members:,}", f"{bare:.1f}", f"{placed:.1f}", f"{placed / bare:.2f}",
            f"{idle:.1f}", f"{busy:.1f}", f"{busy / idle:.2f}", f"{on_shifts:,}", f"{sent:,}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", default="80,1000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ticks", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    warm_up()
    store = memory_store() if args.url is None else open_store(args.url)
    table = Table(title=f"the week's machinery ({'memory' if args.url is None else args.url})")
    for column in ("members", "clear ms", "+ placement ms", "ratio", "tick idle ms",
                   "tick sent ms", "ratio", "places", "reminders"):
        table.add_column(column, justify="right")
    for members in (int(m) for m in args.members.split(",")):
        table.add_row(*measure(store.unit_of_work, members, args))
    Console().print(table)


if __name__ == "__main__":
    main()
