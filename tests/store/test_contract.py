"""The store contract: what every adapter of :mod:`peerconomy.services.ports` does alike.

Each test runs on the in-memory reference store and on the SQL store with SQLite and with
PostgreSQL (see ``conftest.py``), so the SQL store is held to behave exactly as the reference
one: same records back, same order, same refusals, same transactions.

The pool in most tests is the bike workshop: ana (a coordinator, 40 h), ben (no limit) and
cleo (exempt) build bikes and mend them; bikes and cargo bikes are bicycles.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import ClearedPlan, TaskAssignment
from peerconomy.domain.pool import (
    Assignment,
    Member,
    Period,
    Plan,
    Pool,
    PoolProject,
    PoolSettings,
    WorkLog,
)
from peerconomy.domain.scenario import Alternative, Good, Offer, Task, Wish
from peerconomy.ledger.journal import POOL, Posting, Transaction, participant_account, reversal
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore

Store = MemoryStore | SqlStore

WORKSHOP = "workshop"
ANA, BEN, CLEO = participant_account("ana"), participant_account("ben"), participant_account("cleo")
NOV = date(2026, 11, 30)
CLEARED_AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

MEMBERS = [
    Member("ana", 40.0, role="coordinator"),
    Member("ben", None),
    Member("cleo", 0.0, exempt=True),
]
TASKS = [
    Task(id="assemble", project="bikes", fixed_hours=0.0),
    Task(id="weld", project="bikes", fixed_hours=1.5),
    Task(id="mend", project="repairs"),
]
GOODS = [
    Good(id="bike", project="bikes", model="auction", capacity=2,
         recipe={"weld": 1.0, "assemble": 2.0}, product_type="bicycle"),
    Good(id="cargo", project="bikes", model="effort", capacity=None,
         recipe={"assemble": 3.5}, product_type="bicycle"),
    Good(id="patch", project="repairs", model="flat_rate", recipe={}, limit=3),
]
OFFERS = [
    Offer(participant="ana", task="assemble", hours=10, min_weight=1.0),
    Offer(participant="ben", task="weld", hours=4.5, min_weight=1.25),
    Offer(participant="ben", task="assemble", hours=2, min_weight=0.5),
]
WISHES = [
    Wish(participant="ana", id="ana-bike",
         alternatives=[Alternative(good="bike", max_cost=8.0), Alternative(good="cargo")]),
    Wish(participant="cleo", id="cleo-any", quantity=2,
         alternatives=[Alternative(product_type="bicycle")]),
    Wish(participant="ben", id="ben-patch", alternatives=[Alternative(good="patch")]),
]
PLAN = ClearedPlan(
    weights={"assemble": 1.1, "weld": 0.1 + 0.2},
    assignments=(
        TaskAssignment("ana", "assemble", 6.0),
        TaskAssignment("ben", "weld", 2.5),
        TaskAssignment("ben", "assemble", 1 / 3),
    ),
    shares={"ana": 3.7, "ben": 2.2, "cleo": 0.0},
)


def workshop(uow: UnitOfWork) -> None:
    """Inside a transaction: the bike workshop with period 1 collecting its offers and wishes."""
    uow.pools.add(Pool(WORKSHOP, PoolSettings(max_weight=4.0, seed=7, communal_validation=False,
                                              admission="open", public=True)))
    uow.pools.put_project(WORKSHOP, PoolProject("bikes"))
    uow.pools.put_project(WORKSHOP, PoolProject("repairs", forked_from="bikes"))
    uow.pools.add_members(WORKSHOP, MEMBERS)
    uow.pools.add_tasks(WORKSHOP, TASKS)
    uow.pools.add_goods(WORKSHOP, GOODS)
    uow.periods.add(Period(WORKSHOP, 1, PeriodState.COLLECTING, {"weld": 1.5}))
    uow.periods.add_offers(WORKSHOP, 1, OFFERS)
    uow.periods.add_wishes(WORKSHOP, 1, WISHES)


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    """A unit of work on a store holding the bike workshop."""
    with store.unit_of_work() as setup:
        workshop(setup)
        setup.commit()
    return store.unit_of_work()


def shares_of_period_1() -> Transaction:
    return Transaction("period-1-shares", 1, NOV, "share", "shares of period 1", (
        Posting(ANA, Decimal("-3.700000")),
        Posting(BEN, Decimal("-2.200001")),
        Posting(POOL, Decimal("5.900001")),
    ))


# --- pools ----------------------------------------------------------------------------------


def test_a_pool_comes_back_with_its_settings(uow: UnitOfWork) -> None:
    with uow:
        assert uow.pools.get(WORKSHOP) == Pool(WORKSHOP, PoolSettings(4.0, 7, False, "open", True))
        assert uow.pools.lock(WORKSHOP) == uow.pools.get(WORKSHOP)
        assert uow.pools.get("bakery") is None
        assert uow.pools.lock("bakery") is None
        uow.pools.add(Pool("bakery"))
        uow.commit()
    with uow:
        bakery = uow.pools.get("bakery")
        assert bakery == Pool("bakery", PoolSettings())
        assert bakery is not None
        assert (bakery.settings.admission, bakery.settings.public) == ("approval", False)


def test_pool_names_are_sorted(store: Store) -> None:
    with store.unit_of_work() as uow:
        for name in ("workshop", "Bakery", "farm", "ärzte", "bakery"):
            uow.pools.add(Pool(name))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.pools.names() == sorted(["workshop", "Bakery", "farm", "ärzte", "bakery"])


def test_members_tasks_and_goods_come_back_as_added(uow: UnitOfWork) -> None:
    with uow:
        assert uow.pools.members(WORKSHOP) == MEMBERS
        assert [uow.pools.member(WORKSHOP, m.id) for m in MEMBERS] == MEMBERS
        assert uow.pools.member(WORKSHOP, "nobody") is None
        assert uow.pools.tasks(WORKSHOP) == TASKS
        assert uow.pools.goods(WORKSHOP) == GOODS
        assert uow.pools.projects(WORKSHOP) == [
            PoolProject("bikes"), PoolProject("repairs", forked_from="bikes")
        ]


def test_no_capacity_stays_no_capacity(uow: UnitOfWork) -> None:
    with uow:
        ben = next(m for m in uow.pools.members(WORKSHOP) if m.id == "ben")
        cargo = next(g for g in uow.pools.goods(WORKSHOP) if g.id == "cargo")
        assert ben.capacity is None and ben.as_participant().capacity is None
        assert cargo.capacity is None


def test_a_changed_member_or_project_keeps_its_place_and_a_new_one_goes_last(
    uow: UnitOfWork,
) -> None:
    with uow:
        uow.pools.put_member(WORKSHOP, Member("ana", 12.5, exempt=True, role="member"))
        uow.pools.put_member(WORKSHOP, Member("dora"))
        uow.pools.put_member(WORKSHOP, Member("ben", None, active=False))
        uow.pools.put_project(WORKSHOP, PoolProject("bikes", active=False))
        uow.pools.put_project(WORKSHOP, PoolProject("paint"))
        uow.commit()
    with uow:
        assert uow.pools.members(WORKSHOP) == [
            Member("ana", 12.5, exempt=True, role="member"),
            Member("ben", None, active=False),
            Member("cleo", 0.0, exempt=True),
            Member("dora"),
        ]
        assert [(p.id, p.active) for p in uow.pools.projects(WORKSHOP)] == [
            ("bikes", False), ("repairs", True), ("paint", True)
        ]


def test_versions_of_pools_members_and_projects_come_back_as_stored(uow: UnitOfWork) -> None:
    """What optimistic locking compares: each record's version, kept through every read."""
    with uow:
        pool = uow.pools.lock(WORKSHOP)
        assert pool is not None and pool.version == 1
        uow.pools.put_settings(Pool(WORKSHOP, replace(pool.settings, max_weight=9.0), 2))
        uow.pools.put_member(WORKSHOP, Member("ana", 12.5, role="coordinator", version=4,
                                              account="ana"))
        uow.pools.put_project(WORKSHOP, PoolProject("bikes", version=3))
        uow.commit()
    with uow:
        assert uow.pools.get(WORKSHOP) == Pool(
            WORKSHOP, PoolSettings(9.0, 7, False, "open", True), version=2
        )
        assert uow.pools.member(WORKSHOP, "ana") == Member(
            "ana", 12.5, role="coordinator", version=4, account="ana"
        )
        assert uow.pools.members(WORKSHOP)[0].version == 4
        assert uow.pools.projects(WORKSHOP)[0] == PoolProject("bikes", version=3)
    with uow:
        standing = uow.pools.standing(WORKSHOP, "ana")
        assert standing is not None
        assert (standing[0].version, standing[2]) == (2, uow.pools.member(WORKSHOP, "ana"))


