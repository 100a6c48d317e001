"""Benchmark ``peerconomy.clear`` against OR-Tools solving only the flow of the same graph.

Usage::

    python benchmarks/clear.py [--size small|full] [--seed 0] [--repeat 3]

Two seeded scenarios (the scenario format of docs/design.md):

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

The parts: the scenarios (``clear_scenarios.py``), the harness that runs each worker in a
fresh process (``clear_harness.py``), and the two comparisons (``clear_versus_ortools.py``,
``clear_large.py``).

This is a script, not a test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from clear_large import LARGE_WORKERS, run_large
from clear_scenarios import SIZES
from clear_versus_ortools import WORKERS, report, run_worker


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
        if kind in LARGE_WORKERS:
            print(json.dumps(LARGE_WORKERS[kind](case, args.repeat)))
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
