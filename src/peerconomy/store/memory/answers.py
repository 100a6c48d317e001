"""Answers kept for idempotency keys, in memory
(:class:`~peerconomy.services.ports.AnswerRepository`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.store.memory.state import Repository

__all__ = ["MemoryAnswerRepository"]


class MemoryAnswerRepository(Repository):
    """Answers kept for idempotency keys, by caller and key."""

    def reserve(self, answer: StoredAnswer) -> StoredAnswer | None:
        found = self._s.answers.get((answer.owner, answer.key))
        if found is None:
            self._s.answers[answer.owner, answer.key] = answer
        return found

    def complete(self, owner: str, key: str, status: int, body: bytes,
                 media_type: str | None) -> None:
        held = self._s.answers.get((owner, key))
        if held is not None:
            self._s.answers[owner, key] = replace(held, status=status, body=body,
                                                  media_type=media_type)

    def release(self, owner: str, key: str) -> None:
        self._s.answers.pop((owner, key), None)

    def purge(self, owner: str, before: datetime) -> None:
        self._s.answers = {
            k: a for k, a in self._s.answers.items() if a.owner != owner or a.created_at >= before
        }
