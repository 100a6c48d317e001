"""The pool's books as members read them: balances, statements, exports, corrections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from peerconomy.ledger.export import to_beancount, to_csv, to_json
from peerconomy.ledger.journal import (
    POOL,
    Account,
    StatementLine,
    Transaction,
    participant_account,
    reversal,
    statement,
)
from peerconomy.services import lookup
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, NotFoundError
from peerconomy.services.ports import UnitOfWork

__all__ = ["ExportFormat", "balances", "correct", "export", "participant_statement"]

ExportFormat = Literal["csv", "json", "beancount"]


def balances(uow: UnitOfWork, pool: str) -> dict[Account, Decimal]:
    """Every member's balance (zero for those never posted to, also for members who left but
    hold a balance) and, last, the pool's; they sum to zero."""
    with uow:
        lookup.pool(uow, pool)
        posted = uow.journal.balances(pool)
        result = {
            participant_account(m.id): posted.get(participant_account(m.id), Decimal(0))
            for m in uow.pools.members(pool)
            if m.active or participant_account(m.id) in posted
        }
        result[POOL] = posted.get(POOL, Decimal(0))
    return result


def participant_statement(
    uow: UnitOfWork, pool: str, participant: str, period: int | None = None
) -> list[StatementLine]:
    """A participant's postings with the running balance, of one period or all."""
    with uow:
        lookup.pool(uow, pool)
        lookup.member(uow, pool, participant, active=False)
        return statement(uow.journal.transactions(pool), participant_account(participant), period)


def export(uow: UnitOfWork, pool: str, fmt: ExportFormat) -> str:
    """The whole journal as CSV, JSON or Beancount text."""
    with uow:
        lookup.pool(uow, pool)
        journal = uow.journal.transactions(pool)
    if fmt == "csv":
        return to_csv(journal)
    if fmt == "json":
        return to_json(journal)
    return to_beancount(journal, title=f"peerconomy pool {pool}")


def correct(
    uow: UnitOfWork, pool: str, transaction: str, reason: str, *, on: date | None = None,
    actor: str | None = None,
) -> Transaction:
    """Reverse a transaction by a new one (nothing in the journal is ever changed)."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        original = uow.journal.get(pool, transaction)
        if original is None:
            raise NotFoundError("transaction", transaction, pool)
        if original.kind == "correction":
            raise ConflictError(f"{transaction!r} is a correction; post the entry anew instead")
        undo_id = f"{transaction}-reversed"
        if uow.journal.get(pool, undo_id) is not None:
            raise ConflictError(f"transaction {transaction!r} is reversed already")
        undo = reversal(original, undo_id, on or date.today(), reason)
        uow.journal.add(pool, [undo])
        record(uow, pool, "ledger.correct", actor=actor, subject=transaction,
               detail={"reversal": undo.id, "reason": reason})
        uow.commit()
    return undo
