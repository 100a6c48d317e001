"""An answer kept for an ``Idempotency-Key``: a client that retries a POST (its connection
broke before the answer came) gets the first answer again instead of doing the step twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["StoredAnswer"]


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """The answer to one caller's request made with one key.

    ``fingerprint`` (a hash of the method, path and body) tells a retry from another request
    that reuses the key. ``status`` None: the request is still being handled, or was cut off
    after its step may have been done (it is then never run again under this key)."""

    owner: str
    key: str
    fingerprint: str
    created_at: datetime
    status: int | None = None
    body: bytes = b""
    media_type: str | None = None
