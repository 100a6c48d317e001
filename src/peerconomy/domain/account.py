"""People who sign in, and how they come into pools: accounts, API tokens, invitations and
requests to join.

An account is not a member: a pool's member record (its participant id, the id of the plans
and books) is claimed by an account only through an invitation for that member or a
coordinator's link, never because a user picked the same name. Secrets are never kept: a
password is kept as its argon2 hash, an API token or an invitation link as the SHA-256 hash
of its random secret (a secret of 256 random bits needs no slow hash).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from peerconomy.domain.pool import Role

__all__ = [
    "DEFAULT_TOKEN_DAYS",
    "MAX_TOKEN_DAYS",
    "TOKEN_SCOPES",
    "USER_NAME",
    "ApiToken",
    "Invitation",
    "JoinRequest",
    "JoinStatus",
    "TokenScope",
    "User",
    "check_email",
    "check_token_days",
    "check_token_scope",
    "check_user_name",
]

JoinStatus = Literal["pending", "approved", "declined"]

TokenScope = Literal["read", "write"]
"""What an API token may do: ``read`` only looks (GET), ``write`` also changes things."""
TOKEN_SCOPES: Final[tuple[TokenScope, ...]] = ("read", "write")
DEFAULT_TOKEN_DAYS: Final = 90
"""How long a new API token works unless its maker chooses otherwise."""
MAX_TOKEN_DAYS: Final = 365
"""The longest an API token may be made to work (a year; then a new one is made)."""


def check_token_scope(scope: str) -> TokenScope:
    """``scope`` if it is an API token's scope (``read`` or ``write``), else ValueError."""
    for known in TOKEN_SCOPES:
        if scope == known:
            return known
    raise ValueError("must be 'read' or 'write'")


def check_token_days(days: int) -> int:
    """``days`` if an API token may work that long (1 to :data:`MAX_TOKEN_DAYS`), else
    ValueError."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValueError(f"must be a whole number of days from 1 to {MAX_TOKEN_DAYS}")
    return days

USER_NAME: Final = re.compile(r"[a-z0-9][a-z0-9_.-]{1,31}")
"""A user name: 2 to 32 lower-case letters, digits, ``_``, ``.`` or ``-``, not starting
with a sign (it appears in URLs, in the books and in Beancount account names)."""

_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_user_name(name: str) -> str:
    """``name`` if it is a valid user name, else ValueError saying why."""
    if not USER_NAME.fullmatch(name):
        raise ValueError(
            "must be 2 to 32 lower-case letters, digits, '_', '.' or '-', starting with a"
            " letter or digit"
        )
    return name


def check_email(email: str) -> str:
    """``email`` trimmed and lower-cased if it looks like an address, else ValueError."""
    cleaned = email.strip().lower()
    if len(cleaned) > 254 or not _EMAIL.fullmatch(cleaned):
        raise ValueError("is not an email address")
    return cleaned


@dataclass(frozen=True, slots=True)
class User:
    """Someone who can sign in."""

    name: str
    """Unique; what they sign in with (a pool's participant id is the member's own)."""
    email: str
    """Unique, lower-case; where notices go."""
    password_hash: str
    """The argon2 hash of their password."""
    created_at: datetime
    display_name: str = ""
    site_admin: bool = False
    """May see and manage every pool."""
    locale: str | None = None
    """The language they chose (None: the browser's)."""
    disabled: bool = False
    """Cannot sign in (the site's operator disabled the account); their records stay."""
    email_verified_at: datetime | None = None
    """When they followed the link mailed to ``email`` (None: not yet; they get no pool
    notices until then)."""


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A personal token with which a user's scripts call the API (and only the API) as that
    user, until it expires or is revoked; a ``read`` token changes nothing.

    The token handed out is ``pct_<id>_<secret>``; only ``secret_hash`` is kept.
    """

    id: str
    user: str
    label: str
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    """When it stops working (it is refused from then on, 401)."""
    revoked_at: datetime | None = None
    scope: TokenScope = "write"


@dataclass(frozen=True, slots=True)
class Invitation:
    """A link into a pool with a role, made by a coordinator; it can be used once.

    The link carries ``<id>.<secret>``; only ``secret_hash`` is kept.
    """

    id: str
    pool: str
    role: Role
    created_by: str | None
    """The coordinator who made it (None: the site's operator, e.g. on import)."""
    created_at: datetime
    expires_at: datetime
    secret_hash: str
    used_by: str | None = None
    used_at: datetime | None = None
    member: str | None = None
    """The participant it is for: whoever accepts it claims that member (None: it makes a
    new member)."""


@dataclass(frozen=True, slots=True)
class JoinRequest:
    """A user's request to join a pool that admits members on a coordinator's approval."""

    pool: str
    user: str
    requested_at: datetime
    status: JoinStatus = "pending"
    decided_by: str | None = None
    decided_at: datetime | None = None
