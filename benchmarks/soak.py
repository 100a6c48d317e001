"""Soak ``peerconomy serve``: a constant rate of mixed reads and writes for a long while, then
check that nothing failed, that the server's memory stayed flat and that the books balance.

Usage::

    python benchmarks/soak.py [--rate 100] [--seconds 600] [--members 20] [--workers 2]
                              [--period-seconds 60] [--postgres URL | --sqlite PATH]

On PostgreSQL the run gets a database of its own (``soak_<pid>``, dropped afterwards). The
pools, seeded as ``benchmarks/load.py`` seeds its pool (:func:`load.load_scenario`), share
``--members`` members with accounts (member000 and member001 coordinate all of them):

- ``soak``: period 1 cleared and settled, period 2 collects offers and wishes;
- ``soakwork``, ``soakwork2``, ...: period 1 cleared, so their members log work and confirm
  each other's; one for every ``--period-seconds`` of the run.

The data the requests read stays about the same size all run long, so that memory that grows
is memory the server keeps, not a bigger working set: the wishes are withdrawn as they are
made, and the work is logged in one work pool for ``--period-seconds`` and then in the next,
as a pool's period would end and the next begin (the *My period* page of a work pool reads
every work log of its period: at 7 logs a second one period would pile up 4,200 in ten
minutes, and each of the server's threads keeps the high-water mark of the largest page it
built; the work logged before moving on is still confirmed).

The driver is open-loop: request *i* starts at ``i / rate`` seconds whatever the answers to
the earlier ones (asyncio and httpx, one client per member: a signed-in session for the
pages, a personal API token for the API), up to 64 requests in flight: beyond that the
schedule waits for an answer and catches up afterwards (counted as late starts), so that a
server that falls behind for a while is not buried under requests it cannot answer in time.
The mix: *My period*, *Tasks* and *Goods* pages,
API reads (hints, balances, the period), offers posted on the Tasks form, wishes made and
withdrawn through the API, work logged and confirmed through the API. An error is any
answer other than the one expected (a redirect for a form, 200/201/204 for the API), or no
answer within 30 s.

Every 30 s (and at the start and the end) it samples the resident memory of the server's
processes. At the end the periods of the work pools are settled (their confirmed work is
credited) and the sum of every posting of each pool must be zero. The table lists requests,
errors, the achieved rate, p50/p95/p99 and the RSS at the start, after the first 30 s (the
warm-up: the worker threads started, the first of each page built), the end and its maximum;
memory is flat if the end is within 2 % of the RSS after the warm-up (checked on runs of a
minute or more).

This is a script, not a test (pytest does not collect ``benchmarks/``); a 20-second variant
runs in the tests (``tests/test_soak_short.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import secrets
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx2 as httpx
import numpy as np
import psutil
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import DEFAULT_POSTGRES, load_scenario, serving
from peerconomy.domain.scenario import parse_scenario
from peerconomy.services import accounts, membership, periods, pools
from peerconomy.store.sql import SqlStore, open_store

__all__ = ["SoakResult", "fresh_postgres_database", "main", "run_soak", "seed"]

POOL = "soak"
WORK_POOL = "soakwork"
PERIOD_S = 60.0
WARMUP_S = 30.0
FLAT = 0.02
COORDINATORS = ("member000", "member001")
SAMPLE_EVERY_S = 30.0
TIMEOUT_S = 30.0
MAX_IN_FLIGHT = 64
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class SoakResult:
    """What a soak run measured."""

    rate: float
    seconds: float
    requests: int = 0
    errors: int = 0
    elapsed_s: float = 0.0
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)
    ledger_sums: dict[str, Decimal] = field(default_factory=dict)
    transactions: int = 0
    late_starts: int = 0
    capped: int = 0
    error_kinds: Counter[str] = field(default_factory=Counter)
    work_pools: int = 1

    @property
    def achieved_rate(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def balanced(self) -> bool:
        return bool(self.ledger_sums) and all(s == 0 for s in self.ledger_sums.values())

    @property
    def warmed_rss_mb(self) -> float | None:
        """The RSS sampled after the warm-up (none on a run too short to sample it)."""
        return next((mb for t, mb in self.rss_mb[1:-1] if t >= WARMUP_S), None)

    @property
    def memory_flat(self) -> bool | None:
        """Whether the RSS at the end is within 2 % of the RSS after the warm-up (none on a
        run too short to tell)."""
        warmed = self.warmed_rss_mb
        if warmed is None or self.elapsed_s < 2 * WARMUP_S:
            return None
        return self.rss_mb[-1][1] <= warmed * (1 + FLAT)

    def percentiles(self, kind: str | None = None) -> tuple[float, float, float]:
        values = (self.latencies_ms.get(kind, []) if kind is not None
                  else [v for vs in self.latencies_ms.values() for v in vs])
        if not values:
            return (0.0, 0.0, 0.0)
        p50, p95, p99 = np.percentile(np.array(values), [50, 95, 99])
        return float(p50), float(p95), float(p99)


# --- the database and the pools ------------------------------------------------------------

@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database ``soak_<pid>`` on the PostgreSQL server of ``server_url`` for the
    ``with`` block, dropped afterwards; its URL."""
    import psycopg

    url = make_url(server_url)
    name = f"soak_{os.getpid()}"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def work_pools(seconds: float, period_s: float = PERIOD_S) -> list[str]:
    """The work pools of a run of ``seconds``: one for each ``period_s`` (at least one)."""
    count = max(1, math.ceil(seconds / period_s))
    return [WORK_POOL] + [f"{WORK_POOL}{k}" for k in range(2, count + 1)]