def test_a_changed_good_keeps_its_place(uow: UnitOfWork) -> None:
    first, *rest = GOODS
    planned = replace(first, capacity=7)
    with uow:
        uow.pools.put_good(WORKSHOP, planned)
        uow.commit()
    with uow:
        assert uow.pools.goods(WORKSHOP) == [planned, *rest]


def test_later_additions_go_after_the_first(uow: UnitOfWork) -> None:
    with uow:
        uow.pools.add_members(WORKSHOP, [Member("eve"), Member("dora")])
        uow.pools.add_tasks(WORKSHOP, [Task(id="paint", project="bikes")])
        uow.pools.add_goods(WORKSHOP, [Good(id="bell", project="bikes", model="effort")])
        uow.commit()
    with uow:
        assert [m.id for m in uow.pools.members(WORKSHOP)] == ["ana", "ben", "cleo", "eve", "dora"]
        assert [t.id for t in uow.pools.tasks(WORKSHOP)][-1] == "paint"
        assert uow.pools.goods(WORKSHOP)[-1] == Good(id="bell", project="bikes", model="effort")


def test_two_pools_keep_apart_even_with_the_same_ids(store: Store) -> None:
    with store.unit_of_work() as uow:
        workshop(uow)
        uow.pools.add(Pool("annex"))
        uow.pools.put_project("annex", PoolProject("bikes"))
        uow.pools.add_members("annex", [Member("ben", 3.0)])
        uow.pools.add_tasks("annex", [Task(id="weld", project="bikes", fixed_hours=9.0)])
        uow.periods.add(Period("annex", 1, PeriodState.COLLECTING))
        uow.periods.add_offers("annex", 1, [OFFERS[1]])
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.pools.members("annex") == [Member("ben", 3.0)]
        assert uow.pools.tasks("annex") == [Task(id="weld", project="bikes", fixed_hours=9.0)]
        assert uow.periods.offers("annex", 1) == [OFFERS[1]]
        assert uow.periods.offers(WORKSHOP, 1) == OFFERS
        assert uow.periods.wishes("annex", 1) == []
        assert uow.pools.names() == ["annex", WORKSHOP]


