"""What every answer of the site carries, what it takes, and what it never tells.

:class:`Hardening` wraps the application (outside the sessions):

- Security headers on every answer: a Content-Security-Policy that allows scripts, styles,
  images and form targets from the site itself only (no inline script or style, no plugins,
  never in a frame), ``nosniff``, a same-origin referrer, ``X-Frame-Options: DENY``, no
  camera, microphone or location, and HSTS where the site is served over HTTPS (the
  settings' ``secure_cookies``). An answer that brings its own policy keeps it (the API's
  docs page, whose Swagger UI, served by the site itself, draws icons from ``data:``).
- A limit on the size of a request's body: ``max_body_bytes``, or ``max_scenario_bytes``
  for a route that takes a scenario (a project's tasks and goods). The body is read here,
  before the application sees any of it, counting what arrives (a declared
  ``Content-Length`` over the limit is refused before reading); over the limit, the answer
  is 413 and nothing is stored. The API answers in the shape of its 422 (problem details,
  :mod:`peerconomy.http.problems`)::

      {"type": "about:blank", "title": "Content Too Large", "status": 413, "detail": "...",
       "errors": [{"loc": ["body"], "msg": "...", "type": "too_large"}]}

  and the pages with a short page.
- Text no request may bring (:mod:`peerconomy.http.inputs`): a NUL or a lone surrogate in
  the path, the query, a header, a JSON body or a form, or ``NaN``/``Infinity`` in JSON, is
  refused here with 422 (the API's shape above, ``"type": "bad_text"``; a short page off
  the API), naming where it is and never repeating it; nothing is stored.
- ``Vary`` lists each field once: the pages say they vary by ``Accept-Language`` and
  ``Cookie``, and the sessions add ``Cookie`` again to whatever read the session; the
  fields are merged here, in their first order, ignoring case.
- ``Cache-Control: no-store`` on every answer to a request that carries credentials (an
  ``Authorization`` header or the session cookie), that sets a cookie, that changes
  something (a new API token or an invitation link is shown once, in such an answer), or
  whose address holds a secret code (a password-reset or invitation link, a calendar or feed
  address): no browser or proxy keeps a copy of what only its owner may see. The site's
  static files are the same for everyone and may be kept.
- A lost database is 503 with ``Retry-After``, not 500: an error of the store's kind
  ``unavailable`` (for the SQL store, a connection that cannot be opened or was lost)
  anywhere in what the application raised is answered "try again shortly" (JSON under the
  API, a short page elsewhere; neither needs the database).
- No stack trace for the client: an error the application does not handle is logged here
  with a reference, and the client gets a plain 500 naming the reference only.
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from collections.abc import Iterable
from typing import Final

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peerconomy.http.inputs import Refusal, bad_text, refused
from peerconomy.http.problems import input_problem, problem

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "NO_STORE_PATHS",
    "RETRY_AFTER_SECONDS",
    "SCENARIO_PATHS",
    "Hardening",
    "docs_policy",
    "security_headers",
]

logger = logging.getLogger("peerconomy.api")

CONTENT_SECURITY_POLICY: Final = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])
"""Everything from the site itself, nothing inline; never framed, no plugins."""

PERMISSIONS_POLICY: Final = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS: Final = "max-age=31536000"

SCENARIO_PATHS: Final = re.compile(r"(/api/v1)?/pools/[^/]+/projects/?")
"""The routes that take a scenario: a project's tasks and goods (the API's JSON, the
Projects page's form); they get the larger limit."""

NO_STORE_PATHS: Final = re.compile(
    r"(/api/v1)?/(reset|invitations)/.*|/calendar/.*|/pools/[^/]+/(calendar|hints)/.*")
"""Addresses that carry a secret code (a password-reset or an invitation link, a member's
calendar or feed address)."""
PUBLIC_FILES: Final = ("/static/", "/api/docs/assets/")
"""Where the site's own files are: the same for everyone, so a cache may keep them."""
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_SECONDS: Final = 30
"""What a 503 for a lost database asks the client to wait."""



def security_headers(*, https: bool) -> list[tuple[str, str]]:
    """The headers every answer carries (HSTS only over ``https``)."""
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if https:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def docs_policy() -> str:
    """The policy of the API's docs page (Swagger UI, served by the site itself): the site's
    own, but for images from ``data:`` URLs, as Swagger UI's style sheet draws its icons."""
    return CONTENT_SECURITY_POLICY.replace("img-src 'self'", "img-src 'self' data:")


class _TooLarge(Exception):
    """The body went over the limit while it was read."""


