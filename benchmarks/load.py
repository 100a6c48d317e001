"""Load-test ``peerconomy serve`` on PostgreSQL: members browsing *My period* and *Tasks* and
posting offers, with locust, headless and bounded in time.

Usage::

    python benchmarks/load.py [--users 100] [--seconds 60] [--workers 2]
                              [--baseline-seconds 15] [--postgres URL]

The pool ``load``: 100 members with accounts (member000 coordinates), a farm and a bakery with
24 tasks and 40 goods (two of them scarce, by auction), each member with 3 offers and 3
wishes; period 1 is cleared, partly worked and settled, so period 2 collects with a plan, a
ledger and standing offers behind it. It lives in a PostgreSQL schema of its own, dropped
afterwards.

``peerconomy serve --workers N`` runs in a subprocess on 127.0.0.1; locust (another
subprocess, ``benchmarks/locustfile.py``) starts ``--users`` members, who sign in once and then
each wait 0.1-0.5 s between requests: 40 % *My period*, 40 % *Tasks*, 20 % an offer (a form
post with the session's CSRF token, answered by a redirect). Statistics are reset once every
member has signed in, so sign-ins and the ramp-up are not measured.

The baseline, run first against the same server in the same script: as many users fetching
the stylesheet (a static file: no session, no database, no template), the server's floor.

Target: p95 under 250 ms, no errors, at least 200 requests per second. This is a script, not
a test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from peerconomy.domain.scenario import parse_scenario
from peerconomy.services import accounts, membership, periods, pools, work
from peerconomy.store.sql import open_store, scoped_schema

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POOL = "load"
TARGET_P95_MS = 250.0
TARGET_RPS = 200.0
HERE = Path(__file__).resolve().parent


def load_scenario(members: int, seed: int = 0) -> dict[str, Any]:
    """The pool as a peerconomy-scenario/1 dict (seeded, deterministic)."""
    rng = np.random.default_rng([seed, 5])
    people = [f"member{i:03d}" for i in range(members)]
    projects = ("farm", "bakery")
    tasks = [f"{projects[t % 2]}-task{t:02d}" for t in range(24)]
    goods = []
    for g in range(40):
        project = projects[g % 2]
        own = [t for t in tasks if t.startswith(project)]
        scarce = g < 2
        goods.append({
            "id": f"{project}-good{g:02d}",
            "project": project,
            "model": "auction" if scarce else ("effort", "flat_allocation")[g % 3 == 0],
            "capacity": 3 if scarce else int(rng.integers(40, 120)),
            "recipe": {t: round(float(rng.uniform(0.2, 1.5)), 2)
                       for t in rng.choice(own, 2, replace=False)},
        })
    offers, wishes = [], []
    for i, who in enumerate(people):
        for t in rng.choice(len(tasks), 3, replace=False):
            offers.append({"participant": who, "task": tasks[t],
                           "hours": int(rng.integers(1, 6)),
                           "min_weight": round(float(rng.uniform(0.8, 2.0)), 2)})
        for k, g in enumerate(rng.choice(len(goods), 3, replace=False)):
            alternative: dict[str, Any] = {"good": goods[g]["id"]}
            if goods[g]["model"] == "auction":
                alternative["max_cost"] = round(float(rng.uniform(1, 6)), 2)
            wishes.append({"participant": who, "id": f"w{i:03d}-{k}", "quantity": 1,
                           "alternatives": [alternative]})
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": 5.0, "seed": seed},
        "participants": [{"id": p, "capacity": 20} for p in people],
        "projects": [{"id": p} for p in projects],
        "tasks": [{"id": t, "project": t.split("-")[0]} for t in tasks],
        "goods": goods,
        "offers": offers,
        "wishes": wishes,
    }


def seed_pool(url: str, members: int, password: str) -> list[str]:
    """Store the pool with one period behind it and accounts for its members; its tasks."""
    scenario = load_scenario(members)
    store = open_store(url)
    try:
        with ThreadPoolExecutor(4) as threads:  # argon2 hashing takes a while
            list(threads.map(
                lambda who: accounts.sign_up(store.unit_of_work(), who,
                                             f"{who}@load.example", password, mode="open"),
                [p["id"] for p in scenario["participants"]],
            ))
        pools.import_scenario(store.unit_of_work(), POOL, parse_scenario(scenario),
                              coordinators=["member000"])
        membership.link_members(store.unit_of_work(), POOL,  # each account claims its member
                                {p["id"]: p["id"] for p in scenario["participants"]})
        plan = periods.clear_period(store.unit_of_work(), POOL)
        for n, assignment in enumerate(plan.data.assignments):
            if n % 3 == 0:
                log = work.log_work(store.unit_of_work(), POOL, assignment.participant,
                                    assignment.task, assignment.hours)
                work.confirm_work(store.unit_of_work(), POOL, log.id, "member000"
                                  if assignment.participant != "member000" else "member001")
        periods.settle_period(store.unit_of_work(), POOL)
    finally:
        store.close()
    return [t["id"] for t in scenario["tasks"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_listening(port: int, server: subprocess.Popen[bytes], timeout: float = 60.0
                         ) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with exit code {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not listen on port {port} within {timeout:.0f} s")


@contextmanager
def serving(url: str, env: dict[str, str], workers: int = 1) -> Iterator[tuple[str, int]]:
    """``peerconomy serve`` on the database at ``url`` in a subprocess on 127.0.0.1 (no mail
    sent) for the ``with`` block: its address and process id."""
    port = free_port()
    env = {key: value for key, value in env.items() if key != "PEERCONOMY_SMTP_URL"}
    server = subprocess.Popen(
        [sys.executable, "-m", "peerconomy", "serve", "--db", url, "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(port, server)
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.terminate()
        server.wait(30)


@dataclass(frozen=True)
class Row:
    """One line of locust's statistics."""

    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float


