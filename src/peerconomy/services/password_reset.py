"""Resetting a forgotten password by a one-time link sent to the account's email.

Asking for a link answers the same whether or not an account has the email (the entrypoint
says "if an account has this address, a link is on its way" either way), so nobody learns
who has an account. The link carries ``<id>.<secret>``; the store keeps the secret's SHA-256
hash, compared in constant time. A link works once, until it expires
(``SecurityPolicy.reset_link_age``); using it sets the new password, ends every session of
the account and lifts a lockout of the account (its owner has just proved who they are).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from peerconomy.domain.account import User, check_email
from peerconomy.domain.events import PasswordResetRequested
from peerconomy.domain.security import LimitRule, ResetToken, after_failure, locked_for
from peerconomy.services import calendar_keys, messagebus
from peerconomy.services.accounts import (
    account_key,
    hash_secret,
    new_password_hash,
    pair_key,
)
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, NotFoundError
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import (
    DEFAULT_POLICY,
    LockReason,
    SecurityPolicy,
    TooManyResetRequestsError,
)
from peerconomy.services.sessions import end_sessions

__all__ = ["ResetLink", "check_reset_link", "request_reset", "reset_password"]


@dataclass(frozen=True, slots=True)
class ResetLink:
    """A reset link just made: for whom, and the code the link carries (shown once)."""

    user: User
    code: str
    expires_at: datetime


def request_reset(
    uow: UnitOfWork,
    email: str,
    *,
    client: str | None = None,
    policy: SecurityPolicy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> ResetLink | None:
    """A new reset link for the account with ``email``, mailed to it (queued in the outbox);
    None if no account has it (or it is
    no email address): the caller answers the same either way. Requests are counted per
    email address *from* ``client`` (whether or not an account has the email) and per
    ``client``; too many refuse that client's next ones for a while
    (:class:`TooManyResetRequestsError`). Nothing is counted per email address alone: a
    stranger asking for links never uses up the owner's own allowance."""
    try:
        email = check_email(email)
    except ValueError:
        return None
    now = now or datetime.now(UTC)
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    keys: list[tuple[str, LimitRule, LockReason]] = [
        (pair_key(f"reset:{email}", client), policy.reset_email_limit, "account")
    ]
    if client:
        keys.append((f"reset-client:{client}", policy.reset_client_limit, "client"))
    with uow:
        for key, _, reason in keys:
            wait = locked_for(uow.accounts.sign_in_limit(key), now)
            if wait is not None:
                raise TooManyResetRequestsError(reason, wait)
        for key, rule, _ in keys:
            uow.accounts.put_sign_in_limit(
                after_failure(uow.accounts.sign_in_limit(key), key, now, rule))
        user = uow.accounts.user_by_email(email)
        if user is None:
            uow.commit()
            return None
        token = ResetToken(token_id, user.name, hash_secret(secret), now,
                           now + policy.reset_link_age)
        uow.accounts.add_reset_token(token)
        record(uow, None, "account.reset_link", actor=None, subject=user.name,
               detail={"expires_at": token.expires_at.isoformat()}, now=now)
        link = ResetLink(user, f"{token_id}.{secret}", token.expires_at)
        messagebus.record(uow, PasswordResetRequested(user, link.code, link.expires_at, now))
        messagebus.commit(uow)
    return link


def check_reset_link(uow: UnitOfWork, code: str, *, now: datetime | None = None) -> ResetToken:
    """The reset link ``code`` if it can still be used; else :class:`NotFoundError` (unknown
    or forged) or :class:`ConflictError` (used already, or expired)."""
    now = now or datetime.now(UTC)
    token_id, _, secret = code.partition(".")
    with uow:
        token = uow.accounts.reset_token(token_id)
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        raise NotFoundError("password-reset link", token_id)
    if token.used_at is not None:
        raise ConflictError("this password-reset link was used already; ask for a new one")
    if now >= token.expires_at:
        raise ConflictError("this password-reset link has expired; ask for a new one")
    return token


def reset_password(
    uow: UnitOfWork,
    code: str,
    password: str,
    *,
    client: str | None = None,
    now: datetime | None = None,
) -> User:
    """Set a new password with the reset link ``code`` (see :func:`check_reset_link`); the
    link is used up, every session of the account ends, its API tokens are revoked and its
    calendar addresses stop working (a reset is how an account is taken back: whoever held
    the old password may have made tokens or copied the addresses)
    and its lockout is lifted: the account's as a whole, and the one of the ``client``
    address that used the link."""
    now = now or datetime.now(UTC)
    password_hash = new_password_hash(password)
    with uow:
        token = check_reset_link(uow, code, now=now)
        user = uow.accounts.user(token.user)
        if user is None:  # pragma: no cover - a link's user is kept by a foreign key
            raise NotFoundError("user", token.user)
        changed = replace(user, password_hash=password_hash)
        uow.accounts.put_user(changed)
        uow.accounts.put_reset_token(replace(token, used_at=now))
        uow.accounts.remove_sign_in_limit(account_key(user, user.name))
        uow.accounts.remove_sign_in_limit(pair_key(account_key(user, user.name), client))
        for api_token in uow.accounts.tokens(user.name):
            if api_token.revoked_at is None:
                uow.accounts.put_token(replace(api_token, revoked_at=now))
                record(uow, None, "token.revoke", actor=user.name, subject=api_token.id,
                       now=now)
        calendar_keys.void(uow, user.name, now)
        # recorded before the sessions end: end_sessions commits this transaction
        record(uow, None, "account.password_reset", actor=user.name, subject=user.name,
               now=now)
        end_sessions(uow, user.name, now=now)
        uow.commit()
    return changed
