"""The application's shell, shared by the API and the pages: sessions, hardening
(:mod:`peerconomy.http.hardening`), the access log, the outbox, the health check, the error
answers and the API's docs (OpenAPI at ``/api/v1/openapi.json``, Swagger UI at
``/api/docs``), on a store. The API's routes and the pages are installed into it by whoever
puts the site together (:func:`peerconomy.asgi.create_app`): this package imports neither.

A change through the API on the strength of the session cookie must carry the session's
CSRF token in the ``X-CSRF-Token`` header, whichever route it goes to (the pages' forms carry
it as a field; a call with a bearer token needs none: :func:`~peerconomy.http.csrf.session_csrf`,
which the API's router depends on)."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Final

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles

from peerconomy import __version__, bootstrap
from peerconomy.http.errors import HtmlRenderer, install_error_handlers
from peerconomy.http.hardening import Hardening, docs_policy
from peerconomy.http.health import router as health_router
from peerconomy.http.mail import OutboxWorker
from peerconomy.http.server_log import AccessLog
from peerconomy.http.sessions import SESSION_COOKIE
from peerconomy.http.settings import AppSettings
from peerconomy.http.state import Store

__all__ = ["SWAGGER_UI_VERSION", "InstallApi", "InstallPages", "create_app"]

SWAGGER_UI = Path(__file__).with_name("swagger_ui")
SWAGGER_UI_VERSION: Final = "5.36.0"
"""The version of Swagger UI vendored in ``swagger_ui/`` (npm ``swagger-ui-dist``,
Apache-2.0; its README says where from and how to update)."""

InstallPages = Callable[[FastAPI], HtmlRenderer]
"""Adds the pages to an app; the renderer of refusals as pages."""
InstallApi = Callable[[FastAPI], None]
"""Adds the API's routes to an app."""


def create_app(store: Store, settings: AppSettings, *, api: InstallApi,
               pages: InstallPages | None = None) -> FastAPI:
    """The web service on ``store``: the API that ``api`` installs, and the pages that
    ``pages`` installs (None: the API alone)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Routes are plain functions run in worker threads; a few threads keep a busy process
        # from switching between many requests that hold database locks and wait for the GIL
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        # The scheduler's jobs and the outbox run in a thread of their own; a memory store
        # (tests, the simulator) takes no second writer, so there they run by outbox.tick()
        # and outbox.flush() alone
        if getattr(store, "takes_writers_in_threads", True):
            app.state.outbox.start()
        yield
        app.state.outbox.close()  # send what is due

    app = FastAPI(
        lifespan=lifespan,
        title="peerconomy",
        version=__version__,
        docs_url=None,  # served below, with a policy that lets Swagger UI run
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.store = store
    app.state.pages = pages is not None
    app.state.settings = settings
    app.state.security = settings.security_policy()
    app.state.mailer = bootstrap.mailer(settings)  # tests swap in a fake
    app.state.clock = bootstrap.clock()  # read by http.state.time_of; tests set their own
    app.state.outbox = OutboxWorker(  # the store, mailer and clock of now (tests swap them)
        lambda: app.state.store.unit_of_work(), lambda: app.state.mailer,
        clock=lambda: app.state.clock())
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
    if pages is not None:
        html = pages(app)
    # after the pages: a request is matched against the routes in order, and the pages are
    # what most requests ask for (their paths and the API's never overlap)
    api(app)
    install_error_handlers(app, html)
    _serve_docs(app)
    return app


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
