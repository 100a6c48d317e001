"""Server-side sessions: what a signed-in browser's cookie stands for.

The cookie (signed by the app) carries a random session id; the store keeps only its SHA-256
hash with the user, when it began, when it was last seen and when it must end. So a session
can end on the server: it expires (``session_max_age`` after sign-in, or ``session_idle``
unused), it is signed out, or a new password ends all of the account's other sessions.
Signing in always begins a new session and ends the one the browser had (rotation): an id
planted in a browser before sign-in (session fixation) never becomes a signed-in one.

Signing in and out are kept in the site-wide audit log (``session.start``,
``session.end``), the session's id never.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import UTC, datetime

from peerconomy.domain.security import Session
from peerconomy.services.audit import record
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import DEFAULT_POLICY, SecurityPolicy

__all__ = [
    "end_session",
    "end_sessions",
    "forget_stale",
    "session_key",
    "session_user",
    "start_session",
]


def session_key(session_id: str) -> str:
    """The hash under which the store keeps the session whose cookie carries
    ``session_id``."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(
    uow: UnitOfWork,
    user: str,
    *,
    replacing: str | None = None,
    policy: SecurityPolicy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> str:
    """Begin a session for ``user``; the id for the cookie (shown once, never stored). The
    browser's session before (``replacing``, its cookie's id) ends."""
    now = now or datetime.now(UTC)
    session_id = secrets.token_urlsafe(32)
    with uow:
        if replacing:
            _end(uow, session_key(replacing), now)
        uow.accounts.add_session(
            Session(session_key(session_id), user, now, now, now + policy.session_max_age)
        )
        record(uow, None, "session.start", actor=user, subject=user, now=now)
        uow.commit()
    return session_id


def session_user(
    uow: UnitOfWork,
    session_id: str,
    *,
    policy: SecurityPolicy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> str | None:
    """The user whose live session ``session_id`` is (None: unknown, ended or expired); the
    session is marked seen (at most once per ``policy.session_touch``)."""
    now = now or datetime.now(UTC)
    with uow:
        found = uow.accounts.session(session_key(session_id))
        if (
            found is None
            or found.revoked_at is not None
            or now >= found.expires_at
            or now - found.last_seen_at >= policy.session_idle
        ):
            return None
        if now - found.last_seen_at >= policy.session_touch:
            uow.accounts.put_session(replace(found, last_seen_at=now))
            uow.commit()
        return found.user


def end_session(uow: UnitOfWork, session_id: str, *, now: datetime | None = None) -> None:
    """Sign the session out (nothing if it is unknown or over already)."""
    now = now or datetime.now(UTC)
    with uow:
        key = session_key(session_id)
        found = uow.accounts.session(key)
        if _end(uow, key, now):
            assert found is not None
            record(uow, None, "session.end", actor=found.user, subject=found.user, now=now)
            uow.commit()


def end_sessions(
    uow: UnitOfWork, user: str, *, keeping: str | None = None, now: datetime | None = None
) -> int:
    """End every live session of ``user`` but the one whose cookie carries ``keeping``; how
    many ended. Inside another service's transaction it commits that one with it (a new
    password and the end of the other sessions are stored together)."""
    now = now or datetime.now(UTC)
    kept = session_key(keeping) if keeping else None
    ended = 0
    with uow:
        for found in uow.accounts.sessions(user):
            if found.id != kept and _end(uow, found.id, now):
                ended += 1
        uow.commit()
    return ended


def forget_stale(
    uow: UnitOfWork, *, policy: SecurityPolicy = DEFAULT_POLICY, now: datetime | None = None
) -> None:
    """Delete the sessions and reset links that are over, and the counts of failed sign-ins
    that neither lock nor count any more (each sign-in does this, so the tables stay as
    small as the site's live sessions). Joins and commits the caller's transaction."""
    now = now or datetime.now(UTC)
    with uow:
        uow.accounts.remove_stale(now, now - policy.longest_window)
        uow.commit()


def _end(uow: UnitOfWork, key: str, now: datetime) -> bool:
    found = uow.accounts.session(key)
    if found is None or found.revoked_at is not None:
        return False
    uow.accounts.put_session(replace(found, revoked_at=now))
    return True
