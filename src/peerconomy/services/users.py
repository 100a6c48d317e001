"""The site's operator manages accounts: makes the first admin on purpose, lists, promotes
and demotes admins, hands out password-setting links and disables accounts.

These steps are the operator's, run on the database (``peerconomy user ...``); no route
serves them. An account made here has no password anyone knows: it gets a one-time link
that sets one, printed for the operator to pass on (no mail server is needed).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Final

from peerconomy.domain.account import User, check_email, check_user_name
from peerconomy.domain.refusal import InputError
from peerconomy.domain.security import ResetToken
from peerconomy.services import lookup
from peerconomy.services.accounts import hash_secret, new_password_hash
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.sessions import end_sessions

__all__ = [
    "PASSWORD_LINK_AGE",
    "PasswordLink",
    "create_user",
    "disable_user",
    "enable_user",
    "list_users",
    "password_link",
    "set_admin",
]

PASSWORD_LINK_AGE: Final = timedelta(days=7)
"""How long an operator's password-setting link works: long enough to pass it on by hand."""


@dataclass(frozen=True, slots=True)
class PasswordLink:
    """A one-time link that sets the account's password: the code it carries (shown once)."""

    user: User
    code: str
    expires_at: datetime

    def url(self, base_url: str) -> str:
        """The link as the site's reset-password page takes it."""
        return f"{base_url.rstrip('/')}/reset/{self.code}"


def create_user(
    uow: UnitOfWork,
    name: str,
    email: str,
    *,
    admin: bool = False,
    display_name: str = "",
    now: datetime | None = None,
) -> PasswordLink:
    """Make an account (the site's admin with ``admin``) with no usable password, and a
    one-time link that sets its password."""
    try:
        name = check_user_name(name)
    except ValueError as error:
        raise InputError("name", str(error)) from None
    try:
        email = check_email(email)
    except ValueError as error:
        raise InputError("email", str(error)) from None
    display_name = display_name.strip()
    if len(display_name) > 100:
        raise InputError("display_name", "must be at most 100 characters")
    moment = now or datetime.now(UTC)
    user = User(name, email, _unusable_password(), moment, display_name, site_admin=admin)
    with uow:
        if uow.accounts.user(name) is not None:
            raise ConflictError(f"the user name {name!r} is taken")
        if uow.accounts.user_by_email(email) is not None:
            raise ConflictError(f"an account with the email {email!r} exists already")
        uow.accounts.add_user(user)
        record(uow, None, "account.create", actor=None, subject=name,
               detail={"site_admin": admin}, now=moment)
        link = _new_link(uow, user, moment)
        uow.commit()
    return link


def list_users(uow: UnitOfWork) -> list[User]:
    """Every account, sorted by name."""
    with uow:
        return uow.accounts.users()


def set_admin(uow: UnitOfWork, name: str, admin: bool, *, now: datetime | None = None) -> User:
    """Make the account the site's admin (``admin``) or take that away."""
    moment = now or datetime.now(UTC)
    with uow:
        user = lookup.user(uow, name)
        if user.site_admin == admin:
            state = "an admin" if admin else "no admin"
            raise ConflictError(f"{name!r} is {state} already")
        changed = replace(user, site_admin=admin)
        uow.accounts.put_user(changed)
        record(uow, None, "account.promote" if admin else "account.demote", actor=None,
               subject=name, now=moment)
        uow.commit()
    return changed


def password_link(uow: UnitOfWork, name: str, *, now: datetime | None = None) -> PasswordLink:
    """A new one-time link that sets the account's password (the operator's reset, which
    needs no mail server)."""
    moment = now or datetime.now(UTC)
    with uow:
        user = lookup.user(uow, name)
        if user.disabled:
            raise ConflictError(f"{name!r} is disabled; enable the account first")
        link = _new_link(uow, user, moment)
        uow.commit()
    return link


def disable_user(uow: UnitOfWork, name: str, *, now: datetime | None = None) -> User:
    """The account can no longer sign in or act: its password is forgotten, its sessions end
    and its API tokens are revoked. Its memberships and books stay."""
    moment = now or datetime.now(UTC)
    with uow:
        user = lookup.user(uow, name)
        if user.disabled:
            raise ConflictError(f"{name!r} is disabled already")
        changed = replace(user, disabled=True, password_hash=_unusable_password())
        uow.accounts.put_user(changed)
        for token in uow.accounts.tokens(name):
            if token.revoked_at is None:
                uow.accounts.put_token(replace(token, revoked_at=moment))
                record(uow, None, "token.revoke", actor=None, subject=token.id, now=moment)
        record(uow, None, "account.disable", actor=None, subject=name, now=moment)
        end_sessions(uow, name, now=moment)  # commits this transaction
        uow.commit()
    return changed


def enable_user(uow: UnitOfWork, name: str, *, now: datetime | None = None) -> PasswordLink:
    """A disabled account may sign in again once its owner sets a password by the link."""
    moment = now or datetime.now(UTC)
    with uow:
        user = lookup.user(uow, name)
        if not user.disabled:
            raise ConflictError(f"{name!r} is not disabled")
        changed = replace(user, disabled=False)
        uow.accounts.put_user(changed)
        record(uow, None, "account.enable", actor=None, subject=name, now=moment)
        link = _new_link(uow, changed, moment)
        uow.commit()
    return link


def _unusable_password() -> str:
    """The hash of a password nobody knows: the account is signed in only after its owner
    sets one by a link."""
    return new_password_hash(secrets.token_urlsafe(32))


def _new_link(uow: UnitOfWork, user: User, now: datetime) -> PasswordLink:
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    expires = now + PASSWORD_LINK_AGE
    uow.accounts.add_reset_token(
        ResetToken(token_id, user.name, hash_secret(secret), now, expires)
    )
    record(uow, None, "account.password_link", actor=None, subject=user.name,
           detail={"expires_at": expires.isoformat()}, now=now)
    return PasswordLink(user, f"{token_id}.{secret}", expires)
