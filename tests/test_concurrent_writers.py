"""Fifty members write at once to ``peerconomy serve`` (two workers), on SQLite and on
PostgreSQL: offers and wishes into a collecting period, work logs into a cleared one, while
a coordinator clears the collecting period in the middle. Each work log is sent twice at
once under one ``Idempotency-Key``, as a client retrying on a broken connection would. No
write that was answered as stored is lost, none is stored twice (a retried work log is
answered with the first one's answer, or 409 while that one runs), every write the clear
overtook is refused as such (409, nothing stored), no answer is a server error, and the
books balance afterwards.

The server and the seeded pools are those of the soak (``benchmarks/soak.py``): ``soak``
collects period 2, ``soakwork`` has period 1 cleared.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from load import DEFAULT_POSTGRES, serving
from peerconomy.services.periods import input_hash, period_scenario
from peerconomy.store.sql import SqlStore, open_store
from postgres_url import POSTGRESQL
from soak import (
    COORDINATORS,
    POOL,
    WORK_POOL,
    _sign_in,
    fresh_postgres_database,
    load_scenario,
    seed,
    settle_and_sum,
)

WRITERS = 50
WISHES, OFFERS, LOGS = 3, 2, 2  # per writer


@pytest.fixture(params=["sqlite", POSTGRESQL])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'writers.db'}"
    else:
        with fresh_postgres_database(DEFAULT_POSTGRES) as url:
            yield url


@dataclass
class Answers:
    """What the server said to each write: stored, refused because the period was cleared,
    or anything else (a failure)."""

    wishes: dict[str, int] = field(default_factory=dict)  # wish id -> status
    offers: dict[tuple[str, str], int] = field(default_factory=dict)  # (member, task) -> status
    logs: list[list[tuple[int, int | None, bool]]] = field(default_factory=list)
    """Each work log and its retry: (status, log id, whether the answer was replayed)."""
    clear: int | None = None


async def _write(host: str, names: list[str], password: str, tasks: list[str],
                 goods: list[str]) -> Answers:
    members = await asyncio.gather(*(_sign_in(host, n, password) for n in names))
    answers = Answers()
    half = asyncio.Event()
    done = 0
    total = len(members) * (WISHES + OFFERS + LOGS)

    async def wrote() -> None:
        nonlocal done
        done += 1
        if done >= total // 2:
            half.set()

    async def writer(i: int) -> None:
        who = members[i]
        for k in range(max(WISHES, OFFERS, LOGS)):
            if k < WISHES:
                wish = f"{who.name}-w{k}"
                answer = await who.client.post(
                    f"/api/v1/pools/{POOL}/wishes", headers=who.bearer,
                    json={"id": wish, "alternatives": [{"good": goods[(i + k) % len(goods)]}]})
                answers.wishes[wish] = answer.status_code
                await wrote()
            if k < OFFERS:
                task = tasks[(i + k) % len(tasks)]
                answer = await who.client.put(
                    f"/api/v1/pools/{POOL}/offers/{task}", headers=who.bearer,
                    json={"hours": 2, "min_weight": 1.0})
                answers.offers[who.name, task] = answer.status_code
                await wrote()
            if k < LOGS:
                keyed = {**who.bearer, "Idempotency-Key": f"{who.name}-log{k}"}
                sent = await asyncio.gather(*(who.client.post(
                    f"/api/v1/pools/{WORK_POOL}/work", headers=keyed,
                    json={"task": tasks[(i + k) % len(tasks)], "hours": 0.5})
                    for _ in range(2)))
                answers.logs.append([
                    (a.status_code, a.json().get("id") if a.status_code == 201 else None,
                     a.headers.get("Idempotent-Replayed") == "true")
                    for a in sent
                ])
                await wrote()

    async def clear_in_the_middle() -> None:
        await half.wait()
        coordinator = next(m for m in members if m.name == COORDINATORS[0])
        answer = await coordinator.client.post(f"/api/v1/pools/{POOL}/period/clear",
                                               headers=coordinator.bearer)
        answers.clear = answer.status_code

    try:
        await asyncio.gather(clear_in_the_middle(), *(writer(i) for i in range(len(members))))
    finally:
        await asyncio.gather(*(m.client.aclose() for m in members))
    return answers


def test_fifty_writers_and_a_clear_lose_nothing_and_post_nothing_twice(database: str) -> None:
    password = secrets.token_urlsafe(12)
    with open_store(database) as store:
        tasks = seed(store, WRITERS, password)
        before = _stored(store)
    scenario = load_scenario(WRITERS)
    names = [p["id"] for p in scenario["participants"]][:WRITERS]
    goods = [g["id"] for g in scenario["goods"]]
    env = {**os.environ, "PEERCONOMY_SECRET_KEY": secrets.token_urlsafe(32)}
    with serving(database, env, workers=2) as (host, _):
        answers = asyncio.run(_write(host, names, password, tasks, goods))
    with open_store(database) as store:
        after = _stored(store)
        sums, _ = settle_and_sum(store)

    assert answers.clear == 200
    statuses = [*answers.wishes.values(), *answers.offers.values(),
                *(status for pair in answers.logs for status, _, _ in pair)]
    assert all(s in (200, 201, 409) for s in statuses), sorted(set(statuses))
    fresh = []
    for pair in answers.logs:  # the cleared period takes work, once per key
        done = [log for status, log, replayed in pair if status == 201 and not replayed]
        assert len(done) == 1, pair
        fresh.extend(done)
        assert all(log == done[0] or (status, log) == (409, None)
                   for status, log, _ in pair), pair
    assert 409 in statuses and (200 in statuses or 201 in statuses)  # the clear fell in between

    stored_wishes = [w for w in after.wishes if w not in before.wishes]
    assert sorted(stored_wishes) == sorted(w for w, s in answers.wishes.items() if s == 201)
    assert len(set(stored_wishes)) == len(stored_wishes)  # none twice
    for (member, task), status in answers.offers.items():
        offered = after.offers.get((member, task))
        if status == 200:
            assert offered == 2.0, (member, task)
        else:  # refused after the clear: the offer stands as it was before
            assert offered == before.offers.get((member, task)), (member, task)
    # the plan was cleared from exactly the offers and wishes on record: none slipped in
    assert after.plan_matches_record
    assert sorted(after.logs - before.logs) == sorted(fresh)  # every log once, none lost

    assert all(total == Decimal(0) for total in sums.values()), sums


@dataclass(frozen=True)
class Stored:
    wishes: list[str]
    offers: dict[tuple[str, str], float]
    logs: set[int]
    plan_matches_record: bool  # the plan's input hash is the hash of the period's scenario


def _stored(store: SqlStore) -> Stored:
    """What the store holds of period 2 of ``soak`` and of ``soakwork``'s work logs."""
    uow = store.unit_of_work()
    with uow:
        period = uow.periods.latest(POOL)
        assert period is not None
        plan = uow.periods.plan(POOL, period.number)
        matches = plan is not None and plan.input_hash == input_hash(
            period_scenario(uow, period))
        work_period = uow.periods.latest(WORK_POOL)
        assert work_period is not None
        return Stored(
            wishes=[w.id for w in uow.periods.wishes(POOL, period.number)],
            offers={(o.participant, o.task): o.hours
                    for o in uow.periods.offers(POOL, period.number)},
            logs={log.id for log in uow.periods.work_logs(WORK_POOL, work_period.number)},
            plan_matches_record=matches,
        )
