"""The secret addresses of an account's subscriptions: its calendar, its pools' calendars of
open slots and their Atom feeds, which a calendar app or a feed reader fetches without
signing in.

One key per account serves all of them (docs/design.md, "Calendars"). An address carries
``<id><secret>`` (:data:`~peerconomy.domain.security.CALENDAR_TOKEN`); the store keeps the
id and the SHA-256 hash of the secret, compared in constant time. The secret is an HMAC of
the id under the site's secret key (:func:`address_secret`), so the account page and
``GET /api/v1/me`` can show the address whenever its owner asks, while neither a copy of the
database nor the key alone gives any address away. A key is made when its owner first asks
for their address; renewing it (:func:`renew`) makes a new id, and every old address is
unknown from then on (404). Where the site's secret key has changed since a key was made,
or a password reset voided the key (:func:`void`), the address shown would no longer match:
the key is renewed then, as it is shown.

Fetching an unknown address is counted against the client's address, as failed sign-ins
are; too many lock that client out for a while
(:class:`~peerconomy.services.security.TooManyGuessesError`, 429), so nobody can try ids
by the thousand. A known address costs no write.

>>> token = "0123456789abcdef" + address_secret("site key", "0123456789abcdef")
>>> len(token), bool(CALENDAR_TOKEN.fullmatch(token))
(59, True)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from peerconomy.domain.account import User
from peerconomy.domain.security import CALENDAR_TOKEN, CalendarKey, after_failure, locked_for
from peerconomy.services import lookup
from peerconomy.services.accounts import hash_secret
from peerconomy.services.audit import record
from peerconomy.services.errors import NotFoundError
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import DEFAULT_POLICY, SecurityPolicy, TooManyGuessesError

__all__ = ["Addresses", "PoolAddresses", "address_secret", "address_token", "addresses",
           "kept_addresses", "owner", "renew", "void"]

_PURPOSE = b"peerconomy calendar address "
"""What the HMAC of a key's id is for (so that no other signature of the site's key is one
of these)."""


def address_secret(site_key: str, key_id: str) -> str:
    """The secret of the calendar key ``key_id`` under the site's secret key: 43 characters
    of URL-safe base64 (the 256 bits of an HMAC-SHA256)."""
    digest = hmac.new(site_key.encode(), _PURPOSE + key_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _new_key(user: str, site_key: str, now: datetime) -> CalendarKey:
    key_id = secrets.token_hex(8)
    return CalendarKey(user, key_id, hash_secret(address_secret(site_key, key_id)), now)


def _token(key: CalendarKey, site_key: str) -> str | None:
    """The address token of ``key``, or None where the site's key no longer makes it."""
    secret = address_secret(site_key, key.id)
    if not hmac.compare_digest(key.secret_hash, hash_secret(secret)):
        return None
    return key.id + secret


def address_token(uow: UnitOfWork, user: str, site_key: str, *,
                  now: datetime | None = None) -> str:
    """The secret part of ``user``'s addresses (made if they have none yet, or renewed
    where the site's key has changed since)."""
    now = now or datetime.now(UTC)
    with uow:
        lookup.user(uow, user)
        found = uow.accounts.calendar_key(user)
        if found is not None:
            token = _token(found, site_key)
            if token is not None:
                return token
            return _renewed(uow, user, site_key, now)
        key = uow.accounts.add_calendar_key(_new_key(user, site_key, now))
        token = _token(key, site_key)
        if token is None:  # pragma: no cover - made a moment ago by another request
            return _renewed(uow, user, site_key, now)
        record(uow, None, "calendar.make", actor=user, subject=user, now=now)
        uow.commit()
    return token


def renew(uow: UnitOfWork, user: str, site_key: str, *, now: datetime | None = None) -> str:
    """A new secret for ``user``'s addresses; the old addresses stop working at once."""
    now = now or datetime.now(UTC)
    with uow:
        lookup.user(uow, user)
        return _renewed(uow, user, site_key, now)


