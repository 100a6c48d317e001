"""People who sign in, and how they come into pools: accounts, API tokens, invitations and
requests to join.

A user's name is also their participant id in every pool they join, so the books, the plan
and the pages all speak of the same person by the same name. Secrets are never kept: a
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
    "USER_NAME",
    "ApiToken",
    "Invitation",
    "JoinRequest",
    "JoinStatus",
    "User",
    "check_email",
    "check_user_name",
]

JoinStatus = Literal["pending", "approved", "declined"]

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
    """Unique; their participant id in every pool they join."""
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
    email_verified_at: datetime | None = None
    """When they followed the link mailed to ``email`` (None: not yet; they get no pool
    notices until then)."""


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A personal token with which a user's scripts call the API as that user.

    The token handed out is ``pct_<id>_<secret>``; only ``secret_hash`` is kept.
    """

    id: str
    user: str
    label: str
    secret_hash: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Invitation:
    """A link into a pool with a role, made by a coordinator; it can be used once.

    The link carries ``<id>.<secret>``; only ``secret_hash`` is kept.
    """

    id: str
    pool: str
    role: Role
    created_by: str
    created_at: datetime
    expires_at: datetime
    secret_hash: str
    used_by: str | None = None
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class JoinRequest:
    """A user's request to join a pool that admits members on a coordinator's approval."""

    pool: str
    user: str
    requested_at: datetime
    status: JoinStatus = "pending"
    decided_by: str | None = None
    decided_at: datetime | None = None
