"""A browser's session: the signed cookie (made by the app's ``SessionMiddleware``) carries
a random session id, checked against the store's session records
(:mod:`peerconomy.services.sessions`) before any route reads the store, so a session that
expired, was signed out or was ended by a new password signs nobody in, on the API and the
pages alike. The cookie carries nothing else of the account: who is signed in is read from
the session's record, once per request (the answer is kept in the request's scope)."""

from __future__ import annotations

from typing import Annotated, Final

import anyio.to_thread
from fastapi import Depends, Request

from peerconomy.http.state import Store, policy_of, time_of
from peerconomy.services import sessions

__all__ = [
    "CALLER_KEY",
    "KEPT_ON_SIGN_OUT",
    "SESSION_COOKIE",
    "SESSION_ID",
    "SessionDep",
    "browser_session_id",
    "checked_session",
    "end_browser_session",
    "forget_browser_session",
    "session_user",
    "start_browser_session",
]

SESSION_COOKIE: Final = "peerconomy_session"
"""The name of the cookie that carries the signed session."""
SESSION_ID: Final = "sid"
"""The session's key that holds its id (the store keeps the id's hash)."""
_LEGACY_USER: Final = "user"
"""Where cookies made before the name left them kept the user's name (dropped when seen)."""
_CHECKED: Final = "peerconomy_session_user"
"""Where a request keeps the user its session was found to be, once checked."""
CALLER_KEY: Final = "peerconomy_caller"
"""Where a request keeps its caller, once found (:func:`peerconomy.http.deps.caller`):
dropped here whenever who is signed in changes."""
KEPT_ON_SIGN_OUT: Final = ("lang",)
"""What a browser's session keeps when it is signed out or rotated: the language chosen."""


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
    request.scope.pop(CALLER_KEY, None)  # found again: who is signed in has changed


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
    request.scope.pop(CALLER_KEY, None)  # found again: who is signed in has changed


def end_browser_session(request: Request) -> None:
    """Sign the browser out: its session ends in the store, and the cookie forgets it."""
    session_id = request.session.get(SESSION_ID)
    if isinstance(session_id, str):
        store: Store = request.app.state.store
        sessions.end_session(store.unit_of_work(), session_id, now=time_of(request))
    _forget(request)
    request.scope[_CHECKED] = None
    request.scope.pop(CALLER_KEY, None)  # found again: who is signed in has changed


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