def seed(store: SqlStore, members: int, password: str,
         work: Sequence[str] = (WORK_POOL,)) -> list[str]:
    """Accounts for ``members`` members and the pools ``soak`` (period 2 collecting, a
    settled period behind it) and ``work`` (period 1 cleared); the tasks of all."""
    scenario = load_scenario(members)
    for p in scenario["participants"]:
        accounts.sign_up(store.unit_of_work(), p["id"], f"{p['id']}@soak.example", password,
                         mode="open")
    for pool in (POOL, *work):
        pools.import_scenario(store.unit_of_work(), pool, parse_scenario(scenario),
                              coordinators=COORDINATORS)
        membership.link_members(store.unit_of_work(), pool,
                                {p["id"]: p["id"] for p in scenario["participants"]})
        periods.clear_period(store.unit_of_work(), pool)
    periods.settle_period(store.unit_of_work(), POOL)
    return [t["id"] for t in scenario["tasks"]]


def settle_and_sum(store: SqlStore, work: Sequence[str] = (WORK_POOL,)
                   ) -> tuple[dict[str, Decimal], int]:
    """Settle the work pools' periods (crediting their confirmed work); the sum of all
    postings of each pool, and the number of transactions."""
    for pool in work:
        periods.settle_period(store.unit_of_work(), pool)
    sums, count = {}, 0
    uow = store.unit_of_work()
    with uow:
        for pool in (POOL, *work):
            found = uow.journal.transactions(pool)
            count += len(found)
            sums[pool] = sum((p.amount for t in found for p in t.postings), Decimal(0))
    return sums, count


# --- the driver ----------------------------------------------------------------------------

