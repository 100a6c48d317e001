"""What keeps sign-in safe: server-side sessions, the count of failed sign-ins that locks an
account (or a client) for a while, and one-time links that reset a password.

Like API tokens, none of these records keeps a secret: a session is found by the SHA-256
hash of the random id its cookie carries, a reset link by its id and the hash of its secret.

The sign-in limit is a pure fold over failures (:func:`after_failure`): failures are counted
from the first in a window; the ``limit``-th within ``window`` locks the key for ``lockout``
and starts the count afresh. A key is an account (``user:ana``; an unknown login is counted
as it was typed, so an account that does not exist locks exactly as one that does) or a
client's address (``client:203.0.113.9``). For example, with a limit of 3 in 15 minutes and
a lockout of 15 minutes, failures at 9:00, 9:05 and 9:10 lock the account until 9:25:

>>> from datetime import UTC, datetime, timedelta
>>> rule = LimitRule(3, timedelta(minutes=15), timedelta(minutes=15))
>>> at = [datetime(2026, 12, 1, 9, m, tzinfo=UTC) for m in (0, 5, 10)]
>>> record = None
>>> for moment in at:
...     record = after_failure(record, "user:ana", moment, rule)
>>> record.locked_until.time()
datetime.time(9, 25)
>>> locked_for(record, at[-1] + timedelta(minutes=1))
datetime.timedelta(seconds=840)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

__all__ = [
    "CALENDAR_TOKEN",
    "CalendarKey",
    "LimitRule",
    "ResetToken",
    "Session",
    "SignInLimit",
    "after_failure",
    "locked_for",
]


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in browser. Its cookie carries a random id; only the id's hash is kept here
    (``id``), so the store's contents sign nobody in."""

    id: str
    """SHA-256 (hex) of the id in the cookie."""
    user: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    """When it ends however active it is (its absolute age limit)."""
    revoked_at: datetime | None = None
    """When it was signed out, rotated away or ended by a new password."""


@dataclass(frozen=True, slots=True)
class LimitRule:
    """``limit`` failures within ``window`` lock a key for ``lockout``."""

    limit: int
    window: timedelta
    lockout: timedelta


@dataclass(frozen=True, slots=True)
class SignInLimit:
    """The failed sign-ins counted against one key (an account or a client address)."""

    key: str
    failures: int
    """Failures since ``window_start`` (0 after a lockout began)."""
    window_start: datetime | None
    """The first failure counted (None: none counted)."""
    locked_until: datetime | None = None


def after_failure(
    record: SignInLimit | None, key: str, now: datetime, rule: LimitRule
) -> SignInLimit:
    """The record once one more failure at ``now`` is counted."""
    if record is None or record.window_start is None or now - record.window_start > rule.window:
        failures, start = 1, now
    else:
        failures, start = record.failures + 1, record.window_start
    locked = record.locked_until if record is not None else None
    if failures >= rule.limit:
        return SignInLimit(key, 0, None, now + rule.lockout)
    return SignInLimit(key, failures, start, locked)


def locked_for(record: SignInLimit | None, now: datetime) -> timedelta | None:
    """How much longer the key is locked (None: it is not)."""
    if record is None or record.locked_until is None or record.locked_until <= now:
        return None
    return record.locked_until - now


@dataclass(frozen=True, slots=True)
class ResetToken:
    """A one-time link that sets a new password; the link carries ``<id>.<secret>``, only
    ``secret_hash`` is kept."""

    id: str
    user: str
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


CALENDAR_TOKEN: Final = re.compile(r"(?P<id>[0-9a-f]{16})(?P<secret>[A-Za-z0-9_-]{43})")
"""What the secret part of a calendar (or feed) address looks like: the key's id, 16 hex
digits, then its secret, 43 characters of URL-safe base64 (256 bits). Anything else is
refused before the store is asked."""


@dataclass(frozen=True, slots=True)
class CalendarKey:
    """The secret of an account's subscription addresses: its calendar, its pools' calendars
    of open slots and their Atom feeds (one key per account; renewing it replaces the key,
    and every old address stops working).

    An address carries ``<id><secret>`` (:data:`CALENDAR_TOKEN`); only ``secret_hash`` is
    kept. The secret is derived from the site's secret key and the id
    (:func:`peerconomy.services.calendar_keys.address_secret`), so the account page can show
    the address again while neither the database nor the key alone gives it away."""

    user: str
    id: str
    secret_hash: str
    created_at: datetime
