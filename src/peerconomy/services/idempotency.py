"""Idempotency keys: a caller names a POST with a key of their choice, and a retry of it
(the same method, path and body under the same key, within a day) gets the first answer
again instead of doing the step twice.

A key is reserved before the request runs, in its own transaction, so that of two requests
with one key only one runs; the answer is kept once the step is done. A step that was
refused did nothing, so its key is released and the request may be retried. If the server
stops between the step and keeping its answer, the key stays reserved: a retry is told so
(never run twice), and the caller looks at what is stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.services.errors import ConflictError
from peerconomy.services.ports import UnitOfWork

__all__ = ["KEPT", "Reused", "complete", "release", "reserve"]

KEPT: Final = timedelta(days=1)
"""How long an answer is kept for its key."""


class Reused(ConflictError):
    """The key was used for another request (another method, path or body)."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"Idempotency-Key {key!r} was used for another request in the last"
                         " day; use a new key for a new request")


def reserve(uow: UnitOfWork, owner: str, key: str, fingerprint: str, now: datetime
            ) -> StoredAnswer | None:
    """Reserve ``key`` for the caller's request: None if it is theirs to run now, else the
    answer kept for it (``status`` None: still being handled, or cut off). A key used for
    another request is refused (:class:`Reused`)."""
    with uow:
        uow.answers.purge(owner, now - KEPT)
        found = uow.answers.reserve(StoredAnswer(owner, key, fingerprint, now))
        uow.commit()
    if found is not None and found.fingerprint != fingerprint:
        raise Reused(key)
    return found


def complete(uow: UnitOfWork, owner: str, key: str, status: int, body: bytes,
             media_type: str | None) -> None:
    """Keep the answer to the request reserved under ``key``."""
    with uow:
        uow.answers.complete(owner, key, status, body, media_type)
        uow.commit()


def release(uow: UnitOfWork, owner: str, key: str) -> None:
    """Forget ``key``: its request did nothing, and may be made again."""
    with uow:
        uow.answers.release(owner, key)
        uow.commit()
