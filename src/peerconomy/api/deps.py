"""What routes depend on: a unit of work, the caller, their access to a pool, and the CSRF
check.

A caller is signed in by a session cookie (the pages) or by a personal API token
(``Authorization: Bearer pct_...``, scripts). A request that changes something on the
strength of a session cookie must also carry the session's CSRF token (a form field
``csrf_token`` or the header ``X-CSRF-Token``): another site can make a browser send the
cookie, but cannot read the token. Token-authenticated requests need none; nothing sends a
bearer token on its own.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, Request

from peerconomy.api.errors import NotSignedInError
from peerconomy.api.mail import Mailer, notify
from peerconomy.services import accounts, membership
from peerconomy.services.errors import NotAllowedError
from peerconomy.services.membership import Access
from peerconomy.services.notices import Notice
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "SAFE_METHODS",
    "BaseUrlDep",
    "Caller",
    "CallerDep",
    "Notify",
    "NotifyDep",
    "Store",
    "UowDep",
    "UserDep",
    "base_url",
    "caller",
    "check_csrf",
    "csrf_token",
    "notifier",
    "pool_access",
    "signed_in",
    "unit_of_work",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class Store(Protocol):
    """What the app needs of a store (a :class:`~peerconomy.store.sql.SqlStore` or a
    :class:`~peerconomy.store.memory.MemoryStore`)."""

    def unit_of_work(self) -> UnitOfWork: ...


class Notify(Protocol):
    """Send the notices a composer makes, in the background (if mail is configured)."""

    def __call__(self, compose: Callable[[UnitOfWork], Iterable[Notice]]) -> None: ...


async def notifier(request: Request) -> Notify:
    """What routes call after a step others should hear of."""
    store: Store = request.app.state.store
    mailer: Mailer | None = request.app.state.mailer

    def send(compose: Callable[[UnitOfWork], Iterable[Notice]]) -> None:
        notify(mailer, store.unit_of_work, compose)

    return send


async def base_url(request: Request) -> str:
    """Where people reach the site (links in notices and invitations)."""
    url: str = request.app.state.settings.base_url
    return url


async def unit_of_work(request: Request) -> UnitOfWork:
    """A new unit of work on the app's store (it opens no connection until it is entered).

    This and the other dependencies that do no I/O are coroutines, so FastAPI runs them on
    the event loop instead of handing each to a worker thread and back."""
    store: Store = request.app.state.store
    return store.unit_of_work()


UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]
NotifyDep = Annotated[Notify, Depends(notifier)]
BaseUrlDep = Annotated[str, Depends(base_url)]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: a user name (None: nobody signed in) and how they signed in."""

    user: str | None
    by_token: bool = False


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made when first asked for)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def check_csrf(request: Request, presented: str | None) -> None:
    """Refuse a change made with the session cookie unless it carries the session's token."""
    expected = request.session.get(CSRF_FIELD)
    if not (
        isinstance(expected, str)
        and presented
        and hmac.compare_digest(expected.encode(), presented.encode())
    ):
        raise NotAllowedError("the form is stale or forged (CSRF token missing or wrong);"
                              " reload the page and try again")


def caller(request: Request, uow: UowDep) -> Caller:
    """The caller, from a bearer token or the session; a changing request on the session
    passes the CSRF check (the header; forms are checked by the pages)."""
    authorization = request.headers.get("Authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials:
        user = accounts.token_user(uow, credentials.strip())
        return Caller(user.name, by_token=True)
    name = request.session.get("user")
    if not isinstance(name, str):
        return Caller(None)
    if uow_user_gone(uow, name):
        request.session.clear()
        return Caller(None)
    if request.method not in SAFE_METHODS and request.url.path.startswith("/api/"):
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return Caller(name)


def uow_user_gone(uow: UnitOfWork, name: str) -> bool:
    """Whether a session's user no longer exists (a session outlives nothing else)."""
    with uow:
        return uow.accounts.user(name) is None


CallerDep = Annotated[Caller, Depends(caller)]


async def signed_in(who: CallerDep) -> str:
    """The signed-in caller's user name; 401 if nobody is signed in."""
    if who.user is None:
        raise NotSignedInError()
    return who.user


UserDep = Annotated[str, Depends(signed_in)]


def pool_access(pool: str, who: CallerDep, uow: UowDep) -> Access:
    """The caller's access to the pool named in the path (404 if they may not see it)."""
    found = membership.access(uow, pool, who.user)
    found.require(membership.Level.VIEWER, "see this pool")
    return found
