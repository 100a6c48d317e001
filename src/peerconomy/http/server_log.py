"""What the server writes to its log: one access-log line per request, and how the log is set
up for ``peerconomy serve`` (``PEERCONOMY_LOG_LEVEL``).

The access log (logger ``peerconomy.access``, level INFO, on standard output) has one line
per request, six fields separated by single spaces::

    2026-12-06T23:30:00.123Z 203.0.113.9 GET /pools/farm/period 200 12.3ms

- the time the request arrived, UTC, ISO 8601 to the millisecond;
- the client's address as the site resolves it (:func:`peerconomy.http.clients.client_of`:
  the socket's peer, or the ``X-Forwarded-For`` client behind a proxy named in
  ``PEERCONOMY_TRUSTED_PROXIES``), ``-`` if unknown;
- the method;
- the path as sent, without the query string, with a secret code in it (a password-reset,
  invitation, email-verification or unsubscribe link) written ``[redacted]``; any byte that is
  not printable ASCII is percent-encoded, so a field never holds a space or a line break;
- the status code of the answer (``-`` if the client went away before one was sent);
- how long the answer took, in milliseconds, from the request's arrival to the answer's
  last byte.

It never holds a header, a cookie, a token, a body or a query string: whatever secret a
request carries stays out of the log. A health check that is answered 200 (``GET`` or
``HEAD /health``) is written at DEBUG, not INFO: a container's probe asks every 10 s, 8,640
lines a day that say nothing; one answered otherwise (503: the database is gone) is written
at INFO as every other request. Where the level is ``warning`` or ``error`` there is no
access log; ``debug`` adds the health checks and what the libraries say at that level.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peerconomy.http.clients import TrustedProxies, client_of
from peerconomy.http.health import HEALTH_PATH
from peerconomy.http.settings import LogLevel

__all__ = ["ACCESS_LOGGER", "SECRET_PATHS", "AccessLog", "access_level", "access_line",
           "logging_config", "shown_path"]

ACCESS_LOGGER: Final = "peerconomy.access"
access_logger = logging.getLogger(ACCESS_LOGGER)

SECRET_PATHS: Final = re.compile(
    r"(?P<before>(?:/api/v1)?/(?:auth/password-reset|auth/verify-email|unsubscribe"
    r"|invitations|verify|reset)|/calendar|/pools/[^/]+/(?:calendar|hints))/(?P<secret>[^/]+)"
)
"""The paths whose next segment is a secret code: a password-reset, email-verification,
unsubscribe or invitation link, a calendar or feed address (whoever reads the code can use
it)."""
REDACTED: Final = "[redacted]"
_SAFE_PATH: Final = "/%:@!$&'()*+,;=-._~"
"""What a path keeps as it is in the log (the rest is percent-encoded)."""


def shown_path(raw: bytes) -> str:
    """The path of ``raw`` (the request's path as sent) as the access log writes it: no query
    string, secret codes redacted, nothing but printable ASCII."""
    path = quote(raw.split(b"?", 1)[0], safe=_SAFE_PATH)
    found = SECRET_PATHS.match(path)
    if found is not None:
        path = found.group("before") + "/" + REDACTED + path[found.end():]
    return path


def access_line(arrived: datetime, client: str | None, method: str, raw_path: bytes,
                status: int | None, seconds: float) -> str:
    """One line of the access log (the module's docstring says what each field is)."""
    when = arrived.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    who = quote(client, safe=":.[]") if client else "-"
    return " ".join([when, who, quote(method, safe=""), shown_path(raw_path),
                     str(status) if status is not None else "-", f"{seconds * 1000:.1f}ms"])


def access_level(method: str, path: str, status: int | None) -> int:
    """The level of a request's access-log line: DEBUG for a health check answered 200 (a
    probe's routine, every few seconds), INFO for every other request."""
    if status == 200 and method in ("GET", "HEAD") and path == HEALTH_PATH:
        return logging.DEBUG
    return logging.INFO


class AccessLog:
    """ASGI middleware that writes the access-log line of each HTTP request (outermost, so
    that it sees every answer, the refusals of :class:`~peerconomy.http.hardening.Hardening`
    too)."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: TrustedProxies = ()) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not access_logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        arrived = datetime.now(UTC)
        started = time.perf_counter()
        status: int | None = None

        async def send_logged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            level = access_level(scope["method"], scope["path"], status)
            if access_logger.isEnabledFor(level):
                peer = scope.get("client")
                client = client_of(peer[0] if peer else None,
                                   Headers(scope=scope).getlist("x-forwarded-for"),
                                   self.trusted_proxies)
                raw: bytes = scope.get("raw_path") or scope["path"].encode()
                access_logger.log(level, "%s", access_line(
                    arrived, client, scope["method"], raw, status,
                    time.perf_counter() - started))


def logging_config(level: LogLevel) -> dict[str, Any]:
    """The logging set-up (:func:`logging.config.dictConfig`) of a server at ``level``: the
    access log on standard output, the rest (``peerconomy``'s warnings and errors, uvicorn's
    start and stop) on standard error. ``peerconomy serve`` hands it to uvicorn, which sets
    it up in each worker process."""
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "access": {"format": "%(message)s"},
            "server": {
                "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
                "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            },
        },
        "handlers": {
            "access": {"class": "logging.StreamHandler", "formatter": "access",
                       "stream": "ext://sys.stdout"},
            "server": {"class": "logging.StreamHandler", "formatter": "server",
                       "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["server"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            "peerconomy": {"handlers": ["server"], "level": upper, "propagate": False},
            ACCESS_LOGGER: {"handlers": ["access"], "level": upper, "propagate": False},
        },
        "root": {"handlers": ["server"], "level": "WARNING" if upper != "DEBUG" else upper},
    }