def run_locust(user_class: str, host: str, users: int, seconds: int, env: dict[str, str],
               folder: Path) -> list[Row]:
    """One headless locust run; its per-request rows and the aggregate (last)."""
    prefix = folder / user_class
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), user_class,
        "--headless", "--users", str(users), "--spawn-rate", str(max(1, users // 5)),
        "--run-time", f"{seconds}s", "--host", host, "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: some requests failed (counted below)
        raise SystemExit(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"locust wrote no statistics:\n{done.stderr[-3000:]}")
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for line in csv.DictReader(stats):
            if line["Request Count"] == "0":  # e.g. the sign-ins, all before the reset
                continue
            rows.append(Row(
                name=line["Name"],
                requests=int(line["Request Count"]),
                failures=int(line["Failure Count"]),
                rps=float(line["Requests/s"]),
                p50=float(line["50%"]),
                p95=float(line["95%"]),
                p99=float(line["99%"]),
            ))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--baseline-seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get(
        "PEERCONOMY_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    args = parser.parse_args()
    console = Console()
    password = secrets.token_urlsafe(12)
    folder = Path(tempfile.mkdtemp(prefix="peerconomy-load-"))
    with scoped_schema(args.postgres, "bench_load") as url:
        started = time.perf_counter()
        tasks = seed_pool(url, args.users, password)
        console.print(f"seeded pool {POOL!r}: {args.users} members, {len(tasks)} tasks "
                      f"({time.perf_counter() - started:.1f} s)")
        env = {**os.environ, "PEERCONOMY_SECRET_KEY": secrets.token_urlsafe(32),
               "PEERCONOMY_LOAD_POOL": POOL, "PEERCONOMY_LOAD_TASKS": ",".join(tasks),
               "PEERCONOMY_LOAD_MEMBERS": str(args.users),
               "PEERCONOMY_LOAD_USERS": str(args.users),
               "PEERCONOMY_LOAD_PASSWORD": password}
        with serving(url, env, args.workers) as (host, _):
            console.print(f"baseline: {args.users} users on the stylesheet for "
                          f"{args.baseline_seconds} s")
            baseline = run_locust("Stylesheet", host, args.users, args.baseline_seconds, env,
                                  folder)
            console.print(f"members: {args.users} users for {args.seconds} s "
                          f"(peerconomy serve --workers {args.workers})")
            measured = run_locust("Member", host, args.users, args.seconds, env, folder)
    shutil.rmtree(folder, ignore_errors=True)
    report(console, args, baseline[-1], measured)


def report(console: Console, args: argparse.Namespace, baseline: Row, rows: list[Row]) -> None:
    table = Table(title=f"peerconomy serve on PostgreSQL: {args.users} members, "
                        f"{args.seconds} s, {args.workers} workers")
    for column in ("requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(column, justify="right")
    table.add_column("", justify="left")
    table.columns.insert(0, table.columns.pop())
    for row in [*rows[:-1], rows[-1], baseline]:
        label = {"Aggregated": "all member requests"}.get(row.name, row.name)
        if row is baseline:
            label = "baseline: static file"
        table.add_row(label, f"{row.requests:,}", str(row.failures), f"{row.rps:.1f}",
                      f"{row.p50:.0f}", f"{row.p95:.0f}", f"{row.p99:.0f}")
    console.print(table)
    total = rows[-1]
    console.print(f"members' req/s against the static-file baseline: "
                  f"{total.rps / baseline.rps:.2f}x")
    checks = [
        (f"p95 {total.p95:.0f} ms < {TARGET_P95_MS:.0f} ms", total.p95 < TARGET_P95_MS),
        (f"errors {total.failures} = 0", total.failures == 0),
        (f"{total.rps:.1f} req/s >= {TARGET_RPS:.0f}", total.rps >= TARGET_RPS),
    ]
    for text, ok in checks:
        console.print(("[green]met[/]    " if ok else "[red]missed[/] ") + text)


if __name__ == "__main__":
    main()
