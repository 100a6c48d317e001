"""The pool's books as members read them, and its hint board.

Two periods of the bike workshop: in both ana takes a bicycle (3 h) and is assigned 8 hours of
assembly; she does all 8 in period 1 and 4 in period 2. The bakery's board shows what its plan
left open.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from readback import posted, totals_from_beancount, totals_from_csv, totals_from_json

from peerconomy.ledger.journal import POOL, Account, participant_account
from peerconomy.services import books, periods, work
from peerconomy.services.errors import ConflictError, NotFoundError
from peerconomy.services.hints import HintBoard, ToDo, hint_board
from peerconomy.services.pools import remove_member
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOVEMBER, DECEMBER, JANUARY = date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 5)
ANA = participant_account("ana")


@pytest.fixture
def two_periods(uow: MemoryUnitOfWork) -> MemoryUnitOfWork:
    """The workshop with periods 1 and 2 settled."""
    periods.clear_period(uow, "workshop", now=NOW)
    work.log_work(uow, "workshop", "ana", "assemble", 8, confirmed_by="ben", now=NOW)
    work.log_work(uow, "workshop", "chiara", "paint", 6, confirmed_by="ana", now=NOW)
    periods.settle_period(uow, "workshop", on=NOVEMBER)
    periods.clear_period(uow, "workshop", now=NOW)
    work.log_work(uow, "workshop", "ana", "assemble", 4, confirmed_by="chiara", now=NOW)
    periods.settle_period(uow, "workshop", on=DECEMBER)
    return uow


# --- balances ------------------------------------------------------------------------------


def test_balances_list_every_member_and_the_pool_even_before_anything_is_posted(
    uow: MemoryUnitOfWork,
) -> None:
    assert books.balances(uow, "workshop") == {
        participant_account("ana"): Decimal(0),
        participant_account("ben"): Decimal(0),
        participant_account("chiara"): Decimal(0),
        participant_account("dario"): Decimal(0),
        POOL: Decimal(0),
    }


def test_balances_are_credits_minus_shares_and_sum_to_zero(
    two_periods: MemoryUnitOfWork,
) -> None:
    held = books.balances(two_periods, "workshop")
    assert held == {
        participant_account("ana"): Decimal(6),  # 12 done - 6 taken
        participant_account("ben"): Decimal(-12),
        participant_account("chiara"): Decimal(-15),  # 3 of 6 done credited - 18 taken
        participant_account("dario"): Decimal(-6),
        POOL: Decimal(27),  # 42 hours planned, 15 credited
    }
    assert sum(held.values()) == 0


def test_balances_of_an_unknown_pool_are_refused(store: MemoryStore) -> None:
    with pytest.raises(NotFoundError, match="no pool 'bakery'"):
        books.balances(store.unit_of_work(), "bakery")


# --- statements ----------------------------------------------------------------------------


def test_a_statement_lists_a_members_postings_with_the_running_balance(
    two_periods: MemoryUnitOfWork,
) -> None:
    lines = books.participant_statement(two_periods, "workshop", "ana")
    assert [(s.transaction, s.period, s.date, s.kind, s.amount, s.balance) for s in lines] == [
        ("period-1-shares", 1, NOVEMBER, "share", Decimal(-3), Decimal(-3)),
        ("period-1-credits", 1, NOVEMBER, "credit", Decimal(8), Decimal(5)),
        ("period-2-shares", 2, DECEMBER, "share", Decimal(-3), Decimal(2)),
        ("period-2-credits", 2, DECEMBER, "credit", Decimal(4), Decimal(6)),
    ]
    assert lines[-1].balance == books.balances(two_periods, "workshop")[ANA]


def test_a_statement_of_one_period_carries_the_balance_of_the_periods_before(
    two_periods: MemoryUnitOfWork,
) -> None:
    lines = books.participant_statement(two_periods, "workshop", "ana", period=2)
    assert [(s.transaction, s.amount, s.balance) for s in lines] == [
        ("period-2-shares", Decimal(-3), Decimal(2)),
        ("period-2-credits", Decimal(4), Decimal(6)),
    ]
    assert books.participant_statement(two_periods, "workshop", "ana", period=3) == []


def test_a_member_without_credit_has_only_share_lines(two_periods: MemoryUnitOfWork) -> None:
    lines = books.participant_statement(two_periods, "workshop", "ben")
    assert [(s.kind, s.amount, s.balance) for s in lines] == [
        ("share", Decimal(-6), Decimal(-6)),
        ("share", Decimal(-6), Decimal(-12)),
    ]


def test_a_member_who_left_still_has_a_statement_but_a_stranger_none(
    two_periods: MemoryUnitOfWork,
) -> None:
    remove_member(two_periods, "workshop", "dario")
    assert [s.balance for s in books.participant_statement(two_periods, "workshop", "dario")] == [
        Decimal(-3), Decimal(-6),
    ]
    with pytest.raises(NotFoundError, match="no participant 'zoe' in pool 'workshop'"):
        books.participant_statement(two_periods, "workshop", "zoe")


# --- corrections ---------------------------------------------------------------------------


def test_a_correction_is_a_new_transaction_reversing_the_old_one(
    two_periods: MemoryUnitOfWork,
) -> None:
    with two_periods:
        before = two_periods.journal.transactions("workshop")
        original = two_periods.journal.get("workshop", "period-2-credits")
    assert original is not None
    undo = books.correct(two_periods, "workshop", "period-2-credits", "logged twice", on=JANUARY)
    assert (undo.id, undo.kind, undo.reverses, undo.period, undo.date, undo.narration) == (
        "period-2-credits-reversed", "correction", "period-2-credits", 2, JANUARY, "logged twice",
    )
    assert {(p.account, -p.amount) for p in undo.postings} == {
        (p.account, p.amount) for p in original.postings
    }
    with two_periods:
        assert two_periods.journal.transactions("workshop") == [*before, undo]


def test_reversing_a_periods_transactions_returns_the_balances_to_before_it(
    uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    work.log_work(uow, "workshop", "ana", "assemble", 8, confirmed_by="ben", now=NOW)
    periods.settle_period(uow, "workshop", on=NOVEMBER)
    after_one = books.balances(uow, "workshop")
    periods.clear_period(uow, "workshop", now=NOW)
    work.log_work(uow, "workshop", "ben", "paint", 1, confirmed_by="chiara", now=NOW)
    periods.settle_period(uow, "workshop", on=DECEMBER)
    assert books.balances(uow, "workshop") != after_one
    books.correct(uow, "workshop", "period-2-credits", "not done after all", on=JANUARY)
    books.correct(uow, "workshop", "period-2-shares", "period 2 was cancelled", on=JANUARY)
    assert books.balances(uow, "workshop") == after_one
    lines = books.participant_statement(uow, "workshop", "ben", period=2)
    assert [(s.kind, s.amount) for s in lines] == [
        ("share", Decimal(-6)), ("credit", Decimal(1)),
        ("correction", Decimal(-1)), ("correction", Decimal(6)),
    ]


def test_a_transaction_is_reversed_once_and_a_correction_is_never_reversed(
    store: MemoryStore, two_periods: MemoryUnitOfWork
) -> None:
    books.correct(two_periods, "workshop", "period-1-shares", "wrong shares", on=JANUARY)
    before = store.state
    with pytest.raises(ConflictError, match="transaction 'period-1-shares' is reversed already"):
        books.correct(two_periods, "workshop", "period-1-shares", "again", on=JANUARY)
    with pytest.raises(ConflictError, match="'period-1-shares-reversed' is a correction"):
        books.correct(two_periods, "workshop", "period-1-shares-reversed", "undo", on=JANUARY)
    with pytest.raises(NotFoundError, match="no transaction 'period-9-shares' in pool"):
        books.correct(two_periods, "workshop", "period-9-shares", "nothing", on=JANUARY)
    assert store.state is before


# --- exports -------------------------------------------------------------------------------


def exported_totals(uow: MemoryUnitOfWork, pool: str) -> list[dict[Account, Decimal]]:
    """Each export's balances per account (CSV, JSON, Beancount), zeros left out."""
    return [
        posted(totals_from_csv(books.export(uow, pool, "csv"))),
        posted(totals_from_json(books.export(uow, pool, "json"))),
        posted(totals_from_beancount(books.export(uow, pool, "beancount"))),
    ]


