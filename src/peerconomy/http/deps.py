"""What routes depend on: a unit of work, the caller, their access to a pool, and the site's
settings, sign-in policy and clock.

A caller is signed in by a session cookie (the pages; :mod:`peerconomy.http.sessions`) or,
under ``/api/v1`` only, by a personal API token (``Authorization: Bearer pct_...``,
scripts): the pages ignore the header, so a token never opens the account page or signs out
its owner's browsers. A token that only reads is refused (403) on any change; an expired one
signs nobody in (401). Every route that takes a unit of work (:data:`UowDep`) has its
session checked first, so a session that is over signs nobody in, and the pages show the
name of the session's record. A change on the strength of the cookie must carry the
session's CSRF token (:mod:`peerconomy.http.csrf`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Final

from fastapi import Depends, Request

from peerconomy.http.csrf import CSRF_HEADER, SAFE_METHODS, check_csrf
from peerconomy.http.errors import NotSignedInError
from peerconomy.http.sessions import CALLER_KEY, SessionDep, session_user
from peerconomy.http.settings import AppSettings
from peerconomy.http.state import Store, policy_of, time_of
from peerconomy.services import accounts, membership
from peerconomy.services.membership import Access
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import SecurityPolicy

__all__ = [
    "API_PREFIX",
    "BaseUrlDep",
    "Caller",
    "CallerDep",
    "NowDep",
    "PolicyDep",
    "SettingsDep",
    "UowDep",
    "UserDep",
    "app_settings",
    "base_url",
    "caller",
    "now",
    "on_api",
    "pool_access",
    "security_policy",
    "signed_in",
    "unit_of_work",
]

API_PREFIX: Final = "/api/v1"
"""Where the API is served: the only paths on which a bearer token is read."""


async def app_settings(request: Request) -> AppSettings:
    """The site's settings."""
    settings: AppSettings = request.app.state.settings
    return settings


async def base_url(request: Request) -> str:
    """Where people reach the site (links in notices and invitations)."""
    url: str = request.app.state.settings.base_url
    return url


async def security_policy(request: Request) -> SecurityPolicy:
    """:func:`~peerconomy.http.state.policy_of`, as a dependency (on the event loop: it does
    no I/O)."""
    return policy_of(request)


async def now(request: Request) -> datetime:
    """:func:`~peerconomy.http.state.time_of`, as a dependency (on the event loop)."""
    return time_of(request)


PolicyDep = Annotated[SecurityPolicy, Depends(security_policy)]
NowDep = Annotated[datetime, Depends(now)]


async def unit_of_work(request: Request, _session: SessionDep) -> UnitOfWork:
    """A new unit of work on the app's store (it opens no connection until it is entered),
    after the request's session is checked (:func:`~peerconomy.http.sessions.session_user`).

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


def caller(request: Request, uow: UowDep) -> Caller:
    """The caller, from a bearer token or the session; a changing request on the session
    passes the CSRF check (the header; forms are checked by the pages). Found once per
    request (an idempotency key asks before the route does)."""
    found: Caller | None = request.scope.get(CALLER_KEY)
    if found is None:
        found = _caller(request, uow)
        request.scope[CALLER_KEY] = found
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
