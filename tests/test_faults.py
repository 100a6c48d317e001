"""``kill -9`` of ``peerconomy serve`` while it clears or settles a period, then a restart:
the period is wholly in its old state or wholly in its new one, and the books balance.

The database holds four copies of one pool (an orchard of a thousand members, five thousand
offers and wishes), restored (``peerconomy.store.backup``) at the stage before the step: big
enough that a clear over the API takes about a second and a settle a few tenths, without a
sleep anywhere in the server. The server first takes the step in the first pool undisturbed
(timing it), then is killed during the step in each of the others:

- twice at moments spread over the undisturbed step's duration;
- once as soon as the step writes. On PostgreSQL that is when it has written rows but not
  yet committed: the test watches ``pg_locks`` for the server's connection (named by its
  ``application_name``) holding a write lock on ``plans`` (clear) or ``postings`` (settle).
  On SQLite, whose transaction keeps its pages in memory until it commits, it is when the
  write-ahead log file changes: during or just after the commit.

After each kill the server is started again on the database. The pool's rows must then equal
its rows before the step or after it (less the clock: ``plans.cleared_at``,
``transactions.date``), every transaction's postings sum to zero, and so do all of them; a
step the server had answered must be kept. The restarted server reports the period in the
state the database holds, and where the step had not happened it takes it, to the result an
undisturbed run gives; at the end the whole database backs up as the services' own run does.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import psycopg
import pytest
import sqlalchemy as sa

from peerconomy.domain.scenario import parse_scenario
from peerconomy.services import accounts, membership, periods, pools, work
from peerconomy.store.backup import backup, restore
from peerconomy.store.sql import create_engine_for, open_store, scoped_schema
from peerconomy.store.tables import metadata
from postgres_url import POSTGRES_URL, POSTGRESQL

COORDINATOR = "p0000"
STARTUP_SECONDS = 30
KILL_AT = {"sqlite": (0.3, 0.7), "postgresql": (0.4, 0.8)}
"""When to kill, as fractions of the time the step took a server just started."""

Document = dict[str, Any]


def orchard(people: int = 1000, seed: int = 0) -> dict[str, Any]:
    """A pool of ``people`` members in 10 projects with 50 tasks and 100 goods; each member
    offers work on 5 tasks and makes 5 wishes (seeded, the same every time)."""
    rng = np.random.default_rng(seed)
    projects = [f"project{j}" for j in range(10)]
    tasks = [f"t{t:02d}" for t in range(50)]
    models = ("effort", "effort", "flat_allocation", "auction")
    goods = []
    for g in range(100):
        own = [t for i, t in enumerate(tasks) if i % 10 == g % 10]
        model = models[g % 4]
        goods.append({
            "id": f"g{g:03d}", "project": projects[g % 10], "model": model,
            "capacity": int(rng.integers(2, 8) if model == "auction" else rng.integers(30, 90)),
            "recipe": {t: float(np.round(rng.uniform(0.2, 1.5), 2))
                       for t in rng.choice(own, size=2, replace=False)},
        })
    members = [f"p{i:04d}" for i in range(people)]
    offers, wishes = [], []
    for i, who in enumerate(members):
        for t in rng.choice(len(tasks), size=5, replace=False):
            offers.append({"participant": who, "task": tasks[t], "hours": int(rng.integers(1, 6)),
                           "min_weight": float(np.round(rng.uniform(0.5, 2.5), 2))})
        for k, g in enumerate(rng.choice(len(goods), size=5, replace=False)):
            alternative: dict[str, Any] = {"good": goods[g]["id"]}
            if goods[g]["model"] == "auction":
                alternative["max_cost"] = float(np.round(rng.uniform(1, 6), 2))
            wishes.append({"participant": who, "id": f"w{i:04d}-{k}",
                           "alternatives": [alternative]})
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": 5.0, "seed": seed},
        "participants": [{"id": p, "capacity": int(rng.integers(5, 30))} for p in members],
        "projects": [{"id": p} for p in projects],
        "tasks": [{"id": t, "project": projects[i % 10]} for i, t in enumerate(tasks)],
        "goods": goods,
        "offers": offers,
        "wishes": wishes,
    }


# --- databases and servers -----------------------------------------------------------------


@contextmanager
def databases(kind: str, folder: Path) -> Iterator[Callable[[str], str]]:
    """Make new, empty databases, each named for the connections' ``application_name``:
    SQLite files in ``folder``, or PostgreSQL schemas dropped at the end."""
    with ExitStack() as stack:

        def make(name: str) -> str:
            if kind == "sqlite":
                return f"sqlite:///{folder / f'{name}.sqlite3'}"
            url = stack.enter_context(scoped_schema(POSTGRES_URL, "peerconomy_faults"))
            return f"{url}&application_name={quote(name)}"

        yield make


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Answer:
    status_code: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class Server:
    """``peerconomy serve`` in a process of its own."""

    process: subprocess.Popen[bytes]
    url: str
    headers: dict[str, str]
    log: Path

    @classmethod
    def launch(cls, db: str, token: str, folder: Path) -> Server:
        """Start the server; :meth:`wait` until it answers."""
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PEERCONOMY_")}
        env.update(XDG_DATA_HOME=str(folder), PEERCONOMY_SECRET_KEY="fault test key",
                   PYTHONUNBUFFERED="1")
        log = folder / f"server-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "peerconomy", "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--db", db],
                env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        return cls(process, f"http://127.0.0.1:{port}/api/v1/pools/",
                   {"Authorization": f"Bearer {token}"}, log)

    @classmethod
    def start(cls, db: str, token: str, folder: Path) -> Server:
        """Start the server and wait until it answers."""
        server = cls.launch(db, token, folder)
        server.wait()
        return server

    def wait(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if self.get(POOLS[0], "/period").status_code == 200:
                    return
            except (OSError, HTTPException):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"peerconomy serve did not start: {self.log.read_text()[-3000:]}")
            time.sleep(0.05)

    def get(self, pool: str, path: str) -> Answer:
        return self.call("GET", pool + path)

    def post(self, pool: str, path: str) -> Answer:
        return self.call("POST", pool + path)

    def call(self, method: str, path: str) -> Answer:
        """The server's answer; OSError (a ConnectionError, a URLError) where none came."""
        request = urllib.request.Request(self.url + path, method=method, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as refused:
            return Answer(refused.code, refused.read().decode())

    def kill(self) -> None:
        """``kill -9``: no cleanup of any kind in the server."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def request_in_background(
    server: Server, pool: str, path: str, answers: list[Answer]
) -> Iterator[Callable[[], float]]:
    """POST ``path`` in a thread, its answer (if one comes before the server is killed)
    appended to ``answers``; yields a clock of the seconds since the request was sent."""
    sent = time.monotonic()

    def send() -> None:
        with suppress(OSError, HTTPException):  # killed: no answer
            answers.append(server.post(pool, path))

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    try:
        yield lambda: time.monotonic() - sent
    finally:
        thread.join(timeout=60)


# --- the pools' stages --------------------------------------------------------------------


def comparable(document: Document) -> Document:
    """A backup less what depends on the clock: when a plan was made, the date of an entry."""
    tables = dict(document["tables"])
    for table, column in CLOCK:
        tables[table] = [{k: v for k, v in row.items() if k != column} for row in tables[table]]
    return {**document, "tables": tables}


CLOCK = (("plans", "cleared_at"), ("transactions", "date"), ("audit_log", "at"),
         ("audit_log", "id"), *(("outbox", column) for column in (
             "id", "created_at", "next_try_at", "tries", "sent_at", "failed_at", "last_error",
             "notice")))
"""Columns that hold the time a step ran (and the audit entry's or queued mail's number: on
PostgreSQL a step killed before its commit has used up a number of the sequence), and how
the sending of queued mail went (the server's mail thread changes it on its own; which mail
a step queued, to whom, stays compared)."""

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(db: str, pool: str) -> Snapshot:
    """Every row of one pool (less the clock's columns), table by table, in key order; and the
    rows of the tables no pool owns (accounts)."""
    engine = create_engine_for(db)
    try:
        with engine.connect() as connection:
            taken: Snapshot = {}
            for table in metadata.sorted_tables:
                columns = [c for c in table.columns if (table.name, c.name) not in CLOCK]
                query = sa.select(*columns).order_by(*table.primary_key.columns)
                owner = table.c.get("pool", table.c.name if table.name == "pools" else None)
                if owner is not None:
                    query = query.where(owner == pool)
                taken[table.name] = [tuple(row) for row in connection.execute(query)]
            return taken
    finally:
        engine.dispose()


def assert_books_balance(db: str) -> None:
    """Every transaction's postings sum to zero, and so do all of them (each pool's and all
    pools' together)."""
    engine = create_engine_for(db)
    postings = metadata.tables["postings"]
    try:
        with engine.connect() as connection:
            total = sa.func.sum(postings.c.amount)
            unbalanced = connection.execute(
                sa.select(postings.c.pool, postings.c.transaction_id, total)
                .group_by(postings.c.pool, postings.c.transaction_id)
                .having(total != Decimal(0))
            ).all()
            overall = connection.execute(sa.select(total)).scalar()
    finally:
        engine.dispose()
    assert unbalanced == []
    assert overall in (None, Decimal(0))


@dataclass
class Stages:
    """The pools' first period, backed up at each stage (period 1 collecting, cleared, with
    confirmed work, settled), with each pool's rows at each stage."""

    backups: dict[str, Document]
    pools: dict[str, dict[str, Snapshot]]
    """Stage, then pool: the pool's rows."""
    token: str
    """The coordinator's API token."""

    def around(self, step: str) -> tuple[str, str]:
        """The stages before and after ``step``."""
        return ("collecting", "cleared") if step == "clear" else ("worked", "settled")


@pytest.fixture(scope="module", params=["sqlite", POSTGRESQL])
def kind(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


POOLS = [f"orchard{k}" for k in range(4)]
"""The same orchard, four times: one pool for an undisturbed step, three to kill it in."""


@pytest.fixture(scope="module")
def stages(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Stages:
    """The orchards run through their first period by the services, each stage backed up."""
    with databases(kind, tmp_path_factory.mktemp("stages")) as make:
        url = make("stages")
        store = open_store(url)
        backups: dict[str, Document] = {}
        rows: dict[str, dict[str, Snapshot]] = {}

        def keep(stage: str) -> None:
            backups[stage] = backup(url)
            rows[stage] = {pool: snapshot(url, pool) for pool in POOLS}

        try:
            uow = store.unit_of_work
            scenario = parse_scenario(orchard())
            accounts.sign_up(uow(), COORDINATOR, "p0000@orchard.example", "apples and pears",
                             mode="open")
            _, token = accounts.issue_token(uow(), COORDINATOR, "faults")
            for pool in POOLS:
                pools.import_scenario(uow(), pool, scenario, coordinators=[COORDINATOR])
                membership.link_member(uow(), pool, COORDINATOR, COORDINATOR)
            keep("collecting")
            for pool in POOLS:
                plan = periods.clear_period(uow(), pool, actor=COORDINATOR)
            keep("cleared")
            done = [work.DoneWork(a.participant, a.task, a.hours, COORDINATOR)
                    for a in plan.data.assignments[::3] if a.participant != COORDINATOR]
            for pool in POOLS:
                work.log_confirmed_work(uow(), pool, done)
            keep("worked")
            for pool in POOLS:
                periods.settle_period(uow(), pool, actor=COORDINATOR)
            keep("settled")
        finally:
            store.close()
    return Stages(backups, rows, token)


# --- the tests -----------------------------------------------------------------------------


def holds_write_lock(db: str, table: str) -> Iterator[Callable[[], bool]]:
    """Whether the server's connection (named in ``db``) holds a write lock on ``table``: it
    has written rows there in a transaction not yet ended (PostgreSQL)."""
    name = db.rsplit("application_name=", 1)[1]
    schema = db.split("search_path%3D", 1)[1].split("&", 1)[0]
    query = (
        "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE a.application_name = %s AND l.mode = 'RowExclusiveLock'"
        " AND l.relation = to_regclass(%s)"
    )
    with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as watcher:
        yield lambda: watcher.execute(query, (name, f"{schema}.{table}")).fetchone() is not None


def writes_log(db: str, _table: str) -> Iterator[Callable[[], bool]]:
    """Whether the SQLite file's write-ahead log has changed: the step writes its pages there
    (when it commits, or before if they overflow the page cache)."""
    log = Path(db.removeprefix("sqlite:///") + "-wal")

    def seen() -> tuple[int, int]:
        try:
            found = log.stat()
        except FileNotFoundError:  # no connection open
            return -1, -1
        return found.st_size, found.st_mtime_ns

    first = seen()
    yield lambda: seen() != first


@dataclass
class Kill:
    """When to kill the server: so many seconds into the request, or as soon as it writes
    (PostgreSQL: its connection holds a write lock on ``written_table``; SQLite: the
    write-ahead log changes)."""

    after_seconds: float = 0.0
    written_table: str | None = None

    def __str__(self) -> str:
        return f"writing {self.written_table}" if self.written_table else (
            f"{self.after_seconds:.2f} s"
        )


def kill_during(step: str, server: Server, db: str, pool: str, kill: Kill) -> Answer | None:
    """Ask the server for ``step`` in ``pool`` and ``kill -9`` it at the moment ``kill``
    names; return the server's answer if it came before."""
    answers: list[Answer] = []
    watching = holds_write_lock if db.startswith("postgresql") else writes_log
    with ExitStack() as stack:
        watch = (stack.enter_context(contextmanager(watching)(db, kill.written_table))
                 if kill.written_table else None)
        clock = stack.enter_context(
            request_in_background(server, pool, f"/period/{step}", answers)
        )
        if watch is not None:
            while not watch():
                assert clock() < 30, "the step never wrote"
        else:
            while clock() < kill.after_seconds:
                time.sleep(0.001)
        server.kill()
    return answers[0] if answers else None


EXPECTED = {
    ("clear", "old"): (1, "collecting"), ("clear", "new"): (1, "cleared"),
    ("settle", "old"): (1, "cleared"), ("settle", "new"): (2, "collecting"),
}
"""The period a restarted server reports, by step and the state the pool was found in."""


@pytest.mark.parametrize("step", ["clear", "settle"])
def test_a_server_killed_during_a_step_leaves_the_period_whole(
    step: str, kind: str, stages: Stages, tmp_path: Path
) -> None:
    before, after = stages.around(step)
    with databases(kind, tmp_path) as make:
        db = make(f"fault_{uuid.uuid4().hex}")
        restore(db, stages.backups[before])
        server = Server.start(db, stages.token, tmp_path)
        try:
            # the first pool, undisturbed: how long the step takes a server just started (the
            # next pools' steps are killed a fraction of that into the request, each in the
            # server started again after the last kill)
            started = time.monotonic()
            answer = server.post(POOLS[0], f"/period/{step}")
            seconds = time.monotonic() - started
            assert answer.status_code == 200, answer.text
            kills = [Kill(after_seconds=fraction * seconds) for fraction in KILL_AT[kind]]
            kills.append(Kill(written_table="plans" if step == "clear" else "postings"))

            outcomes = []
            for pool, kill in zip(POOLS[1:], kills, strict=True):
                answered = kill_during(step, server, db, pool, kill)
                server = Server.start(db, stages.token, tmp_path)  # started again

                found = snapshot(db, pool)
                assert found in (stages.pools[before][pool], stages.pools[after][pool]), (
                    f"killed during {step} ({kill}), {pool} is neither as before nor as after it"
                )
                assert_books_balance(db)
                outcome = "old" if found == stages.pools[before][pool] else "new"
                outcomes.append(outcome)
                if answered is not None:  # the server answers only once the step is kept
                    assert (answered.status_code, outcome) == (200, "new"), answered.text
                period = server.get(pool, "/period").json()
                assert (period["number"], period["state"]) == EXPECTED[step, outcome]
                if outcome == "old":  # the restarted server takes the step as if nothing was
                    answer = server.post(pool, f"/period/{step}")
                    assert answer.status_code == 200, answer.text
                assert snapshot(db, pool) == stages.pools[after][pool]
        finally:
            server.stop()

        assert comparable(backup(db)) == comparable(stages.backups[after])
        assert_books_balance(db)
    print(f"{step} on {kind}: {seconds:.2f} s undisturbed; killed at"
          f" {[str(k) for k in kills]}, found {outcomes}")