# --- periods, offers, wishes ----------------------------------------------------------------


def test_periods_come_back_with_their_state_and_weight_estimates(uow: UnitOfWork) -> None:
    with uow:
        uow.periods.set_state(WORKSHOP, 1, PeriodState.CLEARED)
        uow.periods.add(Period(WORKSHOP, 2, PeriodState.OPEN))
        uow.commit()
    with uow:
        assert uow.periods.get(WORKSHOP, 1) == Period(
            WORKSHOP, 1, PeriodState.CLEARED, {"weld": 1.5}
        )
        assert uow.periods.latest(WORKSHOP) == Period(WORKSHOP, 2, PeriodState.OPEN)
        assert uow.periods.get(WORKSHOP, 3) is None
        assert uow.periods.latest("bakery") is None


def test_offers_and_wishes_come_back_as_made(uow: UnitOfWork) -> None:
    with uow:
        assert uow.periods.offers(WORKSHOP, 1) == OFFERS
        assert uow.periods.wishes(WORKSHOP, 1) == WISHES


def test_offered_hours_sum_each_tasks_offers(uow: UnitOfWork) -> None:
    with uow:
        assert uow.periods.offered_hours(WORKSHOP, 1) == {"assemble": 12.0, "weld": 4.5}
        assert uow.periods.offered_hours(WORKSHOP, 2) == {}


def test_one_participants_offers_and_wishes_come_back_in_their_order(uow: UnitOfWork) -> None:
    with uow:
        for who in {o.participant for o in OFFERS} | {w.participant for w in WISHES} | {"x"}:
            assert uow.periods.offers(WORKSHOP, 1, participant=who) == [
                o for o in OFFERS if o.participant == who
            ]
            assert uow.periods.wishes(WORKSHOP, 1, participant=who) == [
                w for w in WISHES if w.participant == who
            ]


