"""The REST API under ``/api/v1`` (OpenAPI docs at ``/api/docs``), on the services of
:mod:`peerconomy.services`: JSON routers only. Routes parse input, call one service and map
its refusals; what they share with the pages (sessions, CSRF, errors, hardening) is
:mod:`peerconomy.http`, and :func:`peerconomy.asgi.create_app` puts the two together."""

from typing import Final

from fastapi import APIRouter, Depends, FastAPI

from peerconomy.api.contract import document_contract, operation_id
from peerconomy.api.routes import (
    auth,
    books,
    holdings,
    notices,
    periods,
    pickup,
    pools,
    shift_exchange,
    shifts,
)
from peerconomy.http.csrf import session_csrf
from peerconomy.http.deps import API_PREFIX
from peerconomy.http.sessions import SESSION_COOKIE

__all__ = ["API_DESCRIPTION", "install_api"]

API_DESCRIPTION: Final = """A distribution pool's work and goods, shared by contributions.

Sign in with a personal API token (`Authorization: Bearer <token>`, from
`POST /api/v1/auth/tokens`). Hours, weights, costs and the books' amounts are JSON numbers
everywhere (an amount of the books is a multiple of 0.000001: read it as a decimal to add
exactly). Lists take `limit` and `offset`. Every error is answered as problem details
(RFC 9457, `application/problem+json`); bad input lists each mistake in `errors`."""


def install_api(app: FastAPI) -> None:
    """Serve the API's routes under ``/api/v1`` on ``app``, each change made with a session's
    cookie held to its CSRF token (:func:`~peerconomy.http.csrf.session_csrf`), and publish
    the API's contract (:func:`~peerconomy.api.contract.document_contract`) as its OpenAPI
    schema, with short operation ids."""
    app.description = API_DESCRIPTION
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(session_csrf)],
                    generate_unique_id_function=operation_id)
    for module in (auth, pools, periods, shifts, shift_exchange, holdings, pickup, notices,
                   books):
        api.include_router(module.router)
    app.include_router(api)
    document_contract(app, session_cookie=SESSION_COOKIE)
