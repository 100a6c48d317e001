"""The CSRF check: a request that changes something on the strength of a session cookie
must carry the session's CSRF token (a form field ``csrf_token`` or the header
``X-CSRF-Token``); another site can make a browser send the cookie, but cannot read the
token. Token-authenticated requests need none; nothing sends a bearer token on its own."""

from __future__ import annotations

import hmac
import secrets
from typing import Final

from fastapi import Request

from peerconomy.http.sessions import SESSION_ID
from peerconomy.services.errors import NotAllowedError

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SAFE_METHODS",
    "check_csrf",
    "csrf_token",
    "session_csrf",
]

SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
"""The methods that change nothing, and so need no token."""
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "X-CSRF-Token"


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


async def session_csrf(request: Request) -> None:
    """Refuse (403) a change through the API made with a signed-in session's cookie unless it
    carries the session's CSRF token in ``X-CSRF-Token``; a bearer token needs none.

    This runs before any route's own dependencies, on every route of the API (those that
    never look at the caller, such as signing up, too); it reads only the cookie, so a
    session that is over but still in the cookie is held to the token as well."""
    if request.method in SAFE_METHODS:
        return
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return
    if SESSION_ID in request.session:
        check_csrf(request, request.headers.get(CSRF_HEADER))
