"""What one request costs ``peerconomy serve`` on PostgreSQL: CPU milliseconds of the server
process and of the database server per page, one request at a time.

Usage::

    python benchmarks/page_cost.py [--requests 200] [--rounds 4] [--postgres URL]

The pool is ``load.py``'s (100 members, period 2 collecting after a settled period 1); one
member signs in and asks for each page ``--requests`` times, in ``--rounds`` rounds whose
cheapest is kept (this machine's speed drifts). The baseline, in the same rounds: the
stylesheet, a static file. Where ``load.py`` measures the whole machine under load, this
says where each page stands, steadily enough to compare one change with the next.

This is a script, not a test: pytest does not collect ``benchmarks/``.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import time
from collections.abc import Callable

import httpx2
import psutil
from rich.console import Console
from rich.table import Table

from load import DEFAULT_POSTGRES, POOL, seed_pool, serving
from peerconomy.store.sql import scoped_schema

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _cpu(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _postgres() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--postgres", default=os.environ.get(
        "PEERCONOMY_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    args = parser.parse_args()
    console = Console()
    password = secrets.token_urlsafe(12)
    with scoped_schema(args.postgres, "bench_page_cost") as url:
        tasks = seed_pool(url, 100, password)
        env = {**os.environ, "PEERCONOMY_SECRET_KEY": secrets.token_urlsafe(32)}
        with serving(url, env) as (host, pid):
            rows = _measure(host, psutil.Process(pid), tasks, password, args.requests,
                            args.rounds)
    table = Table(title=f"peerconomy serve on PostgreSQL, one request at a time "
                        f"(cheapest of {args.rounds} rounds of {args.requests})")
    for column in ("request", "server CPU ms", "PostgreSQL CPU ms", "wall ms", "server / static"):
        table.add_column(column, justify="left" if column == "request" else "right")
    static = rows["static file (baseline)"][0]
    for name, (server_ms, database_ms, wall_ms) in rows.items():
        table.add_row(name, f"{server_ms:.2f}", f"{database_ms:.2f}", f"{wall_ms:.2f}",
                      f"{server_ms / static:.1f}x")
    console.print(table)
    mix = 0.4 * rows["my period"][0] + 0.4 * rows["tasks"][0] + 0.2 * rows["offer"][0]
    console.print(f"load.py's mix (40 % my period, 40 % tasks, 20 % offers): {mix:.2f} ms of "
                  "server CPU a request")


def _measure(host: str, server: psutil.Process, tasks: list[str], password: str,
             requests: int, rounds: int) -> dict[str, tuple[float, float, float]]:
    client = httpx2.Client(base_url=host)
    token = _TOKEN.search(client.get("/signin").text)
    assert token is not None
    client.post("/signin", data={"login": "member005", "password": password, "next": "/",
                                 "csrf_token": token.group(1)})
    form = _TOKEN.search(client.get(f"/pools/{POOL}/tasks").text)
    assert form is not None, "the member is not signed in"
    csrf = form.group(1)

    def offer(i: int) -> httpx2.Response:
        return client.post(f"/pools/{POOL}/offers/{tasks[i % len(tasks)]}",
                           data={"hours": "3", "min_weight": "1.2", "csrf_token": csrf})

    cases: dict[str, Callable[[int], httpx2.Response]] = {
        "static file (baseline)": lambda i: client.get("/static/style.css"),
        "my period": lambda i: client.get(f"/pools/{POOL}"),
        "tasks": lambda i: client.get(f"/pools/{POOL}/tasks"),
        "offer": offer,
    }
    best: dict[str, tuple[float, float, float]] = {}
    for _ in range(rounds):
        for name, call in cases.items():
            for i in range(10):  # warm
                call(i)
            database = _postgres()
            before = (_cpu([server]), _cpu(database), time.perf_counter())
            for i in range(requests):
                answer = call(i)
                if answer.status_code not in (200, 303):
                    raise SystemExit(f"{name} answered {answer.status_code}")
            after = (_cpu([server]), _cpu(database), time.perf_counter())
            ms = tuple(1000 * (b - a) / requests for a, b in zip(before, after, strict=True))
            if name not in best or ms[0] < best[name][0]:
                best[name] = ms  # type: ignore[assignment]
    return best


if __name__ == "__main__":
    main()
