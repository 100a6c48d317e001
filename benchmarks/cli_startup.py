"""How long ``peerconomy`` takes to start: the wall time of the commands that do not clear,
against an interpreter that does nothing (``python -c pass``), run in the same rounds.

Usage::

    python benchmarks/cli_startup.py [--runs 15]

Each command runs ``--runs`` times as ``python -m peerconomy ...`` in a fresh process (the
same interpreter as this script; its ``PYTHONPATH`` picks the tree), the commands taking
turns round by round so that a busy moment of the machine falls on all of them alike; the
table gives each one's median, its ratio to the baseline's median, and whether it is within
issue 18's target of 0.4 s. The database commands run on a fresh SQLite file (made, with its
schema, before the rounds).

This is a script, not a test: pytest does not collect ``benchmarks/``. What keeps the start
fast, that the commands import no engine, is tests/cli/test_startup.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

TARGET_S = 0.4
"""Issue 18's limit for ``peerconomy --help`` and every command that does not clear."""

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "farm.json"


def _commands(db: str) -> list[tuple[str, list[str]]]:
    """The baseline, then the commands timed: a label and the arguments after ``python``."""
    cli = ["-m", "peerconomy"]
    return [
        ("python -c pass (baseline)", ["-c", "pass"]),
        ("peerconomy --help", [*cli, "--help"]),
        ("peerconomy --version", [*cli, "--version"]),
        ("peerconomy user --help", [*cli, "user", "--help"]),
        ("peerconomy db --help", [*cli, "db", "--help"]),
        ("peerconomy pool --help", [*cli, "pool", "--help"]),
        ("peerconomy demo --help", [*cli, "demo", "--help"]),
        ("peerconomy simulate --help", [*cli, "simulate", "--help"]),
        ("peerconomy validate farm.json", [*cli, "validate", str(EXAMPLE)]),
        ("peerconomy user list", [*cli, "user", "list", "--db", db]),
        ("peerconomy audit", [*cli, "audit", "--db", db]),
    ]


def _wall(arguments: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *arguments], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "100"})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/startup.sqlite3"
        subprocess.run([sys.executable, "-m", "peerconomy", "db", "upgrade", "--db", db],
                       check=True, stdout=subprocess.DEVNULL)
        commands = _commands(db)
        times: dict[str, list[float]] = {label: [] for label, _ in commands}
        for _ in range(args.runs):
            for label, arguments in commands:
                times[label].append(_wall(arguments))
    baseline = statistics.median(times[commands[0][0]])
    table = Table(title=f"CLI start, median of {args.runs} runs ({sys.executable})")
    for column in ("command", "median s", "x baseline", f"<= {TARGET_S} s"):
        table.add_column(column, justify="left" if column == "command" else "right")
    for label, _ in commands:
        median = statistics.median(times[label])
        table.add_row(label, f"{median:.3f}", f"{median / baseline:.1f}",
                      "yes" if median <= TARGET_S else "no")
    Console().print(table)


if __name__ == "__main__":
    main()
