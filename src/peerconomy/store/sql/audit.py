"""The append-only audit log, in SQL (:class:`~peerconomy.services.ports.AuditRepository`)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import bindparam, insert, select

from peerconomy.domain.audit import AuditEntry
from peerconomy.store import tables as t
from peerconomy.store.sql.identity_map import SqlRepository, writes
from peerconomy.store.sql.rows import from_json, to_json

__all__ = ["SqlAuditRepository"]

_AUDIT_INSERT = insert(t.audit_log).values(
    at=bindparam("at", type_=t.UtcDateTime()), actor=bindparam("actor"),
    pool=bindparam("pool"), action=bindparam("action"), subject=bindparam("subject"),
    detail=bindparam("detail"),
)



class SqlAuditRepository(SqlRepository):
    """The append-only audit log (:class:`~peerconomy.services.ports.AuditRepository`):
    it inserts and reads, and has no way to change or delete an entry; the database's
    triggers refuse that too (migration 0004)."""

    @writes
    def add(self, entry: AuditEntry) -> AuditEntry:
        result = self._c.execute(_AUDIT_INSERT, {
            "at": t.utc(entry.at), "actor": entry.actor, "pool": entry.pool,
            "action": entry.action, "subject": entry.subject,
            "detail": to_json(entry.detail),
        })
        key = result.inserted_primary_key
        assert key is not None
        return replace(entry, id=int(key[0]), detail=dict(entry.detail))

    def entries(
        self, pool: str | None, *, limit: int = 50, before_id: int | None = None
    ) -> list[AuditEntry]:
        a = t.audit_log.c
        query = (
            select(t.audit_log)
            .where(a.pool.is_(None) if pool is None else a.pool == pool)
            .order_by(a.id.desc())
            .limit(max(limit, 0))
        )
        if before_id is not None:
            query = query.where(a.id < before_id)
        return [
            AuditEntry(row.id, row.at, row.actor, row.pool, row.action, row.subject,
                       from_json(row.detail))
            for row in self._c.execute(query)
        ]