def test_a_changed_offer_keeps_its_place_and_a_new_one_goes_last(uow: UnitOfWork) -> None:
    more = Offer(participant="cleo", task="mend", hours=1, min_weight=2.0)
    changed = Offer(participant="ana", task="assemble", hours=3, min_weight=1.75)
    with uow:
        uow.periods.put_offer(WORKSHOP, 1, more)
        uow.periods.put_offer(WORKSHOP, 1, changed)
        uow.commit()
    with uow:
        assert uow.periods.offers(WORKSHOP, 1) == [changed, OFFERS[1], OFFERS[2], more]


def test_a_changed_wish_keeps_its_place_and_a_new_one_goes_last(uow: UnitOfWork) -> None:
    more = Wish(participant="ben", id="ben-cargo", alternatives=[Alternative(good="cargo")])
    changed = Wish(participant="cleo", id="cleo-any", quantity=1,
                   alternatives=[Alternative(good="bike", max_cost=0.1 + 0.2)])
    with uow:
        uow.periods.put_wish(WORKSHOP, 1, more)
        uow.periods.put_wish(WORKSHOP, 1, changed)
        uow.commit()
    with uow:
        assert uow.periods.wishes(WORKSHOP, 1) == [WISHES[0], changed, WISHES[2], more]
        assert uow.periods.wishes(WORKSHOP, 1)[1].alternatives[0].max_cost == 0.1 + 0.2


def test_a_withdrawn_offer_or_wish_is_gone_and_a_second_withdrawal_finds_none(
    uow: UnitOfWork,
) -> None:
    with uow:
        assert uow.periods.remove_offer(WORKSHOP, 1, "ben", "weld") is True
        assert uow.periods.remove_wish(WORKSHOP, 1, "cleo-any") is True
        uow.commit()
    with uow:
        assert uow.periods.remove_offer(WORKSHOP, 1, "ben", "weld") is False
        assert uow.periods.remove_offer(WORKSHOP, 1, "zoe", "assemble") is False
        assert uow.periods.remove_wish(WORKSHOP, 1, "cleo-any") is False
        assert uow.periods.offers(WORKSHOP, 1) == [OFFERS[0], OFFERS[2]]
        assert uow.periods.wishes(WORKSHOP, 1) == [WISHES[0], WISHES[2]]


def test_an_offer_made_again_after_withdrawal_goes_last(uow: UnitOfWork) -> None:
    with uow:
        uow.periods.remove_offer(WORKSHOP, 1, "ana", "assemble")
        uow.periods.put_offer(WORKSHOP, 1, OFFERS[0])
        uow.commit()
    with uow:
        assert uow.periods.offers(WORKSHOP, 1) == [OFFERS[1], OFFERS[2], OFFERS[0]]


def test_standing_offers_and_wishes_carry_over_into_the_next_period(uow: UnitOfWork) -> None:
    with uow:
        uow.periods.add(Period(WORKSHOP, 2, PeriodState.COLLECTING))
        uow.periods.carry_over(WORKSHOP, 1, 2)
        uow.commit()
    with uow:
        assert uow.periods.offers(WORKSHOP, 2) == OFFERS
        assert uow.periods.wishes(WORKSHOP, 2) == WISHES
        assert uow.periods.offers(WORKSHOP, 1) == OFFERS


def test_carrying_over_onto_a_period_with_offers_updates_them_in_place(
    uow: UnitOfWork,
) -> None:
    own = Offer(participant="cleo", task="mend", hours=1, min_weight=2.0)
    stale = Offer(participant="ben", task="weld", hours=1, min_weight=3.0)
    stale_wish = Wish(participant="ben", id="ben-patch", quantity=5,
                      alternatives=[Alternative(good="patch")])
    with uow:
        uow.periods.add(Period(WORKSHOP, 2, PeriodState.COLLECTING))
        uow.periods.add_offers(WORKSHOP, 2, [own, stale])
        uow.periods.add_wishes(WORKSHOP, 2, [stale_wish])
        uow.periods.carry_over(WORKSHOP, 1, 2)
        uow.commit()
    with uow:
        assert uow.periods.offers(WORKSHOP, 2) == [own, OFFERS[1], OFFERS[0], OFFERS[2]]
        assert uow.periods.wishes(WORKSHOP, 2) == [WISHES[2], WISHES[0], WISHES[1]]


