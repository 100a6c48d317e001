"""The audit log, in memory (:class:`~peerconomy.services.ports.AuditRepository`)."""

from __future__ import annotations

from dataclasses import replace

from peerconomy.domain.audit import AuditEntry
from peerconomy.store.memory.state import Repository

__all__ = ["MemoryAuditRepository"]


class MemoryAuditRepository(Repository):
    """The audit log, by id in the order added; entries are only ever added."""

    def add(self, entry: AuditEntry) -> AuditEntry:
        self._s.last_audit_id += 1
        stored = replace(entry, id=self._s.last_audit_id, detail=dict(entry.detail))
        self._s.audit[stored.id] = stored
        return stored

    def entries(
        self, pool: str | None, *, limit: int = 50, before_id: int | None = None
    ) -> list[AuditEntry]:
        found = [
            e for e in reversed(self._s.audit.values())
            if e.pool == pool and (before_id is None or e.id < before_id)
        ]
        return found[:max(limit, 0)]
