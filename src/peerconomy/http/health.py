"""``GET /health``: whether the server can do its work, for a load balancer, a container's
health check or a monitoring probe.

200 ``{"status": "ok", "version": "..."}`` when the database answers a cheap question
(``SELECT 1`` through the store), 503 ``{"status": "unavailable", "version": "..."}`` with
``Retry-After`` when it does not. The version is :data:`peerconomy.__version__`, the same
that ``peerconomy --version`` prints.

It needs no sign-in, reads no session and sets no cookie, so a probe calling it every few
seconds makes no sessions; ``Cache-Control: no-store`` keeps a proxy from answering for a
server that has since gone down. It is not part of the API (``/api/v1``) and not in its
schema: its answer is for machines watching the server, not for the site's clients.
"""

from __future__ import annotations

import logging
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from peerconomy import __version__
from peerconomy.http.hardening import RETRY_AFTER_SECONDS

__all__ = ["HEALTH_PATH", "router"]

HEALTH_PATH: Final = "/health"

logger = logging.getLogger("peerconomy.api")
router = APIRouter()


@router.api_route(HEALTH_PATH, methods=["GET", "HEAD"], include_in_schema=False)
def health(request: Request) -> JSONResponse:
    """The server's health: whether its database answers (GET or HEAD, as monitors ask; a
    plain function, so the question to the database runs in a worker thread)."""
    store = request.app.state.store
    unavailable: tuple[type[BaseException], ...] = getattr(store, "unavailable_errors", ())
    headers = {"Cache-Control": "no-store"}
    try:
        store.ping()
    except unavailable as error:
        logger.warning("health check: the database is unavailable: %s", error)
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return JSONResponse({"status": "unavailable", "version": __version__}, 503,
                            headers=headers)
    return JSONResponse({"status": "ok", "version": __version__}, headers=headers)