def test_many_offers_and_wishes_keep_their_order(store: Store) -> None:
    """More than a thousand rows: PostgreSQL takes them with COPY."""
    people = [Member(f"p{i:04}") for i in range(1200)]
    offers = [
        Offer(participant=f"p{(i * 7919) % 1200:04}", task=("assemble", "weld", "mend")[i % 3],
              hours=i / 7, min_weight=1 + i / 1000)
        for i in range(1200)
    ]
    wishes = [
        Wish(participant=f"p{i:04}", id=f"w{1200 - i}", quantity=1 + i % 3,
             alternatives=[Alternative(good="bike", max_cost=i / 3), Alternative(good="cargo")]
             if i % 2 else [Alternative(product_type="bicycle")])
        for i in range(1200)
    ]
    with store.unit_of_work() as uow:
        workshop(uow)
        uow.pools.add_members(WORKSHOP, people)
        uow.periods.add(Period(WORKSHOP, 2, PeriodState.COLLECTING))
        uow.periods.add_offers(WORKSHOP, 2, offers)
        uow.periods.add_wishes(WORKSHOP, 2, wishes)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.pools.members(WORKSHOP) == MEMBERS + people
        assert uow.periods.offers(WORKSHOP, 2) == offers
        assert uow.periods.wishes(WORKSHOP, 2) == wishes


# --- plans and work -------------------------------------------------------------------------


def test_a_plan_comes_back_exactly_as_cleared(uow: UnitOfWork) -> None:
    plan = Plan(WORKSHOP, 1, "c0ffee", CLEARED_AT, PLAN)
    with uow:
        assert uow.periods.plan(WORKSHOP, 1) is None
        uow.periods.add_plan(plan)
        uow.commit()
    with uow:
        stored = uow.periods.plan(WORKSHOP, 1)
        assert stored == plan
        assert stored is not None
        assert stored.data.weights["weld"] == 0.1 + 0.2
        assert list(stored.data.weights) == list(PLAN.weights)  # in the order cleared
        assert stored.data.to_json() == PLAN.to_json()


def test_a_period_has_one_plan_and_it_is_never_replaced(uow: UnitOfWork) -> None:
    with uow:
        uow.periods.add_plan(Plan(WORKSHOP, 1, "c0ffee", CLEARED_AT, PLAN))
        uow.commit()
    with uow, pytest.raises(ValueError, match="period 1 of pool 'workshop' already has a plan"):
        uow.periods.add_plan(Plan(WORKSHOP, 1, "decaf", CLEARED_AT, ClearedPlan()))
    with uow:
        plan = uow.periods.plan(WORKSHOP, 1)
        assert plan is not None and plan.input_hash == "c0ffee"


def test_the_clearing_time_comes_back_as_the_same_moment(uow: UnitOfWork) -> None:
    in_berlin = CLEARED_AT.astimezone(timezone(timedelta(hours=1)))
    with uow:
        uow.periods.add_plan(Plan(WORKSHOP, 1, "c0ffee", in_berlin, PLAN))
        uow.commit()
    with uow:
        plan = uow.periods.plan(WORKSHOP, 1)
        assert plan is not None
        assert plan.cleared_at == CLEARED_AT
        assert plan.cleared_at.utcoffset() is not None


def test_assignments_carry_their_tasks_weights(uow: UnitOfWork) -> None:
    with uow:
        assert uow.periods.assignments(WORKSHOP, 1) == []
        uow.periods.add_plan(Plan(WORKSHOP, 1, "c0ffee", CLEARED_AT, PLAN))
        uow.commit()
    with uow:
        assert uow.periods.assignments(WORKSHOP, 1) == [
            Assignment("ana", "assemble", 6.0, 1.1),
            Assignment("ben", "weld", 2.5, 0.1 + 0.2),
            Assignment("ben", "assemble", 1 / 3, 1.1),
        ]


