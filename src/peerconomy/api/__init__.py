"""The REST API under ``/api/v1`` (OpenAPI docs at ``/api/docs``), on the services of
:mod:`peerconomy.services`: JSON routers only. Routes parse input, call one service and map
its refusals; what they share with the pages (sessions, CSRF, errors, hardening) is
:mod:`peerconomy.http`, and :func:`peerconomy.asgi.create_app` puts the two together."""

from fastapi import APIRouter, Depends, FastAPI

from peerconomy.api.routes import auth, books, periods, pools
from peerconomy.http.csrf import session_csrf
from peerconomy.http.deps import API_PREFIX

__all__ = ["install_api"]


def install_api(app: FastAPI) -> None:
    """Serve the API's routes under ``/api/v1`` on ``app``, each change made with a session's
    cookie held to its CSRF token (:func:`~peerconomy.http.csrf.session_csrf`)."""
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(session_csrf)])
    for module in (auth, pools, periods, books):
        api.include_router(module.router)
    app.include_router(api)
