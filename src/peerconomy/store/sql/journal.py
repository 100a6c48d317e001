"""The pool's append-only books in SQL: transactions and their postings, numbered in the
order written (:class:`~peerconomy.services.ports.JournalRepository`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.sql.elements import ColumnElement

from peerconomy.ledger.journal import Account, Posting, Transaction
from peerconomy.store import tables as t
from peerconomy.store.sql.bulk import bulk, insert_many
from peerconomy.store.sql.identity_map import SqlRepository, writes
from peerconomy.store.sql.rows import last

__all__ = ["SqlJournalRepository"]

_BALANCE = select(func.sum(t.postings.c.amount)).where(
    t.postings.c.pool == bindparam("pool"), t.postings.c.account == bindparam("account")
)

_IN_CHUNK: Final = 500


class SqlJournalRepository(SqlRepository):
    """The pool's append-only books (:class:`~peerconomy.services.ports.JournalRepository`)."""

    @writes
    @bulk
    def add(self, pool: str, transactions: Sequence[Transaction]) -> None:
        if not transactions:
            return
        x, p = t.transactions.c, t.postings.c
        ids = [tx.id for tx in transactions]
        taken: set[str] = set()
        for i in range(0, len(ids), _IN_CHUNK):
            taken.update(
                self._c.scalars(
                    select(x.id).where(x.pool == pool, x.id.in_(ids[i : i + _IN_CHUNK]))
                )
            )
        for tx in transactions:
            if tx.id in taken:
                raise ValueError(f"transaction {tx.id!r} is already in the journal")
            taken.add(tx.id)
        seq = last(self._c, x.seq, x.pool == pool)
        self._c.execute(
            insert(t.transactions),
            [
                {
                    "pool": pool,
                    "id": tx.id,
                    "seq": seq + i,
                    "period": tx.period,
                    "date": tx.date,
                    "kind": tx.kind,
                    "narration": tx.narration,
                    "reverses": tx.reverses,
                }
                for i, tx in enumerate(transactions, 1)
            ],
        )
        line = last(self._c, p.seq, p.pool == pool)
        rows = [
            (pool, line + i, tx_id, posting.account, t.to_micro(posting.amount))
            for i, (tx_id, posting) in enumerate(
                ((tx.id, posting) for tx in transactions for posting in tx.postings), 1
            )
        ]
        insert_many(self._c, t.postings, rows)

    def get(self, pool: str, transaction: str) -> Transaction | None:
        found = self._read(pool, t.transactions.c.id == transaction)
        return found[0] if found else None

    def transactions(self, pool: str) -> list[Transaction]:
        return self._read(pool)

    @bulk
    def _read(self, pool: str, *where: ColumnElement[bool]) -> list[Transaction]:
        x, p = t.transactions.c, t.postings.c
        heads = self._c.execute(
            select(x.id, x.period, x.date, x.kind, x.narration, x.reverses)
            .where(x.pool == pool, *where)
            .order_by(x.seq)
        ).all()
        if not heads:
            return []
        lines = select(p.transaction_id, p.account, p.amount).where(p.pool == pool)
        if where:
            lines = lines.where(p.transaction_id.in_([h.id for h in heads]))
        postings: defaultdict[str, list[Posting]] = defaultdict(list)
        for tx_id, account, amount in self._c.execute(lines.order_by(p.seq)):
            postings[tx_id].append(Posting(account, amount))
        return [
            Transaction(id, period, on, kind, narration, tuple(postings[id]), reverses)
            for id, period, on, kind, narration, reverses in heads
        ]

    def balances(self, pool: str) -> dict[Account, Decimal]:
        p = t.postings.c
        rows = self._c.execute(
            select(p.account, func.sum(p.amount))
            .where(p.pool == pool)
            .group_by(p.account)
            .order_by(func.min(p.seq))
        )
        return {account: total for account, total in rows}

    def balance(self, pool: str, account: Account) -> Decimal:
        total = self._c.scalar(_BALANCE, {"pool": pool, "account": account})
        return Decimal(0) if total is None else total