def test_a_big_plan_keeps_its_assignments_in_order(uow: UnitOfWork) -> None:
    assignments = tuple(
        TaskAssignment(f"p{i % 97}", ("assemble", "weld")[i % 2], i / 9) for i in range(1500)
    )
    data = ClearedPlan(weights={"assemble": 1.0, "weld": 2.5}, assignments=assignments)
    with uow:
        uow.periods.add_plan(Plan(WORKSHOP, 1, "big", CLEARED_AT, data))
        uow.commit()
    with uow:
        got = uow.periods.assignments(WORKSHOP, 1)
    assert [(a.participant, a.task, a.hours) for a in got] == [
        (a.participant, a.task, a.hours) for a in assignments
    ]
    assert {a.weight for a in got} == {1.0, 2.5}


def work(participant: str, hours: float, minutes: int = 0) -> WorkLog:
    logged = CLEARED_AT + timedelta(days=1, minutes=minutes)
    return WorkLog(0, WORKSHOP, 1, participant, "assemble", hours, logged, assigned=True)


def test_work_logs_get_ids_and_come_back_oldest_first(uow: UnitOfWork) -> None:
    with uow:
        first = uow.periods.add_work_log(work("ana", 2.5))
        second = uow.periods.add_work_log(work("ben", 1.0, minutes=5))
        uow.commit()
    assert second.id > first.id > 0
    assert first == WorkLog(first.id, WORKSHOP, 1, "ana", "assemble", 2.5,
                            CLEARED_AT + timedelta(days=1), assigned=True)
    with uow:
        assert uow.periods.work_logs(WORKSHOP, 1) == [first, second]
        assert uow.periods.work_logs(WORKSHOP, 2) == []
        assert uow.periods.work_log(WORKSHOP, second.id) == second
        assert uow.periods.work_log("annex", second.id) is None
        assert uow.periods.work_log(WORKSHOP, second.id + 100) is None


def test_a_confirmed_work_log_replaces_the_pending_one(uow: UnitOfWork) -> None:
    with uow:
        logged = uow.periods.add_work_log(work("ben", 3.0))
        uow.commit()
    confirmed = WorkLog(logged.id, WORKSHOP, 1, "ben", "assemble", 3.0, logged.logged_at,
                        assigned=False, status="confirmed", confirmed_by="ana",
                        accepted_by="ana")
    with uow:
        uow.periods.put_work_log(confirmed)
        uow.commit()
    with uow:
        assert uow.periods.work_logs(WORKSHOP, 1) == [confirmed]


# --- the books ------------------------------------------------------------------------------


def test_the_journal_comes_back_in_the_order_written_with_exact_amounts(
    uow: UnitOfWork,
) -> None:
    shares = shares_of_period_1()
    tiny = Transaction("tiny", 1, NOV, "credit", "a micro-hour", (
        Posting(CLEO, Decimal("0.000001")), Posting(POOL, Decimal("-0.000001")),
    ))
    undo = reversal(shares, "undo-shares", NOV + timedelta(days=1), "wrong shares")
    with uow:
        uow.journal.add(WORKSHOP, [shares, tiny])
        uow.journal.add(WORKSHOP, [undo])
        uow.commit()
    with uow:
        assert uow.journal.transactions(WORKSHOP) == [shares, tiny, undo]
        assert uow.journal.get(WORKSHOP, "undo-shares") == undo
        assert undo.reverses == "period-1-shares"
        assert uow.journal.get(WORKSHOP, "nothing") is None


def test_balances_sum_each_account_and_leave_out_accounts_never_posted_to(
    uow: UnitOfWork,
) -> None:
    credits = Transaction("period-1-credits", 1, NOV, "credit", "work", (
        Posting(ANA, Decimal("4.000000")), Posting(POOL, Decimal("-4.000000")),
    ))
    with uow:
        assert uow.journal.balances(WORKSHOP) == {}
        uow.journal.add(WORKSHOP, [shares_of_period_1(), credits])
        uow.commit()
    with uow:
        balances = uow.journal.balances(WORKSHOP)
    assert balances == {
        ANA: Decimal("0.300000"), BEN: Decimal("-2.200001"), POOL: Decimal("1.900001")
    }
    assert sum(balances.values()) == 0
    assert CLEO not in balances
    with uow:
        assert [uow.journal.balance(WORKSHOP, a) for a in (ANA, BEN, POOL, CLEO)] == [
            Decimal("0.300000"), Decimal("-2.200001"), Decimal("1.900001"), Decimal(0)
        ]