class Hardening:
    """The ASGI middleware described in :mod:`peerconomy.http.hardening`."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_scenario_bytes: int,
                 https: bool, session_cookie: str = "session",
                 unavailable: tuple[type[BaseException], ...] = ()) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_scenario_bytes = max_scenario_bytes
        self.headers = security_headers(https=https)
        self.session_cookie = session_cookie
        self.unavailable = unavailable

    def private(self, scope: Scope) -> bool:
        """Whether the answer to the request of ``scope`` must not be stored by any cache
        (before the answer says whether it sets a cookie)."""
        if scope.get("method") not in SAFE_METHODS or NO_STORE_PATHS.fullmatch(scope["path"]):
            return True
        if scope["path"].startswith(PUBLIC_FILES):
            return False
        headers = Headers(scope=scope)
        if headers.get("authorization"):
            return True
        cookies = ";".join(headers.getlist("cookie"))
        return any(part.strip().startswith(self.session_cookie + "=")
                   for part in cookies.split(";"))

    def lost_database(self, error: BaseException) -> bool:
        """Whether ``error``, or an error it arose from, says the database is unavailable."""
        seen: set[int] = set()
        found: BaseException | None = error
        while found is not None and id(found) not in seen:
            if isinstance(found, self.unavailable):
                return True
            seen.add(id(found))
            found = found.__cause__ or found.__context__
        return False

    def limit(self, path: str) -> int:
        """The largest body a request to ``path`` may have."""
        if SCENARIO_PATHS.fullmatch(path):
            return max(self.max_scenario_bytes, self.max_body_bytes)
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        private = self.private(scope)

        async def send_hardened(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    if name not in headers:
                        headers[name] = value
                if private or "set-cookie" in headers:
                    headers["Cache-Control"] = "no-store"
                _vary_once(headers)
            await send(message)

        path: str = scope["path"]
        bad = refused(path, scope.get("raw_path"), scope.get("query_string", b""),
                      scope.get("headers", ()))
        if bad is not None:
            await _bad_input(path, bad)(scope, receive, send_hardened)
            return
        limit = self.limit(path)
        try:
            body = await _read_body(scope, receive, limit)
        except _TooLarge:
            await _too_large(path, limit)(scope, receive, send_hardened)
            return
        if body is None:  # the client went away
            return
        bad = bad_text(body, Headers(scope=scope).get("content-type", ""))
        if bad is not None:
            await _bad_input(path, bad)(scope, receive, send_hardened)
            return
        try:
            await self.app(scope, _replay(body, receive), send_hardened)
        except Exception as error:
            if self.lost_database(error) and not started:
                logger.warning("the database is unavailable (%s %s): %s", scope.get("method"),
                               path, error)
                await _unavailable(path)(scope, receive, send_hardened)
                return
            reference = secrets.token_hex(4)
            logger.exception("unhandled error (reference %s) in %s %s", reference,
                             scope.get("method"), path)
            if started:  # too late for an answer of our own; the server closes it
                raise
            await _server_error(path, reference)(scope, receive, send_hardened)


def _vary_once(headers: MutableHeaders) -> None:
    """Merge the ``Vary`` headers into one that names each field once (``*`` stands for
    all)."""
    given = headers.getlist("vary")
    if not given:
        return
    fields: dict[str, str] = {}
    for value in given:
        for field in value.split(","):
            if field.strip():
                fields.setdefault(field.strip().lower(), field.strip())
    merged = "*" if "*" in fields else ", ".join(fields.values())
    if given != [merged]:
        headers["vary"] = merged


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes | None:
    """The whole body (None if the client disconnected); :class:`_TooLarge` over ``limit``."""
    declared = Headers(scope=scope).get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over ``body`` at once, then waits as ``receive`` does (for
    the client to disconnect)."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _too_large(path: str, limit: int) -> Response:
    message = f"the request body is larger than the limit of {limit} bytes"
    if path.startswith("/api/"):
        return input_problem(413, [{"loc": ["body"], "msg": message, "type": "too_large"}],
                             instance=path, headers={"Connection": "close"})
    return _page(413, "Too large", f"What you sent is too large: {message}.",
                 headers={"Connection": "close"})


def _bad_input(path: str, refusal: Refusal) -> Response:
    if path.startswith("/api/"):
        return input_problem(422, [{"loc": list(refusal.loc), "msg": refusal.msg,
                                    "type": "bad_text"}], instance=path)
    where = ".".join(str(part) for part in refusal.loc[1:]) or str(refusal.loc[0])
    return _page(422, "Bad input", f"{where}: {refusal.msg}.")


def _unavailable(path: str) -> Response:
    message = "The database cannot be reached just now; please try again shortly."
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if path.startswith("/api/"):
        return problem(503, message, instance=path, headers=headers)
    return _page(503, "Unavailable", message, headers=headers)


def _server_error(path: str, reference: str) -> Response:
    message = f"Something went wrong on the server (reference {reference})."
    if path.startswith("/api/"):
        return problem(500, message, instance=path)
    return _page(500, "Server error", message + " Please try again later.")


def _page(status: int, heading: str, message: str, headers: dict[str, str] | None = None
          ) -> HTMLResponse:
    """A page of its own (it needs neither the session nor the templates)."""
    text = "\n".join(_lines(heading, message))
    return HTMLResponse(text, status, headers=headers)


def _lines(heading: str, message: str) -> Iterable[str]:
    yield "<!doctype html>"
    yield '<html lang="en"><head><meta charset="utf-8">'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">'
    yield f"<title>{html.escape(heading)} · peerconomy</title>"
    yield '<link rel="stylesheet" href="/static/style.css"></head>'
    yield f'<body><main id="main"><h1>{html.escape(heading)}</h1>'
    yield f'<p class="flash error" role="alert">{html.escape(message)}</p>'
    yield '<p><a href="/">Home</a></p></main></body></html>'
