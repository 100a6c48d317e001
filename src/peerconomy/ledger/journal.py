"""The pool's books: an append-only, double-entry journal in weighted hours.

Every transaction's postings sum to exactly zero (amounts are decimals to the micro-hour), so
the sum of all balances is always zero: what the participants' accounts hold together, the
pool's account holds negated (work planned but not yet done, or done beyond what was
planned). Nothing is ever changed or deleted; a mistake is corrected by a new transaction that
reverses the old one (:func:`reversal`), so the history stays readable.

A participant's balance is their credits minus their shares: positive when they have
contributed more than their share so far.

>>> t = Transaction("p1-shares", 1, date(2026, 11, 1), "share", "shares of period 1",
...                 (Posting(participant_account("ana"), Decimal("-3")),
...                  Posting(POOL, Decimal("3"))))
>>> balances([t])[participant_account("ana")]
Decimal('-3')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final, Literal

__all__ = [
    "POOL",
    "QUANTUM",
    "Account",
    "Kind",
    "Posting",
    "StatementLine",
    "Transaction",
    "UnbalancedTransactionError",
    "balances",
    "hours",
    "participant_account",
    "participant_of",
    "reversal",
    "statement",
]

Account = str
"""``pool`` or ``participant:<id>``."""
Kind = Literal["share", "credit", "correction", "opening"]

POOL: Final[Account] = "pool"
QUANTUM: Final = Decimal("0.000001")  # a micro-hour
_PARTICIPANT: Final = "participant:"


def participant_account(participant: str) -> Account:
    """The account of a participant."""
    return _PARTICIPANT + participant


def participant_of(account: Account) -> str | None:
    """The participant an account belongs to (None for the pool's account)."""
    return account[len(_PARTICIPANT) :] if account.startswith(_PARTICIPANT) else None


def hours(amount: float | int | str | Decimal) -> Decimal:
    """An amount of weighted hours as a decimal, rounded half-even to the micro-hour."""
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, float):
        value = Decimal(repr(amount))  # the shortest decimal that is this float
    else:
        value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"amount must be finite, got {amount!r}")
    return value.quantize(QUANTUM, rounding=ROUND_HALF_EVEN)


class UnbalancedTransactionError(ValueError):
    """A transaction whose postings do not sum to zero."""


@dataclass(frozen=True)
class Posting:
    """An amount (weighted hours) booked to one account."""

    account: Account
    amount: Decimal


@dataclass(frozen=True)
class Transaction:
    """One entry in the journal; its postings sum to exactly zero."""

    id: str
    period: int
    date: date
    kind: Kind
    narration: str
    postings: tuple[Posting, ...]
    reverses: str | None = None

    def __post_init__(self) -> None:
        total = sum((p.amount for p in self.postings), Decimal(0))
        if total != 0:
            raise UnbalancedTransactionError(
                f"transaction {self.id!r}: postings sum to {total}, not 0"
            )
        for p in self.postings:
            if p.amount != p.amount.quantize(QUANTUM):
                raise ValueError(f"transaction {self.id!r}: {p.amount} is finer than {QUANTUM}")


def reversal(original: Transaction, id: str, on: date, narration: str) -> Transaction:
    """A correction: a new transaction that undoes ``original`` posting by posting."""
    return Transaction(
        id=id,
        period=original.period,
        date=on,
        kind="correction",
        narration=narration,
        postings=tuple(Posting(p.account, -p.amount) for p in original.postings),
        reverses=original.id,
    )


def balances(transactions: Iterable[Transaction]) -> dict[Account, Decimal]:
    """Every account's balance, folded from the journal."""
    total: dict[Account, Decimal] = defaultdict(Decimal)
    for t in transactions:
        for p in t.postings:
            total[p.account] += p.amount
    return dict(total)


@dataclass(frozen=True)
class StatementLine:
    """One posting to an account, with the account's balance after it."""

    transaction: str
    period: int
    date: date
    kind: Kind
    narration: str
    amount: Decimal
    balance: Decimal


def statement(
    transactions: Iterable[Transaction], account: Account, period: int | None = None
) -> list[StatementLine]:
    """An account's postings in journal order with the running balance (all periods'
    postings count towards the balance; ``period`` only selects the lines shown)."""
    lines: list[StatementLine] = []
    running = Decimal(0)
    for t in transactions:
        for p in t.postings:
            if p.account != account:
                continue
            running += p.amount
            if period is None or t.period == period:
                lines.append(
                    StatementLine(t.id, t.period, t.date, t.kind, t.narration, p.amount, running)
                )
    return lines
