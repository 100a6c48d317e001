"""The application: the API under ``/api/v1`` (OpenAPI docs at ``/api/docs``), the pages,
sessions and error answers, on a store; hardened (:mod:`peerconomy.api.hardening`).

A change through the API on the strength of the session cookie must carry the session's
CSRF token in the ``X-CSRF-Token`` header, whichever route it goes to (the pages' forms carry
it as a field; a call with a bearer token needs none)."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Final

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles

from peerconomy import __version__
from peerconomy.api.contract import document_contract, operation_id
from peerconomy.api.deps import CSRF_HEADER, SAFE_METHODS, SESSION_ID, Store, check_csrf
from peerconomy.api.errors import install_error_handlers
from peerconomy.api.hardening import Hardening, docs_policy
from peerconomy.api.health import router as health_router
from peerconomy.api.mail import Mailer, OutboxWorker
from peerconomy.api.routes import auth, books, periods, pools
from peerconomy.api.server_log import AccessLog
from peerconomy.api.settings import AppSettings

__all__ = ["API_DESCRIPTION", "SESSION_COOKIE", "SWAGGER_UI_VERSION", "create_app"]

API_DESCRIPTION: Final = """A distribution pool's work and goods, shared by contributions.

Sign in with a personal API token (`Authorization: Bearer <token>`, from
`POST /api/v1/auth/tokens`). Hours, weights, costs and the books' amounts are JSON numbers
everywhere (an amount of the books is a multiple of 0.000001: read it as a decimal to add
exactly). Lists take `limit` and `offset`. Every error is answered as problem details
(RFC 9457, `application/problem+json`); bad input lists each mistake in `errors`."""

SESSION_COOKIE = "peerconomy_session"
SWAGGER_UI = Path(__file__).with_name("swagger_ui")
SWAGGER_UI_VERSION: Final = "5.36.0"
"""The version of Swagger UI vendored in ``swagger_ui/`` (npm ``swagger-ui-dist``,
Apache-2.0; its README says where from and how to update)."""


def create_app(store: Store, settings: AppSettings, *, pages: bool = True) -> FastAPI:
    """The web service on ``store``; ``pages`` False serves the API alone."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Routes are plain functions run in worker threads; a few threads keep a busy process
        # from switching between many requests that hold database locks and wait for the GIL
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        # The outbox is drained from a thread of its own; a memory store (tests, the
        # simulator) takes no second writer, so there it is drained by outbox.flush() alone
        if getattr(store, "takes_writers_in_threads", True):
            app.state.outbox.start()
        yield
        app.state.outbox.close()  # send what is due

    app = FastAPI(
        lifespan=lifespan,
        title="peerconomy",
        version=__version__,
        description=API_DESCRIPTION,
        generate_unique_id_function=operation_id,
        docs_url=None,  # served below, with a policy that lets Swagger UI run
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.store = store
    app.state.pages = pages
    app.state.settings = settings
    app.state.security = settings.security_policy()
    app.state.mailer = (
        Mailer(settings.smtp_url, settings.mail_from, base_url=settings.base_url,
               secret_key=settings.secret_key)
        if settings.smtp_url else None
    )
    app.state.outbox = OutboxWorker(  # the store and mailer of now (tests swap them)
        lambda: app.state.store.unit_of_work(), lambda: app.state.mailer)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_days * 24 * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(  # outside the app: its headers and limits hold for every answer
        Hardening,
        max_body_bytes=settings.max_body_bytes,
        max_scenario_bytes=settings.max_scenario_bytes,
        https=settings.secure_cookies,
        session_cookie=SESSION_COOKIE,
        unavailable=getattr(store, "unavailable_errors", ()),
    )
    # around everything: one line per request, whoever answered it
    app.add_middleware(AccessLog, trusted_proxies=settings.trusted_proxies)
    app.include_router(health_router)  # no session, no CSRF, no sign-in: for probes
    html = None
    if pages:
        from peerconomy.web import install_pages

        html = install_pages(app)
    # after the pages: a request is matched against the routes in order, and the pages are
    # what most requests ask for (their paths and the API's never overlap)
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(session_csrf)])
    for module in (auth, pools, periods, books):
        api.include_router(module.router)
    app.include_router(api)
    install_error_handlers(app, html)
    document_contract(app, session_cookie=SESSION_COOKIE)
    _serve_docs(app)
    return app


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


def _serve_docs(app: FastAPI) -> None:
    """The API's docs (Swagger UI) at ``/api/docs``, its script and style sheet served by the
    site itself from ``/api/docs/assets/`` (vendored, :data:`SWAGGER_UI_VERSION`), no
    inline script: the site's own policy, with images from ``data:`` URLs (Swagger UI's
    icons)."""
    assert app.openapi_url is not None
    assets = "/api/docs/assets"
    body = "\n".join([
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(app.title)} - Swagger UI</title>",
        f'<link rel="stylesheet" href="{assets}/swagger-ui.css?v={SWAGGER_UI_VERSION}">',
        f'<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">',
        "</head><body>",
        f'<div id="swagger-ui" data-openapi-url="{html.escape(app.openapi_url)}"></div>',
        f'<script src="{assets}/swagger-ui-bundle.js?v={SWAGGER_UI_VERSION}"></script>',
        f'<script src="{assets}/docs.js?v={SWAGGER_UI_VERSION}"></script>',
        "</body></html>",
    ])
    policy = docs_policy()
    app.mount(assets, StaticFiles(directory=SWAGGER_UI), name="swagger-ui")

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(body, headers={"Content-Security-Policy": policy})
