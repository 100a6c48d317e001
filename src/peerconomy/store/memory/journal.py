"""The pool's books, in memory (:class:`~peerconomy.services.ports.JournalRepository`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from peerconomy.ledger.journal import Account, Transaction, balances
from peerconomy.store.memory.state import Repository

__all__ = ["MemoryJournalRepository"]


class MemoryJournalRepository(Repository):
    def add(self, pool: str, transactions: Sequence[Transaction]) -> None:
        journal = self._s.journal[pool]
        taken = {t.id for t in journal}
        for t in transactions:
            if t.id in taken:
                raise ValueError(f"transaction {t.id!r} is already in the journal")
            taken.add(t.id)
            journal.append(t)

    def get(self, pool: str, transaction: str) -> Transaction | None:
        return next((t for t in self._s.journal[pool] if t.id == transaction), None)

    def transactions(self, pool: str) -> list[Transaction]:
        return list(self._s.journal[pool])

    def balances(self, pool: str) -> dict[Account, Decimal]:
        return balances(self._s.journal[pool])

    def balance(self, pool: str, account: Account) -> Decimal:
        return sum(
            (p.amount for t in self._s.journal[pool] for p in t.postings if p.account == account),
            Decimal(0),
        )