def test_every_export_agrees_with_the_balances(two_periods: MemoryUnitOfWork) -> None:
    books.correct(two_periods, "workshop", "period-1-credits", "chiara painted in 2", on=JANUARY)
    expected = posted(books.balances(two_periods, "workshop"))
    assert expected[participant_account("chiara")] == Decimal(-18)
    assert exported_totals(two_periods, "workshop") == [expected] * 3


def test_exports_of_empty_books_are_empty(uow: MemoryUnitOfWork) -> None:
    assert exported_totals(uow, "workshop") == [{}] * 3
    assert books.export(uow, "workshop", "json") == "[]\n"


def test_exports_of_fractional_bakery_shares_agree_to_the_micro_hour(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)  # shares like 11.950980392156861
    work.log_work(bakery_uow, "bakery", "dario", "deliver", 1.25, confirmed_by="ana", now=NOW)
    periods.settle_period(bakery_uow, "bakery", on=NOVEMBER)
    held = books.balances(bakery_uow, "bakery")
    assert sum(held.values()) == 0
    assert exported_totals(bakery_uow, "bakery") == [posted(held)] * 3


# --- the hint board ------------------------------------------------------------------------


def test_the_hint_board_is_empty_until_a_period_is_cleared(bakery_uow: MemoryUnitOfWork) -> None:
    assert hint_board(bakery_uow, "bakery") == HintBoard("bakery", None, subscribed_from=1)


