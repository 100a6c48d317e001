"""Answers kept for idempotency keys, in SQL
(:class:`~peerconomy.services.ports.AnswerRepository`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.store import tables as t
from peerconomy.store.sql.identity_map import SqlRepository
from peerconomy.store.sql.rows import dialect_insert

__all__ = ["SqlAnswerRepository"]


class SqlAnswerRepository(SqlRepository):
    """Answers kept for idempotency keys (:class:`~peerconomy.services.ports.AnswerRepository`).

    Two requests with one key at once: the second one's insert waits for the first one's
    transaction (the primary key), then finds its row."""

    def reserve(self, answer: StoredAnswer) -> StoredAnswer | None:
        k = t.idempotency_keys
        inserted = self._c.execute(
            dialect_insert(self._c.dialect.name)(k)
            .values(owner=answer.owner, key=answer.key, fingerprint=answer.fingerprint,
                    created_at=t.utc(answer.created_at), status=None, body=b"",
                    media_type=None)
            .on_conflict_do_nothing(index_elements=["owner", "key"])
            .returning(k.c.key)
        )
        if inserted.first() is not None:  # (the driver's rowcount does not say, on PostgreSQL)
            return None
        row = self._c.execute(
            select(k).where(k.c.owner == answer.owner, k.c.key == answer.key)
        ).first()
        if row is None:  # released between the insert and the read: the key is free again
            return self.reserve(answer)
        return StoredAnswer(row.owner, row.key, row.fingerprint, row.created_at, row.status,
                            bytes(row.body), row.media_type)

    def complete(self, owner: str, key: str, status: int, body: bytes,
                 media_type: str | None) -> None:
        k = t.idempotency_keys
        self._c.execute(
            update(k).where(k.c.owner == owner, k.c.key == key)
            .values(status=status, body=body, media_type=media_type)
        )

    def release(self, owner: str, key: str) -> None:
        k = t.idempotency_keys
        self._c.execute(delete(k).where(k.c.owner == owner, k.c.key == key))

    def purge(self, owner: str, before: datetime) -> None:
        k = t.idempotency_keys
        self._c.execute(delete(k).where(k.c.owner == owner, k.c.created_at < t.utc(before)))

