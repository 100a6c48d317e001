"""The audit log's record: who changed what in a pool, and when.

Every service that changes state appends one :class:`AuditEntry` in the same transaction as
the change, so an entry exists exactly when its change was committed. The log is
append-only: no code updates or deletes an entry, and the databases refuse to (a trigger
made by the migration that creates the table). Coordinators read their pool's entries.

An entry names the acting user (None: the system or the command line), the pool (None: a
site-wide change such as a new password), a short dotted ``action`` (``offer.put``,
``period.clear``, ``member.role``), the thing changed (``subject``: a task, a wish id, a
work log's number) and a small JSON-able ``detail``. Secrets (passwords, tokens, links) are
never put into an entry.

>>> from datetime import UTC, datetime
>>> entry = AuditEntry(0, datetime(2026, 12, 1, tzinfo=UTC), "ana", "farm", "offer.put",
...                    "weed", {"hours": 4.0})
>>> entry.action, entry.subject
('offer.put', 'weed')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

__all__ = ["MAX_PAGE", "AuditEntry"]

MAX_PAGE: Final = 200
"""The most entries one page of the log holds."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change, as the audit log keeps it (``id`` is given by the store when added)."""

    id: int
    at: datetime
    actor: str | None
    """The acting user's name; None for the system or the command line."""
    pool: str | None
    """The pool changed; None for a site-wide change (an account's)."""
    action: str
    """A short dotted name: ``offer.put``, ``period.clear``, ``account.password``."""
    subject: str | None = None
    """What was changed: a task, a wish id, a work log's number, a member's id."""
    detail: dict[str, Any] = field(default_factory=dict)
    """A small JSON-able dict of what changed (never a secret)."""
