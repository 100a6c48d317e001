"""The books: balanced transactions, reversals, statements, settlement and exports."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data
from hypothesis import given, settings
from hypothesis import strategies as st

from peerconomy.ledger import (
    POOL,
    Posting,
    Transaction,
    UnbalancedTransactionError,
    balances,
    hours,
    participant_account,
    reversal,
    settlement,
    statement,
    to_beancount,
    to_csv,
    to_json,
)
from peerconomy.ledger.export import FORMULA_START, beancount_accounts, csv_text

ANA, BEN = participant_account("ana"), participant_account("ben")
NOV = date(2026, 11, 30)


def test_a_transaction_that_does_not_balance_is_refused() -> None:
    with pytest.raises(UnbalancedTransactionError, match=r"sum to 1\.000000, not 0"):
        Transaction("t", 1, NOV, "share", "oops",
                    (Posting(ANA, hours(-2)), Posting(POOL, hours(3))))


def test_amounts_are_kept_to_the_micro_hour() -> None:
    assert hours(0.1 + 0.2) == Decimal("0.300000")
    assert hours(2.0000004) == Decimal("2.000000")
    with pytest.raises(ValueError, match="finite"):
        hours(float("nan"))


def test_settling_a_period_charges_shares_and_credits_work() -> None:
    # the workshop: Ana's share is a bicycle (3), Ben's a motorcycle (9); Ana worked 8 weighted
    # hours, Ben 4
    journal = settlement(1, NOV, {"ana": 3.0, "ben": 9.0}, {"ana": 8.0, "ben": 4.0})
    books = balances(journal)
    assert books == {ANA: Decimal(5), BEN: Decimal(-5), POOL: Decimal(0)}
    assert sum(books.values()) == 0


def test_the_pool_account_holds_work_planned_but_not_done() -> None:
    journal = settlement(1, NOV, {"ana": 6.0, "ben": 6.0}, {"ana": 6.0})
    assert balances(journal)[POOL] == Decimal(6)


def test_a_correction_reverses_a_transaction_and_keeps_both() -> None:
    shares, credits = settlement(1, NOV, {"ana": 3.0}, {"ana": 5.0})
    undo = reversal(credits, "fix-1", NOV + timedelta(days=1), "work was not done")
    journal = [shares, credits, undo]
    assert balances(journal)[ANA] == Decimal(-3)
    assert undo.reverses == credits.id and undo.kind == "correction"
    assert [line.balance for line in statement(journal, ANA)] == [Decimal(-3), Decimal(2),
                                                                  Decimal(-3)]


def test_a_statement_for_one_period_carries_the_balance_from_before() -> None:
    journal = [*settlement(1, NOV, {"ana": 3.0}, {"ana": 5.0}),
               *settlement(2, NOV + timedelta(days=30), {"ana": 4.0}, {"ana": 1.0})]
    lines = statement(journal, ANA, period=2)
    assert [(line.kind, line.amount, line.balance) for line in lines] == [
        ("share", Decimal(-4), Decimal(-2)), ("credit", Decimal(1), Decimal(-1))]


def test_beancount_names_are_valid_and_distinct() -> None:
    names = beancount_accounts([participant_account("ana"), participant_account("Ana"),
                                participant_account("émile b."), POOL])
    assert names[POOL] == "Equity:Pool"
    assert len(set(names.values())) == 4
    assert all(name.split(":")[-1][0].isupper() or name.split(":")[-1][0].isdigit()
               for name in names.values())


# --- random sequences of ledger operations ------------------------------------------------

PEOPLE = ["ana", "ben", "chiara", "dario", "émile b.", "Ana"]
amounts = st.floats(0, 50, allow_nan=False).map(lambda x: round(x, 4))


@st.composite
def journals(draw: st.DrawFn) -> list[Transaction]:
    """Settled periods with random shares and credits, and some reversals of earlier entries."""
    journal: list[Transaction] = []
    day = date(2026, 1, 1)
    for period in range(1, draw(st.integers(1, 5)) + 1):
        people = draw(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=5))
        shares = {p: draw(amounts) for p in people}
        credits = {p: draw(amounts) for p in people if draw(st.booleans())}
        journal.extend(settlement(period, day, shares, credits))
        if journal and draw(st.booleans()):
            original = draw(st.sampled_from(journal))
            journal.append(reversal(original, f"fix-{len(journal)}", day, "correction"))
        day += timedelta(days=30)
    return journal


def from_csv(text: str) -> dict[str, Decimal]:
    total: dict[str, Decimal] = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(text)):
        total[row["account"]] += Decimal(row["amount"])
    return dict(total)


def from_json(text: str) -> dict[str, Decimal]:
    total: dict[str, Decimal] = defaultdict(Decimal)
    for t in json.loads(text):
        for p in t["postings"]:
            total[p["account"]] += Decimal(p["amount"])
    return dict(total)


def from_beancount(text: str) -> dict[str, Decimal]:
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    total: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for p in entry.postings:
                assert p.units is not None and p.units.number is not None
                total[p.account] += p.units.number
    return dict(total)


@settings(max_examples=150, deadline=None)
@given(journal=journals())
def test_the_books_always_balance_and_every_export_agrees(journal: list[Transaction]) -> None:
    books = balances(journal)
    assert sum(books.values(), Decimal(0)) == 0
    assert all(sum((p.amount for p in t.postings), Decimal(0)) == 0 for t in journal)
    assert from_csv(to_csv(journal)) == books
    assert from_json(to_json(journal)) == books
    names = beancount_accounts(books)
    assert from_beancount(to_beancount(journal)) == {names[a]: v for a, v in books.items()}
    for account in books:
        lines = statement(journal, account)
        assert lines[-1].balance == books[account]


def test_a_csv_cell_that_starts_like_a_formula_is_written_as_text() -> None:
    hostile = '=HYPERLINK("https://evil.example","click")'
    journal = [Transaction("=1+1", 1, NOV, "share", hostile,
                           (Posting(ANA, hours(-2)), Posting(POOL, hours(2))))]
    rows = list(csv.DictReader(io.StringIO(to_csv(journal))))
    assert [r["narration"] for r in rows] == ["'" + hostile] * 2
    assert [r["transaction"] for r in rows] == ["'=1+1"] * 2
    assert [r["amount"] for r in rows] == ["-2.000000", "2.000000"]  # numbers stay numbers
    assert from_csv(to_csv(journal)) == balances(journal)


@given(text=st.text())
def test_no_text_cell_starts_like_a_formula(text: str) -> None:
    cell = csv_text(text)
    assert cell == text or cell == "'" + text
    if cell.startswith(FORMULA_START):
        float(cell)  # only a number may
