"""Accounts: sign up, sign in, change what a user may change, and personal API tokens.

Who may sign up is the site's setting (:data:`SignUpMode`): anyone (``open``), whoever holds
a valid invitation link (``invite-only``, the default) or nobody (``closed``). Signing up
answers the same whether or not an account has the email given, so it does not reveal who
has an account: with a new email the account is made and a link to verify the email is
mailed; with a known one nothing is made and the email's owner is told that someone tried.
An account whose email is not verified may sign in, but gets no pool notices.

Passwords are hashed with argon2 (argon2-cffi's defaults, rehashed when they change); a
wrong name and a wrong password are told apart by nobody, so sign-in does not reveal who
has an account. Failed sign-ins are counted per account *and* client address, per client
address, and per account (:mod:`peerconomy.domain.security`); too many lock the account for
that address, or the address, for a while; an account failed on from many addresses is
locked only for the addresses that failed, never for one that has not (so nobody can lock
its owner out). A locked sign-in is refused before the password is looked at
(:class:`~peerconomy.services.security.TooManyFailuresError`). A login nobody has is counted
and locked as an account is, so a lockout tells nothing either. API tokens are
``pct_<id>_<secret>``: the id finds the record, the secret's SHA-256 hash is compared in
constant time; each expires (90 days unless chosen, a year at most) and has a scope,
``read`` (refused on any change) or ``write``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from peerconomy.domain.account import (
    DEFAULT_TOKEN_DAYS,
    ApiToken,
    User,
    check_email,
    check_token_days,
    check_token_scope,
    check_user_name,
)
from peerconomy.domain.events import EmailVerificationRequested, SignUpWithKnownEmail, UserSignedUp
from peerconomy.domain.refusal import InputError, Problems
from peerconomy.domain.security import LimitRule, SignInLimit, after_failure, locked_for
from peerconomy.services import lookup, messagebus
from peerconomy.services.audit import record
from peerconomy.services.errors import (
    ConflictError,
    NotAllowedError,
    NotFoundError,
    SignInError,
)
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import (
    DEFAULT_POLICY,
    LockReason,
    SecurityPolicy,
    TooManyFailuresError,
)
from peerconomy.services.sessions import end_sessions, forget_stale

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "SIGN_UP_MODES",
    "TOKEN_PREFIX",
    "SignUpMode",
    "account_key",
    "authenticate",
    "change_password",
    "check_invitation",
    "check_password",
    "check_token",
    "hash_secret",
    "issue_token",
    "new_password_hash",
    "pair_key",
    "prepare_sign_in",
    "resend_verification",
    "revoke_token",
    "sign_up",
    "token_user",
    "update_profile",
]

SignUpMode = Literal["open", "invite-only", "closed"]
SIGN_UP_MODES: Final[tuple[SignUpMode, ...]] = ("open", "invite-only", "closed")
"""Who may sign up: anyone, holders of an invitation link, nobody."""
MIN_PASSWORD_LENGTH: Final = 8
MAX_PASSWORD_LENGTH: Final = 1024
TOKEN_PREFIX: Final = "pct_"
_HASHER: Final = PasswordHasher()
_NOBODY: str | None = None
"""The hash an unknown name's sign-in is checked against, so that it costs what a known
one's does; made by :func:`prepare_sign_in` (a server does at start), not on import: a
hash takes a fifth of a second, and every ``peerconomy user`` command imports this."""
_BAD_SIGN_IN: Final = "wrong user name or password"


def hash_secret(secret: str) -> str:
    """The SHA-256 hash (hex) of a random secret, as tokens and invitations keep it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def check_password(password: str) -> str:
    """``password`` if it is long enough (and not absurdly long), else InputError."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InputError(
            "password",
            f"must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long",
        )
    return password


def _checked(field: str, check: Callable[[str], str], value: str) -> str:
    try:
        return check(value)
    except ValueError as error:
        raise InputError(field, str(error)) from None


def sign_up(
    uow: UnitOfWork,
    name: str,
    email: str,
    password: str,
    *,
    display_name: str = "",
    mode: SignUpMode = "invite-only",
    invitation: str | None = None,
    now: datetime | None = None,
) -> User:
    """Make an account, as the site's sign-up ``mode`` allows (``invite-only``: with the
    code of a valid ``invitation`` link, which stays to be accepted; ``closed``:
    :class:`NotAllowedError`), and mail it a link to verify its email. It joins nothing and
    administers nothing: the site's admin is made on purpose (``peerconomy user create
    --admin``), never by being first to sign up.

    Where the email has an account already, nothing is made and its owner is mailed that
    someone tried; the account returned is the one that would have been made (not stored),
    so that the caller answers exactly as for a new account. A user name that is taken is
    refused (:class:`ConflictError`): names are public in the pools. Bad fields are refused
    all at once (one :class:`InputError` naming each)."""
    if mode == "closed":
        raise NotAllowedError("signing up is closed on this site")
    if mode == "invite-only" and not (invitation or "").strip():
        raise NotAllowedError("signing up on this site needs an invitation link")
    problems = Problems()
    with problems.gathering():
        name = _checked("name", check_user_name, name)
    with problems.gathering():
        email = _checked("email", check_email, email)
    with problems.gathering():
        check_password(password)
    display_name = display_name.strip()
    if len(display_name) > 100:
        problems.note("display_name", "must be at most 100 characters")
    problems.refuse()
    password_hash = _HASHER.hash(password)
    moment = now or datetime.now(UTC)
    with uow:
        if mode == "invite-only":
            check_invitation(uow, invitation or "", now=moment)
        if uow.accounts.user(name) is not None:
            raise ConflictError(f"the user name {name!r} is taken")
        owner = uow.accounts.user_by_email(email)
        if owner is not None:
            messagebus.record(uow, SignUpWithKnownEmail(owner, moment))
            record(uow, None, "account.sign_up_known_email", actor=None, subject=owner.name,
                   now=moment)
            messagebus.commit(uow)
            return User(name, email, "", moment, display_name)
        user = User(
            name,
            email,
            password_hash,
            moment,
            display_name,
        )
        uow.accounts.add_user(user)
        record(uow, None, "account.sign_up", actor=name, subject=name,
               detail={"site_admin": user.site_admin}, now=user.created_at)
        messagebus.record(uow, UserSignedUp(user, moment))
        messagebus.commit(uow)
    return user


def check_invitation(uow: UnitOfWork, code: str, *, now: datetime | None = None) -> None:
    """Refuse (InputError, field ``invitation``) a code that is not that of a valid,
    unused and unexpired invitation link; the link is not used up (it is accepted after
    signing up, :func:`peerconomy.services.membership.accept_invitation`)."""
    invitation_id, _, secret = code.strip().partition(".")
    with uow:
        found = uow.accounts.invitation(invitation_id)
    if (found is None or not hmac.compare_digest(found.secret_hash, hash_secret(secret))
            or found.used_by is not None or found.expires_at <= (now or datetime.now(UTC))):
        raise InputError("invitation", "is not the code of a valid, unused and unexpired"
                         " invitation link")


def resend_verification(uow: UnitOfWork, name: str, *, now: datetime | None = None) -> bool:
    """Mail the account a new link to verify its email; False if it is verified already."""
    with uow:
        user = lookup.user(uow, name)
        if user.email_verified_at is not None:
            return False
        messagebus.record(uow, EmailVerificationRequested(user, now or datetime.now(UTC)))
        messagebus.commit(uow)
    return True


def authenticate(
    uow: UnitOfWork,
    login: str,
    password: str,
    *,
    client: str | None = None,
    policy: SecurityPolicy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> User:
    """The user whose name or email is ``login`` if ``password`` is theirs; else
    :class:`SignInError` (the same for an unknown name as for a wrong password), or
    :class:`TooManyFailuresError` while the account (or the login) or the ``client``
    address is locked, whatever the password."""
    now = now or datetime.now(UTC)
    login = login.strip().lower()
    # Three steps, so that the password is checked outside any transaction: argon2 takes a
    # while on purpose, and on SQLite a transaction holds the write lock, so fifty people
    # signing in at once would otherwise queue behind each other's hashing.
    with uow:  # who it is, and whether a lock refuses them outright
        user = _by_login(uow, login)
        keys = _limit_keys(user, login, client, policy)
        _refuse_if_locked(uow, keys, now)
    matches = _matches(user, password)
    rehashed = (user is not None and matches and _HASHER.check_needs_rehash(user.password_hash)
                and _HASHER.hash(password))
    with uow:  # the outcome, counted; the locks looked at again (others may have failed)
        _refuse_if_locked(uow, keys, now)
        if not matches or user is None:
            for count in keys:
                counted = after_failure(uow.accounts.sign_in_limit(count.key), count.key, now,
                                        count.rule)
                uow.accounts.put_sign_in_limit(counted)
            uow.commit()
            raise SignInError(_BAD_SIGN_IN)
        uow.accounts.remove_sign_in_limit(keys[0].key)
        if rehashed:
            current = uow.accounts.user(user.name)
            if current is not None and current.password_hash == user.password_hash:
                user = replace(current, password_hash=rehashed)
                uow.accounts.put_user(user)
        forget_stale(uow, policy=policy, now=now)
        uow.commit()
    return user


@dataclass(frozen=True, slots=True)
class _Count:
    """One count a failed sign-in adds to: its key, its rule, the reason a lock of it gives,
    and whether its lock refuses only an address that has failed on the account lately."""

    key: str
    rule: LimitRule
    reason: LockReason
    only_if_failed: bool = False


def _limit_keys(
    user: User | None, login: str, client: str | None, policy: SecurityPolicy
) -> list[_Count]:
    """The counts a failed sign-in adds to: the account's (or the login's) from this client
    address, the client address's on any accounts, and the account's from anywhere (whose
    lock refuses only addresses that have failed on it). The first is the one a success
    clears."""
    account = account_key(user, login)
    counts = [
        _Count(pair_key(account, client), policy.account_limit, "account"),
        _Count(account, policy.account_wide_limit, "account", only_if_failed=True),
    ]
    if client:
        counts.append(_Count(f"client:{client}", policy.client_limit, "client"))
    return counts


def pair_key(account: str, client: str | None) -> str:
    """The key of the failures on ``account`` (an :func:`account_key`) from ``client``."""
    return f"{account}|client:{client or '-'}"


def _refuse_if_locked(uow: UnitOfWork, counts: list[_Count], now: datetime) -> None:
    """:class:`TooManyFailuresError` if a count locks this sign-in out: the account for this
    address, or the address; the account as a whole only for an address that has failed on
    it within the window (so the owner, from an address that has not, still signs in)."""
    pair = counts[0]
    for count in counts:
        wait = locked_for(uow.accounts.sign_in_limit(count.key), now)
        if wait is None:
            continue
        if count.only_if_failed and not _failed_lately(
            uow.accounts.sign_in_limit(pair.key), pair.rule, now
        ):
            continue
        raise TooManyFailuresError(count.reason, wait)


def _failed_lately(record: SignInLimit | None, rule: LimitRule, now: datetime) -> bool:
    """Whether a count records a failure within its window (or a lock not yet over)."""
    if record is None:
        return False
    if locked_for(record, now) is not None:
        return True
    return record.window_start is not None and now - record.window_start <= rule.window


def account_key(user: User | None, login: str) -> str:
    """The key failed sign-ins to ``login`` are counted under: the account's, however it
    was named (by name or by email); the login as typed where nobody has it."""
    return f"user:{user.name}" if user is not None else f"login:{login.strip().lower()[:256]}"


def change_password(
    uow: UnitOfWork,
    name: str,
    old: str,
    new: str,
    *,
    keeping: str | None = None,
    client: str | None = None,
    policy: SecurityPolicy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> User:
    """Change a user's password, given the old one; every session of theirs but the one
    whose cookie carries ``keeping`` (the browser that changed it) ends. A wrong old password
    counts as a failed sign-in (so a borrowed session cannot guess it at leisure), and while
    the account is locked the password is not changed (:class:`TooManyFailuresError`)."""
    changed_hash = new_password_hash(new)
    now = now or datetime.now(UTC)
    authenticate(uow, name, old, client=client, policy=policy, now=now)
    with uow:
        user = lookup.user(uow, name)
        changed = replace(user, password_hash=changed_hash)
        uow.accounts.put_user(changed)
        # recorded before the sessions end: end_sessions commits this transaction
        record(uow, None, "account.password", actor=name, subject=name, now=now)
        end_sessions(uow, name, keeping=keeping, now=now)
        uow.commit()
    return changed


def new_password_hash(password: str) -> str:
    """The argon2 hash of a new password; InputError (field ``password``) if it is too
    short or too long."""
    return _HASHER.hash(check_password(password))


def prepare_sign_in() -> str:
    """The stand-in hash an unknown name's password is checked against, made on first call
    (a server calls this at start, so that even its first sign-in of an unknown name costs
    what any sign-in does)."""
    global _NOBODY
    if _NOBODY is None:
        _NOBODY = _HASHER.hash("a password nobody has")
    return _NOBODY


def _by_login(uow: UnitOfWork, login: str) -> User | None:
    return uow.accounts.user_by_email(login) if "@" in login else uow.accounts.user(login)


def _matches(user: User | None, password: str) -> bool:
    """Whether ``password`` is the user's (as long to find out for nobody as for anyone)."""
    try:
        _HASHER.verify(user.password_hash if user else prepare_sign_in(), password)
    except (VerificationError, InvalidHashError):
        return False
    return user is not None


