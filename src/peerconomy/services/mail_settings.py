"""Links mailed to a person that work without signing in, and what they change: verifying
an account's email, and turning one kind of a pool's notices off (one-click unsubscribe).

Such a link carries a token signed with the site's secret key for one purpose (itsdangerous,
as the session cookie is): nobody can make one for another account or another purpose, and
a verification link stops working once the account's email changes or it is a week old.
Each person may also turn each kind of notice (reminders included) on or off per pool on
their account page and over the API (:func:`notice_settings`, :func:`pool_notice_settings`,
:func:`set_notices`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Final

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from peerconomy.domain.account import User
from peerconomy.domain.mail import NOTICE_KINDS, NoticeKind
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, NotFoundError
from peerconomy.services.notices import VERIFY
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "UNSUBSCRIBE",
    "VERIFY",
    "VERIFY_LINK_AGE",
    "notice_settings",
    "pool_notice_settings",
    "read_token",
    "set_notices",
    "sign",
    "unsubscribe",
    "verify_email",
]

UNSUBSCRIBE: Final = "unsubscribe"
VERIFY_LINK_AGE: Final = timedelta(days=7)
_UNSUBSCRIBE_LINK_AGE: Final = timedelta(days=3650)  # a notice in an archive still works


def sign(secret_key: str, purpose: str, payload: tuple[str, ...]) -> str:
    """A URL-safe token of ``payload`` signed with the site's key for ``purpose``."""
    return URLSafeTimedSerializer(secret_key, salt=purpose).dumps(list(payload))


def read_token(secret_key: str, purpose: str, token: str, max_age: timedelta,
               *, now: datetime | None = None) -> tuple[str, ...]:
    """The payload of a token :func:`sign` made for ``purpose``; NotFoundError if it is
    forged or made for something else, ConflictError if it is older than ``max_age``."""
    serializer = URLSafeTimedSerializer(secret_key, salt=purpose)
    try:
        payload, signed_at = serializer.loads(token, return_timestamp=True)
    except SignatureExpired:  # pragma: no cover - max_age is checked below, by our clock
        raise ConflictError("this link has expired") from None
    except BadSignature:
        raise NotFoundError("link", token[:16]) from None
    if (not isinstance(payload, list) or not payload
            or not all(isinstance(part, str) for part in payload)):
        raise NotFoundError("link", token[:16])
    if (now or datetime.now(UTC)) - signed_at > max_age:
        raise ConflictError("this link has expired")
    return tuple(payload)


def verify_email(uow: UnitOfWork, secret_key: str, token: str,
                 *, now: datetime | None = None) -> User:
    """Mark the account's email verified by the token of its verification link
    (NotFoundError: forged, or for an account gone or an email changed since; ConflictError:
    expired). Following it again changes nothing."""
    moment = now or datetime.now(UTC)
    payload = read_token(secret_key, VERIFY, token, VERIFY_LINK_AGE, now=moment)
    name = payload[0]
    with uow:
        user = uow.accounts.user(name)
        if user is None or payload[1:] != (user.email,):
            raise NotFoundError("account with the email of this link", name)
        if user.email_verified_at is not None:
            return user
        verified = replace(user, email_verified_at=moment)
        uow.accounts.put_user(verified)
        record(uow, None, "account.verify_email", actor=name, subject=name, now=moment)
        uow.commit()
    return verified


def unsubscribe(uow: UnitOfWork, secret_key: str, token: str) -> tuple[str, str, NoticeKind]:
    """Turn off the kind of notice of the pool a notice's unsubscribe link names, for its
    reader; the (user, pool, kind) turned off."""
    payload = read_token(secret_key, UNSUBSCRIBE, token, _UNSUBSCRIBE_LINK_AGE)
    if len(payload) != 3 or payload[2] not in NOTICE_KINDS:
        raise NotFoundError("link", token[:16])
    user, pool, kind = payload[0], payload[1], _kind(payload[2])
    set_notices(uow, user, pool, {kind: False})
    return user, pool, kind


def notice_settings(uow: UnitOfWork, user: str) -> dict[str, dict[NoticeKind, bool]]:
    """For each pool the user is a member of: which kinds of notice they want."""
    with uow:
        off = uow.mail.turned_off(user)
        pools = sorted(uow.accounts.memberships(user))
    return {pool: {kind: (pool, kind) not in off for kind in NOTICE_KINDS} for pool in pools}


def pool_notice_settings(uow: UnitOfWork, user: str, pool: str) -> dict[NoticeKind, bool]:
    """Which kinds of the pool's notices (reminders included) the user wants;
    NotFoundError if they are no member of it."""
    found = notice_settings(uow, user).get(pool)
    if found is None:
        raise NotFoundError("pool", pool)
    return found


def set_notices(uow: UnitOfWork, user: str, pool: str, wanted: dict[NoticeKind, bool]) -> None:
    """Turn kinds of the pool's notices on or off for the user, in one transaction."""
    with uow:
        if uow.accounts.user(user) is None:
            raise NotFoundError("user", user)
        for kind, on in wanted.items():
            uow.mail.set_wanted(user, pool, _kind(kind), on)
        record(uow, pool, "account.notices", actor=user, subject=user,
               detail={kind: on for kind, on in wanted.items()})
        uow.commit()


def _kind(kind: str) -> NoticeKind:
    for known in NOTICE_KINDS:
        if kind == known:
            return known
    raise NotFoundError("kind of notice", kind)