def test_a_transaction_id_is_used_once(uow: UnitOfWork) -> None:
    with uow:
        uow.journal.add(WORKSHOP, [shares_of_period_1()])
        uow.commit()
    with uow, pytest.raises(ValueError, match="'period-1-shares' is already in the journal"):
        uow.journal.add(WORKSHOP, [shares_of_period_1()])


def test_a_settlement_of_many_members_balances(uow: UnitOfWork) -> None:
    """More than a thousand postings: PostgreSQL takes them with COPY."""
    amounts = [Decimal(i).scaleb(-6) * 997 for i in range(1, 1500)]
    postings = tuple(Posting(participant_account(f"p{i}"), a) for i, a in enumerate(amounts))
    total = sum(amounts, Decimal(0))
    big = Transaction("big", 1, NOV, "share", "many", (*postings, Posting(POOL, -total)))
    with uow:
        uow.journal.add(WORKSHOP, [big])
        uow.commit()
    with uow:
        assert uow.journal.transactions(WORKSHOP) == [big]
        assert uow.journal.balances(WORKSHOP)[POOL] == -total


# --- transactions ---------------------------------------------------------------------------


def test_what_is_not_committed_is_rolled_back(store: Store) -> None:
    with store.unit_of_work() as uow:
        workshop(uow)
    with store.unit_of_work() as uow:
        assert uow.pools.get(WORKSHOP) is None
        assert uow.pools.names() == []


def test_an_error_inside_the_block_stores_nothing(uow: UnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="power cut"), uow:
        uow.periods.put_offer(WORKSHOP, 1, Offer(participant="cleo", task="mend", hours=1,
                                                 min_weight=1.0))
        uow.journal.add(WORKSHOP, [shares_of_period_1()])
        raise RuntimeError("power cut")
    with uow:
        assert uow.periods.offers(WORKSHOP, 1) == OFFERS
        assert uow.journal.transactions(WORKSHOP) == []


def test_work_after_a_commit_is_a_transaction_of_its_own(uow: UnitOfWork) -> None:
    with uow:
        uow.periods.set_state(WORKSHOP, 1, PeriodState.CLEARED)
        uow.commit()
        uow.periods.set_state(WORKSHOP, 1, PeriodState.SETTLED)
    with uow:
        period = uow.periods.get(WORKSHOP, 1)
        assert period is not None and period.state is PeriodState.CLEARED


def test_a_unit_of_work_reads_its_own_writes(store: Store) -> None:
    with store.unit_of_work() as uow:
        workshop(uow)
        assert uow.pools.members(WORKSHOP) == MEMBERS
        assert uow.periods.offers(WORKSHOP, 1) == OFFERS


def test_a_block_inside_another_joins_its_transaction(uow: UnitOfWork) -> None:
    """A page reads several services in one transaction: the inner blocks neither end it
    nor roll it back; the outermost one does."""
    with uow:
        with uow:
            uow.periods.set_state(WORKSHOP, 1, PeriodState.CLEARED)
        period = uow.periods.get(WORKSHOP, 1)
        assert period is not None and period.state is PeriodState.CLEARED
    with uow:
        period = uow.periods.get(WORKSHOP, 1)
        assert period is not None and period.state is PeriodState.COLLECTING


def test_a_commit_inside_a_nested_block_commits_the_transaction_around_it(
    uow: UnitOfWork,
) -> None:
    with uow:
        with uow:
            uow.periods.set_state(WORKSHOP, 1, PeriodState.CLEARED)
            uow.commit()
        uow.periods.set_state(WORKSHOP, 1, PeriodState.SETTLED)
    with uow:
        period = uow.periods.get(WORKSHOP, 1)
        assert period is not None and period.state is PeriodState.CLEARED


def test_another_thread_may_not_enter_a_unit_of_work_in_use(uow: UnitOfWork) -> None:
    refused: list[Exception] = []

    def enter() -> None:
        try:
            with uow:
                pass
        except RuntimeError as error:
            refused.append(error)

    with uow:
        other = threading.Thread(target=enter)
        other.start()
        other.join()
        assert uow.pools.get(WORKSHOP) is not None
    assert len(refused) == 1 and "another thread" in str(refused[0])
