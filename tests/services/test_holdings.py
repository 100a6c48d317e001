"""Goods that last, in a running pool, on every store (memory, SQLite, PostgreSQL): the seaside
flats with a tenure of 3 periods. Period 1 auctions them (ana wins sea-view B, ben sea-view A,
dario the garden flat); periods 2 and 3 they are held, not auctioned, and their holders pay
upkeep and the locked premium; after period 3 they go back to the auction, where the waiting
chiara and emil, whose wishes stood all along, get their turn."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from peerconomy.domain.holding import Holding
from peerconomy.domain.scenario import parse_scenario
from peerconomy.services import holdings, periods
from peerconomy.services.errors import ConflictError, NotFoundError
from peerconomy.services.pools import import_scenario
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import open_store, scoped_schema
from postgres_url import POSTGRES_URL, POSTGRESQL

EXAMPLES = Path(__file__).parents[2] / "examples"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
POOL = "seaside"


def seaside(tenure: int = 3) -> dict[str, Any]:
    scenario: dict[str, Any] = json.loads((EXAMPLES / "seaside_flats.json").read_text())
    for good in scenario["goods"]:
        good["tenure"] = tenure
    return scenario


@pytest.fixture(params=["memory", "sqlite", POSTGRESQL])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    """The seaside flats (tenure 3) as a pool, collecting period 1, on each kind of store."""
    if request.param == "memory":
        store: Any = MemoryStore()
        import_scenario(store.unit_of_work(), POOL, parse_scenario(seaside()),
                        coordinators=["ana"])
        yield store.unit_of_work()
        return
    sqlite = nullcontext(f"sqlite:///{tmp_path / 'peerconomy.sqlite3'}")
    with (scoped_schema(POSTGRES_URL, "peerconomy_test") if request.param == POSTGRESQL
          else sqlite) as url:
        store = open_store(url)
        try:
            import_scenario(store.unit_of_work(), POOL, parse_scenario(seaside()),
                            coordinators=["ana"])
            yield store.unit_of_work()
        finally:
            store.close()


def held(uow: UnitOfWork) -> list[tuple[str, str, float, int, int, bool]]:
    return [(h.participant, h.good, h.premium, h.won_in, h.periods_left, h.notice_given)
            for h in holdings.holdings_of(uow, POOL)]


def cycle(uow: UnitOfWork) -> Any:
    """Clear and settle the current period; return its plan."""
    plan = periods.clear_period(uow, POOL, now=NOW)
    periods.settle_period(uow, POOL, on=date(2026, 12, 7))
    return plan.data


def test_flats_are_held_for_their_tenure_then_auctioned_again(uow: UnitOfWork) -> None:
    first = cycle(uow)
    assert [(w.participant, w.good) for w in first.won] == [
        ("ana", "flat_b_seaview"), ("ben", "flat_a_seaview"), ("dario", "flat_c_garden")]
    assert held(uow) == [("ana", "flat_b_seaview", 12.0, 1, 2, False),
                         ("ben", "flat_a_seaview", 12.0, 1, 2, False),
                         ("dario", "flat_c_garden", 4.0, 1, 2, False)]
    with uow:  # the wishes that won were met: withdrawn, the others stand
        assert sorted(w.id for w in uow.periods.wishes(POOL, 2)) == ["chiara_flat", "emil_flat"]

    second = cycle(uow)  # held: nothing on offer
    assert second.allocations == () and second.won == ()
    assert [(h.participant, h.good, h.cost) for h in second.holdings] == [
        ("ana", "flat_b_seaview", 19.0), ("ben", "flat_a_seaview", 19.0),
        ("dario", "flat_c_garden", 10.0)]
    assert second.refunds == {p: 5.6 for p in ("ana", "ben", "chiara", "dario", "emil")}
    assert second.shares == pytest.approx(
        {"ana": 14.4, "ben": 14.4, "chiara": -4.6, "dario": 5.4, "emil": -4.6}, abs=1e-12)
    assert [left for *_, left, _ in held(uow)] == [1, 1, 1]

    third = cycle(uow)  # the last period held
    assert third.allocations == () and len(third.holdings) == 3
    assert held(uow) == []  # released

    fourth = periods.clear_period(uow, POOL, now=NOW).data  # auctioned again
    assert fourth.holdings == ()
    # emil would give 4 over the effort for either kind of flat; the auction's tie goes by lot
    assert {(a.participant, a.good) for a in fourth.allocations} == {
        ("chiara", "flat_b_seaview"), ("emil", "flat_a_seaview")}
    assert {(w.participant, w.good, w.tenure) for w in fourth.won} == {
        ("chiara", "flat_b_seaview", 3), ("emil", "flat_a_seaview", 3)}


def test_a_holder_who_gives_notice_holds_until_the_period_ends(uow: UnitOfWork) -> None:
    cycle(uow)
    ana = next(h for h in holdings.holdings_of(uow, POOL) if h.participant == "ana")

    given = holdings.give_notice(uow, POOL, ana.id, participant="ana", actor="ana")

    assert given.notice_given
    with pytest.raises(ConflictError, match="notice was given"):
        holdings.give_notice(uow, POOL, ana.id, participant="ana")
    second = cycle(uow)  # still held this period, and charged
    assert ("ana", "flat_b_seaview") in {(h.participant, h.good) for h in second.holdings}
    assert [p for p, *_ in held(uow)] == ["ben", "dario"]
    third = periods.clear_period(uow, POOL, now=NOW).data
    assert [(a.participant, a.good) for a in third.allocations] == [
        ("chiara", "flat_b_seaview")]


def test_only_the_holder_may_give_notice_as_a_member(uow: UnitOfWork) -> None:
    cycle(uow)
    ana = next(h for h in holdings.holdings_of(uow, POOL) if h.participant == "ana")
    with pytest.raises(NotFoundError):
        holdings.give_notice(uow, POOL, ana.id, participant="ben")
    with pytest.raises(NotFoundError):
        holdings.give_notice(uow, POOL, 10**19, participant="ana")
    assert not any(n for *_, n in held(uow))  # nothing changed


def test_reopening_leaves_the_holdings_as_they_were_and_the_same_plan_comes_back(
    uow: UnitOfWork,
) -> None:
    cycle(uow)
    before = holdings.holdings_of(uow, POOL)
    plan = periods.clear_period(uow, POOL, now=NOW)

    periods.reopen_period(uow, POOL, actor="ana")

    assert holdings.holdings_of(uow, POOL) == before
    again = periods.clear_period(uow, POOL, now=NOW)
    assert again.data == plan.data and again.input_hash == plan.input_hash


def test_a_scenario_s_holdings_are_imported_for_their_good_s_tenure() -> None:
    store = MemoryStore()
    scenario = seaside(tenure=12)
    scenario["holdings"] = [{"participant": "ben", "good": "flat_a_seaview", "premium": 12.0}]
    import_scenario(store.unit_of_work(), POOL, parse_scenario(scenario), coordinators=["ana"])

    assert holdings.holdings_of(store.unit_of_work(), POOL) == [
        Holding(POOL, 1, "ben", "flat_a_seaview", 1, 12.0, won_in=0, periods_left=12)]


def test_an_erased_holder_is_renamed_in_the_holdings_and_the_plans(uow: UnitOfWork) -> None:
    cycle(uow)
    periods.clear_period(uow, POOL, now=NOW)
    with uow:
        uow.pools.rename_participant(POOL, "ana", "gone-0123abcd")
        uow.commit()

    assert [p for p, *_ in held(uow)] == ["gone-0123abcd", "ben", "dario"]
    with uow:
        first, second = uow.periods.plan(POOL, 1), uow.periods.plan(POOL, 2)
    assert first is not None and second is not None
    assert first.data.won[0].participant == "gone-0123abcd"
    assert second.data.holdings[0].participant == "gone-0123abcd"
    assert "ana" not in second.data.refunds and "gone-0123abcd" in second.data.refunds


def test_a_backup_keeps_the_holdings(tmp_path: Path) -> None:
    from peerconomy.store.backup import backup, restore

    url = f"sqlite:///{tmp_path / 'pool.sqlite3'}"
    store = open_store(url)
    try:
        import_scenario(store.unit_of_work(), POOL, parse_scenario(seaside()),
                        coordinators=["ana"])
        cycle(store.unit_of_work())
        holdings.give_notice(store.unit_of_work(), POOL, 2)
        before = holdings.holdings_of(store.unit_of_work(), POOL)
    finally:
        store.close()
    document = backup(url)
    copy = f"sqlite:///{tmp_path / 'copy.sqlite3'}"

    restore(copy, json.loads(json.dumps(document)))

    assert len(document["tables"]["holdings"]) == 3
    restored = open_store(copy)
    try:
        assert holdings.holdings_of(restored.unit_of_work(), POOL) == before
    finally:
        restored.close()


def test_a_good_s_capacity_cannot_fall_below_what_is_held(uow: UnitOfWork) -> None:
    from peerconomy.services import projects
    from peerconomy.services.errors import InputError

    cycle(uow)
    with pytest.raises(InputError) as refused:
        projects.plan_production(uow, POOL, "flat_c_garden", 0)

    assert (refused.value.path, refused.value.reason) == (
        "capacity", "must be at least 1, the units of 'flat_c_garden' held, got 0")
    with uow:
        assert next(g for g in uow.pools.goods(POOL) if g.id == "flat_c_garden").capacity == 1
    projects.plan_production(uow, POOL, "flat_c_garden", 2)  # more is fine
