"""Benchmark clearing a federation of pools: serially vs on a local Ray.

Usage::

    python benchmarks/federation.py [--pools 16] [--members 5000] [--seed 0] [--repeat 2]

A seeded federation: ``--pools`` pools of ``--members`` members each. A pool has 40 tasks
with fixed hours and 60 goods (30 auction goods with capacities, 30 effort goods); every
member offers hours on 3 of its pool's tasks, wishes for one of 3 auction goods (a
``max_cost`` each, on a 0.5 grid, so ties are common) and for a unit of an effort good. The
first half of the pools come in pairs whose effort goods share a product type, wished for by
type, so each pair is cleared together; the other pools stand alone.

Timed, best of ``--repeat``: ``clear_federation(..., serial=True)`` and
``clear_federation(...)`` on a local Ray with every CPU of the machine, after one warm-up
call each (numba's compiled code loaded in every worker); the Ray plan is checked to equal
the serial one. The validation of the merged pool, its arrays and stage 3 stay on the driver
in both, so they bound the speed-up (Amdahl): their share is printed too.

Measured (16 pools x 5,000 members, 240,000 offers, 160,000 wishes; 2 CPU cores): serial
1.73 s, Ray 1.61 s, a speed-up of 1.07x; the driver's share (writing the merged pool as JSON,
reading it into columns, its arrays) is 0.62 s, 36% of the serial time. On 2 cores Ray's
own overhead (shipping the parts and their results) eats most of what the second core
gives; the runs wobble by about 0.3 s.

This is a script, not a test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import numpy as np

TASKS, GOODS = 40, 60


def pool(name: str, members: int, rng: np.random.Generator, shared: str | None
         ) -> dict[str, Any]:
    """One pool; ``shared`` names the product type its effort goods share with another pool."""
    pid = [f"{name}-p{i}" for i in range(members)]
    tid = [f"{name}-t{t}" for t in range(TASKS)]
    half = GOODS // 2
    gid = [f"{name}-g{g}" for g in range(GOODS)]
    recipe_task = rng.integers(0, TASKS, (GOODS, 2))
    recipe_hours = rng.integers(1, 5, (GOODS, 2)) * 0.5
    capacity = rng.integers(members // (2 * half), members // half + 1, half)
    goods = []
    for g in range(GOODS):
        good: dict[str, Any] = {
            "id": gid[g], "project": f"{name}-j", "model": "auction" if g < half else "effort",
            "recipe": {tid[int(t)]: float(h) for t, h in zip(recipe_task[g], recipe_hours[g],
                                                           strict=True)},
        }
        if g < half:
            good["capacity"] = int(capacity[g])
        elif shared is not None:
            good["product_type"] = shared
        goods.append(good)
    offer_task = np.argsort(rng.random((members, TASKS)), axis=1)[:, :3]
    offer_hours = rng.integers(1, 9, (members, 3))
    min_weight = rng.integers(1, 7, (members, 3)) * 0.5
    choice = np.argsort(rng.random((members, half)), axis=1)[:, :3]
    max_cost = rng.integers(4, 20, (members, 3)) * 0.5
    effort_good = rng.integers(half, GOODS, members)
    wishes = []
    for i in range(members):
        wishes.append({"participant": pid[i], "id": f"{name}-a{i}", "alternatives": [
            {"good": gid[int(g)], "max_cost": float(c)}
            for g, c in zip(choice[i], max_cost[i], strict=True)]})
        other = ({"product_type": shared} if shared is not None and i % 4 == 0
                 else {"good": gid[int(effort_good[i])]})
        wishes.append({"participant": pid[i], "id": f"{name}-e{i}", "alternatives": [other]})
    offered = np.bincount(offer_task.ravel(), weights=offer_hours.ravel(), minlength=TASKS)
    return {
        "format": "peerconomy-scenario/1",
        "participants": [{"id": p, "capacity": float(c)}
                         for p, c in zip(pid, rng.integers(4, 20, members).tolist(), strict=True)],
        "projects": [{"id": f"{name}-j"}],
        "tasks": [{"id": tid[t], "project": f"{name}-j", "fixed_hours": float(h)}
                  for t, h in enumerate(np.floor(0.3 * offered).tolist())],
        "goods": goods,
        "offers": [{"participant": pid[i], "task": tid[int(offer_task[i, k])],
                    "hours": float(offer_hours[i, k]), "min_weight": float(min_weight[i, k])}
                   for i in range(members) for k in range(3)],
        "wishes": wishes,
    }


def federation(n_pools: int, members: int, seed: int) -> dict[str, dict[str, Any]]:
    rng = np.random.default_rng(seed)
    pools = {}
    for k in range(n_pools):
        shared = f"bread-{k // 2}" if k < n_pools // 2 else None
        pools[f"pool{k:02d}"] = pool(f"pool{k:02d}", members, rng, shared)
    first = pools[min(pools)]
    first["settings"] = {"max_weight": 5.0, "seed": seed}
    return pools


def best(repeat: int, call: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pools", type=int, default=16)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")

    import ray

    from peerconomy.domain.clearing import prepare
    from peerconomy.scale import clear_federation, merge_pools

    started = time.perf_counter()
    fed = merge_pools(federation(args.pools, args.members, args.seed))
    print(f"federation: {args.pools} pools x {args.members} members, "
          f"{len(fed.merged['offers'])} offers, {len(fed.merged['wishes'])} wishes "
          f"(built in {time.perf_counter() - started:.1f} s)")
    cpus = os.cpu_count()
    print(f"machine: {cpus} CPU cores")

    clear_federation(fed, serial=True)  # warm up (numba's cache)
    driver, _ = best(args.repeat, lambda: prepare(fed.scenario()))
    serial, plan = best(args.repeat, lambda: clear_federation(fed, serial=True))

    ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        clear_federation(fed)  # warm up the workers
        on_ray, ray_plan = best(args.repeat, lambda: clear_federation(fed))
    finally:
        ray.shutdown()
    assert ray_plan == plan, "the Ray plan differs from the serial one"
    print(f"serial:  {serial:6.2f} s")
    print(f"Ray:     {on_ray:6.2f} s   speed-up {serial / on_ray:.2f}x on {cpus} cores "
          f"(the plans are equal)")
    print(f"driver only (validation and arrays, in both): {driver:.2f} s, "
          f"{driver / serial:.0%} of the serial time")


if __name__ == "__main__":
    main()
