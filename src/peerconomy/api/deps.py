"""What routes depend on: a unit of work, the caller, their access to a pool, the CSRF
check, and the site's sign-in policy and clock.

A caller is signed in by a session cookie (the pages) or, under ``/api/v1`` only, by a
personal API token (``Authorization: Bearer pct_...``, scripts): the pages ignore the
header, so a token never opens the account page or signs out its owner's browsers. A token
that only reads is refused (403) on any change; an expired one signs nobody in (401). The
session cookie (signed by the app) carries a random session id, checked against the store's
session records (:mod:`peerconomy.services.sessions`) before any route reads the store: every
route that
takes a unit of work (:data:`UowDep`) has its session checked first, so a session that
expired, was signed out or was ended by a new password signs nobody in, on the API and the
pages alike. The cookie carries nothing else of the account: who is signed in is read from
the session's record, once per request (the answer is kept in the request's scope), and the
pages show that name.

A request that changes something on the strength of a session cookie must also carry the
session's CSRF token (a form field ``csrf_token`` or the header ``X-CSRF-Token``): another
site can make a browser send the cookie, but cannot read the token. Token-authenticated
requests need none; nothing sends a bearer token on its own.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Final, Protocol

import anyio.to_thread
from fastapi import Depends, Request

from peerconomy.api.clients import client_of
from peerconomy.api.errors import NotSignedInError
from peerconomy.api.settings import AppSettings
from peerconomy.services import accounts, membership, sessions
from peerconomy.services.errors import NotAllowedError
from peerconomy.services.membership import Access
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import DEFAULT_POLICY, SecurityPolicy

__all__ = [
    "API_PREFIX",
    "SAFE_METHODS",
    "BaseUrlDep",
    "Caller",
    "CallerDep",
    "NowDep",
    "PolicyDep",
    "SessionDep",
    "SettingsDep",
    "Store",
    "UowDep",
    "UserDep",
    "app_settings",
    "base_url",
    "browser_session_id",
    "caller",
    "check_csrf",
    "checked_session",
    "client_address",
    "csrf_token",
    "end_browser_session",
    "forget_browser_session",
    "now",
    "on_api",
    "policy_of",
    "pool_access",
    "security_policy",
    "session_user",
    "signed_in",
    "start_browser_session",
    "time_of",
    "unit_of_work",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_PREFIX: Final = "/api/v1"
"""Where the API is served: the only paths on which a bearer token is read."""
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_ID: Final = "sid"
"""The session's key that holds its id (the store keeps the id's hash)."""
_LEGACY_USER: Final = "user"
"""Where cookies made before the name left them kept the user's name (dropped when seen)."""
_CHECKED: Final = "peerconomy_session_user"
"""Where a request keeps the user its session was found to be, once checked."""
_CALLER: Final = "peerconomy_caller"
"""Where a request keeps its caller, once found (:func:`caller`)."""
KEPT_ON_SIGN_OUT: Final = ("lang",)
"""What a browser's session keeps when it is signed out or rotated: the language chosen."""


class Store(Protocol):
    """What the app needs of a store (a :class:`~peerconomy.store.sql.SqlStore` or a
    :class:`~peerconomy.store.memory.MemoryStore`)."""

    def unit_of_work(self) -> UnitOfWork: ...

    def ping(self) -> None:
        """Raise an error of the store's ``unavailable_errors`` unless the database answers
        a cheap question."""


async def app_settings(request: Request) -> AppSettings:
    """The site's settings."""
    settings: AppSettings = request.app.state.settings
    return settings


async def base_url(request: Request) -> str:
    """Where people reach the site (links in notices and invitations)."""
    url: str = request.app.state.settings.base_url
    return url


def policy_of(request: Request) -> SecurityPolicy:
    """The site's limits on sign-in and sessions (``app.state.security``, else the
    defaults)."""
    policy = getattr(request.app.state, "security", None)
    return policy if isinstance(policy, SecurityPolicy) else DEFAULT_POLICY


def time_of(request: Request) -> datetime:
    """The time by the app's clock (``app.state.clock``, a function; tests set one), else the
    time now, in UTC."""
    clock: Callable[[], datetime] | None = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else datetime.now(UTC)


async def security_policy(request: Request) -> SecurityPolicy:
    """:func:`policy_of`, as a dependency (on the event loop: it does no I/O)."""
    return policy_of(request)


async def now(request: Request) -> datetime:
    """:func:`time_of`, as a dependency (on the event loop)."""
    return time_of(request)


def client_address(request: Request) -> str | None:
    """The caller's address, against which failed sign-ins and rate limits are counted: the
    socket's peer, or behind a proxy named in the settings (``trusted_proxies``) the address
    its ``X-Forwarded-For`` header names (:func:`peerconomy.api.clients.client_of`)."""
    peer = request.client.host if request.client is not None else None
    settings = getattr(request.app.state, "settings", None)
    trusted = getattr(settings, "trusted_proxies", ())
    return client_of(peer, request.headers.getlist("X-Forwarded-For"), trusted)


