"""The audit log as the services keep and read it.

:func:`record` is called by every service that changes state, inside its unit of work and
before its commit, so the entry and the change are committed together or not at all (a
refused or rolled-back change leaves no entry). :func:`audit_log` is the coordinators' read
of a pool's entries, newest first, a page at a time; :func:`site_log` reads the site-wide
entries (accounts, sign-ins, API tokens) alike, for the site's operator (``peerconomy
audit``). Nothing here, or anywhere, updates or deletes an entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from peerconomy.domain.audit import MAX_PAGE, AuditEntry
from peerconomy.domain.refusal import InputError
from peerconomy.services import lookup
from peerconomy.services.ports import UnitOfWork

__all__ = ["MAX_PAGE", "audit_log", "record", "site_log"]



def record(
    uow: UnitOfWork,
    pool: str | None,
    action: str,
    *,
    actor: str | None,
    subject: object = None,
    detail: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Inside a service's transaction: append an entry for the change it is making.

    ``subject`` is kept as text (a work log's number too); ``detail`` must be JSON-able and
    must hold no secret."""
    return uow.audit.add(AuditEntry(
        0,
        now or datetime.now(UTC),
        actor,
        pool,
        action,
        None if subject is None else str(subject),
        dict(detail or {}),
    ))


def audit_log(
    uow: UnitOfWork, pool: str, *, limit: int = 50, before: int | None = None
) -> list[AuditEntry]:
    """The pool's entries, newest first: at most ``limit`` (1 to 200), and only those older
    than entry ``before`` if given (the next page). Who may read them is the caller's to
    check (coordinators)."""
    _check_page(limit, before)
    with uow:
        lookup.pool(uow, pool)
        return uow.audit.entries(pool, limit=limit, before_id=before)


def site_log(
    uow: UnitOfWork, *, limit: int = 50, before: int | None = None
) -> list[AuditEntry]:
    """The site-wide entries (those of no pool: sign-ups, sign-ins and outs, passwords,
    reset links, API tokens), newest first, paged as :func:`audit_log`. For the site's
    operator; no route serves them."""
    _check_page(limit, before)
    with uow:
        return uow.audit.entries(None, limit=limit, before_id=before)


def _check_page(limit: int, before: int | None) -> None:
    if isinstance(limit, bool) or not 1 <= limit <= MAX_PAGE:
        raise InputError("limit", f"must be 1 to {MAX_PAGE}, got {limit!r}")
    if before is not None and before < 1:
        raise InputError("before", f"must be an entry's number (1 or more), got {before!r}")