def test_uncovered_hours_are_posted_at_the_max_weight_the_biggest_gap_first(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    board = hint_board(bakery_uow, "bakery")
    assert board.period == 1
    # nobody offered to deliver bread or clean the cafe: both are open at the pool's max
    # weight, 4.0 (the task auction leaves uncovered hours nowhere else)
    assert board.uncovered == [
        {"task": "deliver", "hours": 3.0, "weight": 4.0, "project": "bakery"},
        {"task": "clean", "hours": 2.0, "weight": 4.0, "project": "cafe"},
    ]


def test_the_hint_board_shows_unmet_wishes_and_over_and_underproduction(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    board = hint_board(bakery_uow, "bakery")
    assert board.unmet_wishes == [{"good": "cake", "units": 1}]  # dario was outbid
    assert board.underproduction == [{"good": "cake", "project": "bakery", "units": 1}]
    assert board.overproduction == [{"good": "roll", "project": "bakery", "units": 4}]


def test_each_projects_to_do_list_shows_planned_done_and_open_hours_by_weight(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    board = hint_board(bakery_uow, "bakery")
    assert board.todo == {
        "bakery": [
            ToDo("deliver", 4.0, planned=0.0, done=0.0, open=0.0, uncovered=3.0),
            ToDo("bake", 2.0, planned=8.0, done=0.0, open=8.0, uncovered=0.0),
            ToDo("knead", 1.5, planned=5.0, done=0.0, open=5.0, uncovered=0.0),
        ],
        "cafe": [
            ToDo("clean", 4.0, planned=0.0, done=0.0, open=0.0, uncovered=2.0),
            ToDo("serve", 1.0, planned=2.0, done=0.0, open=2.0, uncovered=0.0),
        ],
    }
    assert [t.open for t in board.todo["bakery"]] == [0.0, 8.0, 5.0]


def test_done_hours_count_confirmed_work_up_to_each_assignment(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    # kneading: ana was assigned 4 h and does 5, ben was assigned 1 h and does none yet;
    # her extra hour does not do his, so 1 h of kneading is still open
    work.log_work(bakery_uow, "bakery", "ana", "knead", 5, confirmed_by="ben", now=NOW)
    # baking: ben does his 6 h (confirmed), chiara logs 2 h nobody has confirmed yet
    work.log_work(bakery_uow, "bakery", "ben", "bake", 6, confirmed_by="chiara", now=NOW)
    work.log_work(bakery_uow, "bakery", "chiara", "bake", 2, now=NOW)
    # serving: dario does his 2 h; and he delivers the 3 uncovered hours unassigned, accepted
    # by ana: they are done, and no longer uncovered
    work.log_work(bakery_uow, "bakery", "dario", "serve", 2, confirmed_by="chiara", now=NOW)
    work.log_work(bakery_uow, "bakery", "dario", "deliver", 3, confirmed_by="ana", now=NOW)
    todo = {t.task: t for items in hint_board(bakery_uow, "bakery").todo.values() for t in items}
    assert (todo["knead"].done, todo["knead"].open) == (4.0, 1.0)
    assert (todo["bake"].done, todo["bake"].open) == (6.0, 2.0)
    assert (todo["serve"].done, todo["serve"].open) == (2.0, 0.0)
    deliver = todo["deliver"]
    assert (deliver.planned, deliver.done, deliver.open, deliver.uncovered) == (0, 3, 0, 0)


def test_the_board_shows_the_settled_period_until_the_next_one_is_cleared(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    work.log_work(bakery_uow, "bakery", "ana", "knead", 4, confirmed_by="ben", now=NOW)
    periods.settle_period(bakery_uow, "bakery", on=NOVEMBER)
    settled = hint_board(bakery_uow, "bakery")
    assert settled.period == 1 and settled.todo["bakery"][-1].done == 4.0
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    fresh = hint_board(bakery_uow, "bakery")
    assert fresh.period == 2 and fresh.todo["bakery"][-1].done == 0.0


def test_the_board_reads_as_json(bakery_uow: MemoryUnitOfWork) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    data = json.loads(json.dumps(hint_board(bakery_uow, "bakery").as_json()))
    assert data["pool"] == "bakery" and data["period"] == 1
    assert data["todo"]["cafe"][-1] == {
        "task": "serve", "weight": 1.0, "planned": 2.0, "done": 0.0, "open": 2.0,
        "uncovered": 0.0,
    }


def test_uncovered_hours_done_by_accepted_unassigned_work_leave_the_board(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    # nobody was assigned to deliver; dario delivers all 3 hours and ana accepts them
    work.log_work(bakery_uow, "bakery", "dario", "deliver", 3, confirmed_by="ana", now=NOW)
    board = hint_board(bakery_uow, "bakery")
    assert [h["task"] for h in board.uncovered] == ["clean"]
    deliver = board.todo["bakery"][0]
    assert (deliver.task, deliver.done, deliver.uncovered) == ("deliver", 3.0, 0.0)