def session_user(request: Request) -> str | None:
    """The user the request's session cookie signs in (None: nobody), checked against the
    store once per request; a session that is over is dropped from the cookie."""
    if _CHECKED in request.scope:
        found: str | None = request.scope[_CHECKED]
        return found
    user: str | None = None
    if "session" in request.scope:
        request.session.pop(_LEGACY_USER, None)
        session_id = request.session.get(SESSION_ID)
        if isinstance(session_id, str):
            store: Store = request.app.state.store
            user = sessions.session_user(store.unit_of_work(), session_id,
                                         policy=policy_of(request), now=time_of(request))
        if user is None and session_id is not None:
            _forget(request)
    request.scope[_CHECKED] = user
    return user


def forget_browser_session(request: Request) -> None:
    """The browser is signed in as nobody for the rest of the request and after (its
    session's account is gone): the cookie keeps only its language."""
    _forget(request)
    request.scope[_CHECKED] = None
    request.scope.pop(_CALLER, None)  # found again: who is signed in has changed


def _forget(request: Request) -> None:
    """Drop everything of the browser's session but its language."""
    kept = {k: request.session[k] for k in KEPT_ON_SIGN_OUT if k in request.session}
    request.session.clear()
    request.session.update(kept)


def start_browser_session(request: Request, user: str) -> None:
    """Sign the browser in as ``user``: a new session with a new id (and a new CSRF token),
    the session before it ended (rotation, against session fixation)."""
    old = request.session.get(SESSION_ID)
    store: Store = request.app.state.store
    session_id = sessions.start_session(
        store.unit_of_work(), user, replacing=old if isinstance(old, str) else None,
        policy=policy_of(request), now=time_of(request),
    )
    _forget(request)
    request.session[SESSION_ID] = session_id
    request.scope[_CHECKED] = user
    request.scope.pop(_CALLER, None)  # found again: who is signed in has changed


def end_browser_session(request: Request) -> None:
    """Sign the browser out: its session ends in the store, and the cookie forgets it."""
    session_id = request.session.get(SESSION_ID)
    if isinstance(session_id, str):
        store: Store = request.app.state.store
        sessions.end_session(store.unit_of_work(), session_id, now=time_of(request))
    _forget(request)
    request.scope[_CHECKED] = None
    request.scope.pop(_CALLER, None)  # found again: who is signed in has changed


def browser_session_id(request: Request) -> str | None:
    """The id of the browser's session (to keep it when the others end)."""
    session_id = request.session.get(SESSION_ID) if "session" in request.scope else None
    return session_id if isinstance(session_id, str) else None


async def checked_session(request: Request) -> str | None:
    """:func:`session_user` as a dependency: on the event loop where the request carries no
    session to check (most anonymous requests), in a worker thread where it reads the
    store."""
    if (
        _CHECKED in request.scope
        or "session" not in request.scope
        or SESSION_ID not in request.session
    ):
        return session_user(request)
    return await anyio.to_thread.run_sync(session_user, request)


SessionDep = Annotated[str | None, Depends(checked_session)]
PolicyDep = Annotated[SecurityPolicy, Depends(security_policy)]
NowDep = Annotated[datetime, Depends(now)]


async def unit_of_work(request: Request, _session: SessionDep) -> UnitOfWork:
    """A new unit of work on the app's store (it opens no connection until it is entered),
    after the request's session is checked (:func:`session_user`).

    This and the other dependencies that do no I/O are coroutines, so FastAPI runs them on
    the event loop instead of handing each to a worker thread and back."""
    store: Store = request.app.state.store
    return store.unit_of_work()


UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]
BaseUrlDep = Annotated[str, Depends(base_url)]
SettingsDep = Annotated[AppSettings, Depends(app_settings)]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: a user name (None: nobody signed in) and how they signed in."""

    user: str | None
    by_token: bool = False
    """Signed in by an API token (not a browser's session): it may not make tokens."""


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
    passes the CSRF check (the header; forms are checked by the pages). Found once per
    request (an idempotency key asks before the route does)."""
    found: Caller | None = request.scope.get(_CALLER)
    if found is None:
        found = _caller(request, uow)
        request.scope[_CALLER] = found
    return found


def _caller(request: Request, uow: UnitOfWork) -> Caller:
    authorization = request.headers.get("Authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials and on_api(request):
        token = accounts.check_token(uow, credentials.strip(),
                                     changing=request.method not in SAFE_METHODS,
                                     now=time_of(request))
        return Caller(token.user, by_token=True)
    name = session_user(request)
    if name is None:
        return Caller(None)
    if request.method not in SAFE_METHODS and request.url.path.startswith("/api/"):
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return Caller(name)


def on_api(request: Request) -> bool:
    """Whether the request is to the API (``/api/v1``), the only place a bearer token signs
    anyone in: the pages ignore ``Authorization`` and know only the session cookie."""
    path: str = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


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