def update_profile(
    uow: UnitOfWork, name: str, *, display_name: str | None = None, locale: str | None = None
) -> User:
    """Change a user's display name or language (``locale`` ``""``: the browser's again)."""
    with uow:
        user = lookup.user(uow, name)
        if display_name is not None:
            if len(display_name.strip()) > 100:
                raise InputError("display_name", "must be at most 100 characters")
            user = replace(user, display_name=display_name.strip())
        if locale is not None:
            user = replace(user, locale=locale or None)
        uow.accounts.put_user(user)
        record(uow, None, "account.profile", actor=name, subject=name,
               detail={"display_name": user.display_name, "locale": user.locale})
        uow.commit()
    return user


def issue_token(
    uow: UnitOfWork,
    name: str,
    label: str,
    *,
    scope: str = "write",
    days: int = DEFAULT_TOKEN_DAYS,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new API token for the user's scripts: its record, and the token itself (shown once,
    never stored). It works for ``days`` (1 to a year; 90 unless chosen) and may only read,
    or also change things (``scope``); InputError naming ``label``, ``scope`` or ``days``
    where one is not allowed."""
    label = label.strip()
    if not 1 <= len(label) <= 100:
        raise InputError("label", "must be 1 to 100 characters")
    try:
        checked_scope = check_token_scope(scope)
    except ValueError as error:
        raise InputError("scope", str(error)) from None
    try:
        days = check_token_days(days)
    except ValueError as error:
        raise InputError("days", str(error)) from None
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    now = now or datetime.now(UTC)
    with uow:
        lookup.user(uow, name)
        token = ApiToken(token_id, name, label, hash_secret(secret), now,
                         now + timedelta(days=days), scope=checked_scope)
        uow.accounts.add_token(token)
        record(uow, None, "token.issue", actor=name, subject=token_id,
               detail={"label": label, "scope": checked_scope,
                       "expires_at": token.expires_at.isoformat()},
               now=token.created_at)
        uow.commit()
    return token, f"{TOKEN_PREFIX}{token_id}_{secret}"


def check_token(
    uow: UnitOfWork, token: str, *, changing: bool = False, now: datetime | None = None
) -> ApiToken:
    """The record of a presented API token if it signs its user in for this request:
    :class:`SignInError` (401) if it is unknown, malformed, revoked or expired (or its user
    is gone); :class:`NotAllowedError` (403) if the request is ``changing`` something and
    the token only reads."""
    now = now or datetime.now(UTC)
    refused = SignInError("the API token is not valid")
    if not token.startswith(TOKEN_PREFIX):
        raise refused
    token_id, _, secret = token.removeprefix(TOKEN_PREFIX).partition("_")
    with uow:
        found = uow.accounts.token(token_id)
        if (
            found is None
            or found.revoked_at is not None
            or not hmac.compare_digest(found.secret_hash, hash_secret(secret))
        ):
            raise refused
        if now >= found.expires_at:
            raise SignInError("the API token has expired; make a new one on your account page")
        lookup.user(uow, found.user)
    if changing and found.scope != "write":
        raise NotAllowedError("this API token may only read; changes need a 'write' token")
    return found


def token_user(uow: UnitOfWork, token: str, *, now: datetime | None = None) -> User:
    """The user a presented API token belongs to (see :func:`check_token`)."""
    found = check_token(uow, token, now=now)
    with uow:
        return lookup.user(uow, found.user)


def revoke_token(
    uow: UnitOfWork, name: str, token_id: str, *, now: datetime | None = None
) -> ApiToken:
    """Revoke one of the user's tokens; it no longer signs anything in."""
    with uow:
        token = uow.accounts.token(token_id)
        if token is None or token.user != name:
            raise NotFoundError("API token", token_id)
        if token.revoked_at is not None:
            raise ConflictError(f"API token {token_id!r} is revoked already")
        revoked = replace(token, revoked_at=now or datetime.now(UTC))
        uow.accounts.put_token(revoked)
        record(uow, None, "token.revoke", actor=name, subject=token_id, now=revoked.revoked_at)
        uow.commit()
    return revoked