def _renewed(uow: UnitOfWork, user: str, site_key: str, now: datetime) -> str:
    key = _new_key(user, site_key, now)
    uow.accounts.put_calendar_key(key)
    record(uow, None, "calendar.renew", actor=user, subject=user, now=now)
    uow.commit()
    return key.id + address_secret(site_key, key.id)


def void(uow: UnitOfWork, user: str, now: datetime) -> None:
    """In the caller's transaction: ``user``'s addresses stop working (a password reset,
    how an account is taken back: whoever held it may have copied them). The key is replaced
    by one that matches no secret, so new addresses are made when next shown."""
    if uow.accounts.calendar_key(user) is not None:
        uow.accounts.put_calendar_key(CalendarKey(user, secrets.token_hex(8), "", now))
        record(uow, None, "calendar.void", actor=user, subject=user, now=now)


def owner(uow: UnitOfWork, token: str, *, client: str | None = None,
          policy: SecurityPolicy = DEFAULT_POLICY, now: datetime | None = None) -> User:
    """The account whose address carries ``token``. An unknown, renewed or malformed token is
    :class:`NotFoundError` (and counted against ``client``); a client that has fetched too
    many unknown addresses lately is refused before the token is looked at
    (:class:`TooManyGuessesError`). No client (a test, the command line): nothing counted."""
    now = now or datetime.now(UTC)
    limit_key = f"address-client:{client}" if client else None
    with uow:
        if limit_key is not None:
            wait = locked_for(uow.accounts.sign_in_limit(limit_key), now)
            if wait is not None:
                raise TooManyGuessesError("client", wait)
        found = CALENDAR_TOKEN.fullmatch(token)
        key = uow.accounts.calendar_key_by_id(found.group("id")) if found else None
        user = uow.accounts.user(key.user) if key is not None else None
        if (found is not None and key is not None and user is not None and not user.disabled
                and hmac.compare_digest(key.secret_hash, hash_secret(found.group("secret")))):
            return user
        if limit_key is not None:
            uow.accounts.put_sign_in_limit(after_failure(
                uow.accounts.sign_in_limit(limit_key), limit_key, now,
                policy.address_client_limit))
            uow.commit()
    raise NotFoundError("calendar address", "…")


@dataclass(frozen=True, slots=True)
class PoolAddresses:
    """The secret addresses of one of the account's pools: its calendar of open slots and
    its hint board's Atom feed."""

    pool: str
    calendar_url: str
    feed_url: str
    title: str = ""
    """The pool as people read it (its display name, else its name)."""


@dataclass(frozen=True, slots=True)
class Addresses:
    """Every secret address of an account: its calendar (all its pools in one) and, for each
    pool it is an active member of, the pool's."""

    calendar_url: str
    pools: tuple[PoolAddresses, ...]


def addresses(uow: UnitOfWork, user: str, site_key: str, base_url: str, *,
              renewing: bool = False, now: datetime | None = None) -> Addresses:
    """``user``'s secret addresses on the site at ``base_url`` (``renewing``: with a new
    secret; the old addresses stop working)."""
    token = (renew if renewing else address_token)(uow, user, site_key, now=now)
    return _addresses(uow, user, token, base_url)


def kept_addresses(uow: UnitOfWork, user: str, site_key: str, base_url: str
                   ) -> Addresses | None:
    """``user``'s secret addresses if they have working ones, without making any (None:
    none yet, or voided): for a page that must change nothing, such as a refusal's."""
    with uow:
        found = uow.accounts.calendar_key(user)
    token = None if found is None else _token(found, site_key)
    return None if token is None else _addresses(uow, user, token, base_url)


def _addresses(uow: UnitOfWork, user: str, token: str, base_url: str) -> Addresses:
    with uow:
        pools = [lookup.pool(uow, name) for name, member in uow.accounts.memberships(user).items()
                 if member.active]
    base = base_url.rstrip("/")
    return Addresses(
        f"{base}/calendar/{token}.ics",
        tuple(PoolAddresses(pool.name,
                            f"{base}/pools/{quote(pool.name, safe='')}/calendar/{token}.ics",
                            f"{base}/pools/{quote(pool.name, safe='')}/hints/{token}.atom",
                            pool.display_name or pool.name)
              for pool in pools),
    )
