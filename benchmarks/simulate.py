"""Benchmark the simulator: 1,000 members over 52 periods (a year of weeks) of a town's pool.

Usage::

    python benchmarks/simulate.py [--members 1000] [--periods 52] [--seed 0]
                                  [--rule auction] [--misreport-samples 0]

The pool is experiment (a)'s co-op grown to a town: a farm, a bakery, a dairy, a workshop and
housing, 10 tasks and 10 goods (two of them scarce flats, auctioned under the default rule),
each member offering on 3 tasks and wishing for what is worth more to them than it last
cost. Every period runs through the real services on the in-memory store (submit the round,
clear, log the work, settle, plan production) and gathers every metric.

Printed: the whole run's time, the time per period, and where it went by phase, against
the baseline of the same run's pure clearing (``clear (service)`` holds the engine itself).
Target: **at most 60 s** for 1,000 members over 52 periods on the 2-core machine. A script,
not a test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from rich.console import Console
from rich.table import Table

from peerconomy.sim import PRESETS, parse_config, run

TARGET_SECONDS = 60.0


def town(members: int, seed: int, misreport_samples: int) -> dict[str, Any]:
    """The benchmark's configuration as a TOML-like dict."""
    tasks = [
        ("harvest", "farm", [0.5, 1.5]), ("weeding", "farm", [0.8, 2.2]),
        ("baking", "bakery", [0.6, 1.4]), ("delivery", "bakery", [0.7, 1.8]),
        ("milking", "dairy", [0.5, 1.3]), ("mucking_out", "dairy", [1.0, 3.0]),
        ("carpentry", "workshop", [0.5, 1.6]), ("repairs", "workshop", [0.6, 1.7]),
        ("upkeep", "housing", [0.8, 2.0]), ("cleaning", "housing", [0.9, 2.4]),
    ]
    goods: list[dict[str, Any]] = [
        {"id": "veg_box", "project": "farm", "recipe": {"harvest": 0.6, "weeding": 0.4},
         "value": [1.0, 4.0], "units": 2},
        {"id": "potatoes", "project": "farm", "recipe": {"harvest": 0.3},
         "value": [0.3, 1.5], "units": 3},
        {"id": "bread", "project": "bakery", "recipe": {"baking": 0.5, "delivery": 0.1},
         "value": [0.5, 2.5], "units": 3, "product_type": "bread"},
        {"id": "cake", "project": "bakery", "recipe": {"baking": 1.5}, "value": [0.5, 5.0]},
        {"id": "milk", "project": "dairy", "recipe": {"milking": 0.3, "mucking_out": 0.2},
         "value": [0.5, 2.5], "units": 4},
        {"id": "cheese", "project": "dairy", "recipe": {"milking": 0.5, "mucking_out": 0.2},
         "value": [1.0, 4.0], "units": 2, "capacity": members, "planning": "adaptive"},
        {"id": "bike_repair", "project": "workshop", "recipe": {"repairs": 1.5},
         "value": [0.5, 4.0]},
        {"id": "shelf", "project": "workshop", "recipe": {"carpentry": 4.0},
         "value": [1.0, 8.0]},
        {"id": "seaview_flat", "project": "housing",
         "recipe": {"upkeep": 3.0, "cleaning": 1.0}, "capacity": members // 25,
         "scarce": True, "value": [4.0, 20.0]},
        {"id": "garden_flat", "project": "housing",
         "recipe": {"upkeep": 2.0, "cleaning": 1.0}, "capacity": members // 10,
         "scarce": True, "value": [2.0, 10.0]},
    ]
    return {
        "name": "town",
        "seed": seed,
        "misreport_samples": misreport_samples,
        "projects": ["farm", "bakery", "dairy", "workshop", "housing"],
        "tasks": [{"id": t, "project": p, "disutility": d} for t, p, d in tasks],
        "goods": goods,
        "agents": {"count": members, "capacity": [4.0, 12.0],
                   "strategies": {"truthful": 0.8, "shading": 0.1, "luxury": 0.05,
                                  "laziness": 0.05}},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=52)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rule", default="auction", choices=sorted(PRESETS))
    parser.add_argument("--misreport-samples", type=int, default=0)
    args = parser.parse_args()
    console = Console()
    config = parse_config(town(args.members, args.seed, args.misreport_samples))
    run(config, PRESETS[args.rule], periods=1)  # compile the flow core (numba) once
    started = time.perf_counter()
    result = run(config, PRESETS[args.rule], periods=args.periods)
    seconds = time.perf_counter() - started

    table = Table(title=f"{args.members:,} members, {args.periods} periods, rule {args.rule}"
                        f" (seed {args.seed})")
    table.add_column("phase")
    table.add_column("s in all", justify="right")
    table.add_column("ms per period", justify="right")
    table.add_column("share", justify="right")
    for phase, spent in sorted(result.timings.items(), key=lambda item: -item[1]):
        table.add_row(phase, f"{spent:.2f}", f"{1000 * spent / args.periods:.1f}",
                      f"{spent / seconds:.0%}")
    other = seconds - sum(result.timings.values())
    table.add_row("model set-up and the rest", f"{other:.2f}",
                  f"{1000 * other / args.periods:.1f}", f"{other / seconds:.0%}")
    table.add_row("[b]whole run[/]", f"[b]{seconds:.2f}[/]",
                  f"[b]{1000 * seconds / args.periods:.1f}[/]", "100%")
    console.print(table)
    clear = result.timings["clear (service)"]
    console.print(f"the run against its own clearing: {seconds / clear:.1f}x "
                  f"({clear:.2f} s in clear_period)")
    overall = result.overall()
    console.print(f"uncovered hours per period {overall['uncovered_hours']:.1f}, "
                  f"goods per member {overall['goods_per_member']:.2f}, "
                  f"hours per member {overall['hours_per_member']:.2f}")
    met = seconds <= TARGET_SECONDS
    console.print(("[green]met[/]    " if met else "[red]missed[/] ")
                  + f"{seconds:.1f} s <= {TARGET_SECONDS:.0f} s")


if __name__ == "__main__":
    main()