@dataclass
class _Member:
    name: str
    client: httpx.AsyncClient
    csrf: str
    bearer: dict[str, str]
    wishes: deque[str] = field(default_factory=deque)


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` and its children (the workers), in MB."""
    try:
        main = psutil.Process(pid)
        processes = [main, *main.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for process in processes:
        with suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total / 1e6


async def _sign_in(host: str, name: str, password: str) -> _Member:
    # idle connections are dropped before the server's keep-alive (5 s) would close them,
    # so that no request goes out on a connection the server is closing; the coordinators'
    # clients carry every confirmation besides their own requests: a roomy pool
    client = httpx.AsyncClient(
        base_url=host, timeout=TIMEOUT_S, follow_redirects=False,
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20,
                            keepalive_expiry=2.0),
    )
    try:
        page = await client.get("/signin")
        token = _TOKEN.search(page.text)
        assert token is not None, "no CSRF token on the sign-in page"
        signed = await client.post("/signin", data={"login": name, "password": password,
                                                    "next": "/", "csrf_token": token.group(1)})
        assert signed.status_code == 303, f"{name} could not sign in: {signed.status_code}"
        tasks_page = await client.get(f"/pools/{POOL}/tasks")
        csrf = _TOKEN.search(tasks_page.text)
        assert csrf is not None, "no CSRF token on the Tasks page"
        issued = await client.post(
            "/api/v1/auth/tokens", headers={"X-CSRF-Token": csrf.group(1)},
            json={"login": name, "password": password, "label": "soak"})
        assert issued.status_code == 201, issued.text
    except BaseException:
        await client.aclose()
        raise
    return _Member(name, client, csrf.group(1),
                   {"Authorization": f"Bearer {issued.json()['token']}"})


class _Mix:
    """The requests of the soak, chosen by weight; each returns (kind, answer, expected)."""

    def __init__(self, members: list[_Member], tasks: list[str], goods: list[str],
                 rng: random.Random, work: Sequence[str] = (WORK_POOL,),
                 period_s: float = PERIOD_S, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.members = members
        self.by_name = {m.name: m for m in members}
        self.tasks = tasks
        self.goods = goods
        self.rng = rng
        self.work = list(work)
        self.period_s = period_s
        self.clock = clock
        self.started = clock()
        self.pending_logs: deque[tuple[str, int, str]] = deque()
        self.weighted: list[tuple[str, int]] = [
            ("page my period", 18), ("page tasks", 10), ("page goods", 8),
            ("page my work", 4), ("api hints", 8), ("api balances", 8), ("api period", 6),
            ("form offer", 14), ("api wish", 10), ("api work log", 7), ("api confirm", 7),
        ]
        self.kinds = [k for k, _ in self.weighted]
        self.weights = [w for _, w in self.weighted]

    def work_pool(self) -> str:
        """The work pool of this stretch of the run: the next every ``period_s``."""
        stretch = int((self.clock() - self.started) // self.period_s)
        return self.work[min(stretch, len(self.work) - 1)]

    def pick(self) -> tuple[str, _Member]:
        return self.rng.choices(self.kinds, self.weights)[0], self.rng.choice(self.members)

    async def send(self, kind: str, who: _Member) -> tuple[str, httpx.Response, tuple[int, ...]]:
        c, rng = who.client, self.rng
        if kind == "page my period":
            return kind, await c.get(f"/pools/{POOL}"), (200,)
        if kind == "page tasks":
            return kind, await c.get(f"/pools/{POOL}/tasks"), (200,)
        if kind == "page goods":
            return kind, await c.get(f"/pools/{POOL}/goods"), (200,)
        if kind == "page my work":
            return kind, await c.get(f"/pools/{self.work_pool()}"), (200,)
        if kind == "api hints":
            return kind, await c.get(f"/api/v1/pools/{POOL}/hints", headers=who.bearer), (200,)
        if kind == "api balances":
            return kind, await c.get(f"/api/v1/pools/{POOL}/ledger/balances",
                                     headers=who.bearer), (200,)
        if kind == "api period":
            return kind, await c.get(f"/api/v1/pools/{POOL}/period", headers=who.bearer), (200,)
        if kind == "form offer":
            data = {"hours": str(rng.randint(1, 6)), "min_weight": f"{rng.uniform(0.8, 2):.2f}",
                    "csrf_token": who.csrf}
            return kind, await c.post(f"/pools/{POOL}/offers/{rng.choice(self.tasks)}",
                                      data=data), (303,)
        if kind == "api wish":
            if len(who.wishes) >= 3:  # withdraw the oldest: the wishes stay few
                wish = who.wishes.popleft()
                return ("api withdraw wish",
                        await c.delete(f"/api/v1/pools/{POOL}/wishes/{wish}", headers=who.bearer),
                        (204,))
            wish = f"{who.name}-{secrets.token_hex(4)}"
            body = {"id": wish, "quantity": 1,
                    "alternatives": [{"good": rng.choice(self.goods), "max_cost": 3}]}
            answer = await c.post(f"/api/v1/pools/{POOL}/wishes", json=body, headers=who.bearer)
            if answer.status_code == 201:  # only then may it be withdrawn
                who.wishes.append(wish)
            return kind, answer, (201,)
        if kind == "api work log":
            pool = self.work_pool()
            answer = await c.post(f"/api/v1/pools/{pool}/work", headers=who.bearer,
                                  json={"task": rng.choice(self.tasks), "hours": 0.25})
            if answer.status_code == 201:
                self.pending_logs.append((pool, int(answer.json()["id"]), who.name))
            return kind, answer, (201,)
        if kind == "api confirm":
            if not self.pending_logs:
                return await self.send("api hints", who)
            pool, log_id, worker = self.pending_logs.popleft()
            # a coordinator accepts the work (it may be work the plan did not assign)
            by = self.by_name[COORDINATORS[0] if worker != COORDINATORS[0] else COORDINATORS[1]]
            return kind, await by.client.post(f"/api/v1/pools/{pool}/work/{log_id}/confirm",
                                              headers=by.bearer), (200,)
        raise ValueError(kind)


async def drive(host: str, server_pid: int, names: list[str], password: str,
                tasks: list[str], goods: list[str], rate: float, seconds: float,
                *, seed_: int = 0, max_in_flight: int = MAX_IN_FLIGHT,
                work: Sequence[str] = (WORK_POOL,), period_s: float = PERIOD_S,
                log: Callable[[str], None] = print) -> SoakResult:
    """Sign the members in, then send ``rate`` requests a second for ``seconds`` (no more
    than ``max_in_flight`` at once: a server that falls behind for a while, e.g. when
    something else takes the CPU, is not buried under requests it can no longer answer in
    time; the schedule catches up once it is back)."""
    result = SoakResult(rate, seconds, work_pools=len(work))
    members = await asyncio.gather(*(_sign_in(host, n, password) for n in names))
    by_coordinator = {m.name for m in members} >= set(COORDINATORS)
    assert by_coordinator, "the coordinators must be among the members"
    loop = asyncio.get_running_loop()
    mix = _Mix(list(members), tasks, goods, random.Random(seed_), work, period_s, loop.time)
    counts: Counter[str] = Counter()
    in_flight: set[asyncio.Task[None]] = set()

    async def one(kind: str, who: _Member) -> None:
        started = loop.time()
        try:
            named, answer, expected = await mix.send(kind, who)
        except httpx.HTTPError as error:
            result.errors += 1
            result.requests += 1
            counts[kind] += 1
            result.error_kinds[f"{kind}: {type(error).__name__}"] += 1
            if len(result.error_samples) < 20:
                result.error_samples.append(f"{kind}: {type(error).__name__} {error}")
            return
        took = (loop.time() - started) * 1000
        result.requests += 1
        counts[named] += 1
        result.latencies_ms.setdefault(named, []).append(took)
        if answer.status_code not in expected:
            result.errors += 1
            result.error_kinds[f"{named}: {answer.status_code}"] += 1
            if len(result.error_samples) < 20:
                result.error_samples.append(
                    f"{named} {answer.request.method} {answer.request.url.path}: "
                    f"{answer.status_code} {answer.text[:200]!r}")

    result.rss_mb.append((0.0, rss_mb(server_pid)))
    log(f"RSS at the start: {result.rss_mb[-1][1]:.1f} MB")
    total = int(rate * seconds)
    start = mix.started = loop.time()
    next_sample = SAMPLE_EVERY_S
    for i in range(total):
        at = start + i / rate
        delay = at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.1:
            result.late_starts += 1
        now = loop.time() - start
        if now >= next_sample:
            result.rss_mb.append((now, rss_mb(server_pid)))
            log(f"{now:6.0f} s: {result.requests:,} answered, {result.errors} errors, "
                f"{len(in_flight)} in flight, RSS {result.rss_mb[-1][1]:.1f} MB")
            next_sample += SAMPLE_EVERY_S
        if len(in_flight) >= max_in_flight:  # the schedule waits; it catches up after
            result.capped += 1
            await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        job = asyncio.create_task(one(*mix.pick()))
        in_flight.add(job)
        job.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.wait(in_flight, timeout=TIMEOUT_S + 5)
    # the pending logs confirmed too, so the settlement credits all the work
    while mix.pending_logs:
        await one("api confirm", members[0])
    result.elapsed_s = loop.time() - start
    result.rss_mb.append((result.elapsed_s, rss_mb(server_pid)))
    log(f"RSS at the end: {result.rss_mb[-1][1]:.1f} MB")
    await asyncio.gather(*(m.client.aclose() for m in members))
    return result


def run_soak(url: str, *, rate: float, seconds: float, members: int = 20, workers: int = 1,
             period_s: float = PERIOD_S, log: Callable[[str], None] = print) -> SoakResult:
    """Seed the pools on the database at ``url``, serve it, drive the load, settle and sum
    the books: what the run measured."""
    password = secrets.token_urlsafe(12)
    started = time.perf_counter()
    # one store for the seeding and the settling: opened (and its schema checked) once
    with open_store(url) as store:
        return _run_soak(store, url, password, started, rate=rate, seconds=seconds,
                         members=members, workers=workers, period_s=period_s, log=log)


def _run_soak(store: SqlStore, url: str, password: str, started: float, *, rate: float,
              seconds: float, members: int, workers: int, period_s: float,
              log: Callable[[str], None]) -> SoakResult:
    work = work_pools(seconds, period_s)
    tasks = seed(store, members, password, work)
    scenario = load_scenario(members)
    goods = [g["id"] for g in scenario["goods"]]
    names = [p["id"] for p in scenario["participants"]]
    log(f"seeded pool {POOL!r} and {len(work)} work pool(s) ({WORK_POOL!r}...): {members} "
        f"members ({time.perf_counter() - started:.1f} s)")
    env = {**os.environ, "PEERCONOMY_SECRET_KEY": secrets.token_urlsafe(32)}
    with serving(url, env, workers) as (host, pid):
        log(f"driving {rate:g} requests/s for {seconds:g} s against {host} "
            f"(peerconomy serve --workers {workers})")
        result = asyncio.run(drive(host, pid, names, password, tasks, goods, rate, seconds,
                                   work=work, period_s=period_s, log=log))
    result.ledger_sums, result.transactions = settle_and_sum(store, work)
    return result


# --- the report ----------------------------------------------------------------------------

def report(result: SoakResult, title: str) -> str:
    """The table of a run, as plain text."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in ("requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(column, justify="right")
    table.add_column("", justify="left")
    table.columns.insert(0, table.columns.pop())
    for kind in sorted(result.latencies_ms):
        count = len(result.latencies_ms[kind])
        p50, p95, p99 = result.percentiles(kind)
        table.add_row(kind, f"{count:,}", "", f"{count / result.elapsed_s:.1f}",
                      f"{p50:.0f}", f"{p95:.0f}", f"{p99:.0f}")
    table.add_section()
    p50, p95, p99 = result.percentiles()
    table.add_row("all", f"{result.requests:,}", str(result.errors),
                  f"{result.achieved_rate:.1f}", f"{p50:.0f}", f"{p95:.0f}", f"{p99:.0f}")
    rss = [mb for _, mb in result.rss_mb]
    console = Console(record=True, width=100)
    console.print(table)
    warmed = result.warmed_rss_mb
    console.print(f"RSS: start {rss[0]:.1f} MB, after the warm-up "
                  + (f"{warmed:.1f} MB" if warmed is not None else "-")
                  + f", end {rss[-1]:.1f} MB, max {max(rss):.1f} MB "
                  f"(samples: {', '.join(f'{mb:.0f}' for mb in rss)})")
    work = [total for pool, total in result.ledger_sums.items() if pool != POOL]
    console.print(f"ledger: {result.transactions} transactions, sum of postings "
                  f"{POOL} {result.ledger_sums.get(POOL)}, "
                  f"{len(work)} work pool(s) {sum(work, Decimal(0))} "
                  f"(each: {'zero' if all(t == 0 for t in work) else 'NOT zero'})")
    console.print(f"late starts (over 100 ms behind schedule): {result.late_starts}, "
                  f"of which {result.capped} waited for one of {MAX_IN_FLIGHT} requests in"
                  " flight")
    for kind, count in result.error_kinds.most_common():
        console.print(f"errors: {count} x {kind}")
    for sample in result.error_samples:
        console.print(f"error: {sample}")
    checks = [(f"errors {result.errors} = 0", result.errors == 0),
              ("the ledger balances", result.balanced)]
    flat = result.memory_flat
    if flat is not None and warmed is not None:
        checks.append((f"memory flat: end {rss[-1]:.1f} MB within {FLAT:.0%} of "
                       f"{warmed:.1f} MB after the warm-up", flat))
    for text, ok in checks:
        console.print(("met    " if ok else "MISSED ") + text)
    return console.export_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--period-seconds", type=float, default=PERIOD_S,
                        help="how long work is logged in one work pool before the next")
    parser.add_argument("--postgres", default=os.environ.get(
        "PEERCONOMY_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--sqlite", default=None, help="a SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    kwargs: dict[str, Any] = {"rate": args.rate, "seconds": args.seconds,
                              "members": args.members, "workers": args.workers,
                              "period_s": args.period_seconds}
    if args.sqlite:
        result = run_soak(f"sqlite:///{args.sqlite}", **kwargs)
        where = "SQLite"
    else:
        with fresh_postgres_database(args.postgres) as url:
            result = run_soak(url, **kwargs)
        where = "PostgreSQL"
    report(result, f"soak: peerconomy serve on {where}, {args.rate:g} req/s for "
                   f"{args.seconds:g} s, {args.workers} worker(s)")
    sys.exit(0 if result.errors == 0 and result.balanced and result.memory_flat is not False
             else 1)


if __name__ == "__main__":
    main()
