"""The application: the API under ``/api/v1`` (OpenAPI docs at ``/api/docs``), the pages,
sessions and error answers, on a store."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from starlette.middleware.sessions import SessionMiddleware

from peerconomy import __version__
from peerconomy.api.deps import Store
from peerconomy.api.errors import install_error_handlers
from peerconomy.api.mail import Mailer
from peerconomy.api.routes import auth, books, periods, pools
from peerconomy.api.settings import AppSettings

__all__ = ["SESSION_COOKIE", "create_app"]

SESSION_COOKIE = "peerconomy_session"


def create_app(store: Store, settings: AppSettings, *, pages: bool = True) -> FastAPI:
    """The web service on ``store``; ``pages`` False serves the API alone."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Routes are plain functions run in worker threads; a few threads keep a busy process
        # from switching between many requests that hold database locks and wait for the GIL
        threads = int(os.environ.get("PEERCONOMY_THREADS", "8"))
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield
        if app.state.mailer is not None:
            app.state.mailer.close()  # send what is pending

    app = FastAPI(
        lifespan=lifespan,
        title="peerconomy",
        version=__version__,
        description="A distribution pool's work and goods, shared by contributions.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.store = store
    app.state.pages = pages
    app.state.settings = settings
    app.state.mailer = (
        Mailer(settings.smtp_url, settings.mail_from) if settings.smtp_url else None
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_days * 24 * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    html = None
    if pages:
        from peerconomy.web import install_pages

        html = install_pages(app)
    # after the pages: a request is matched against the routes in order, and the pages are
    # what most requests ask for (their paths and the API's never overlap)
    api = APIRouter(prefix="/api/v1")
    for module in (auth, pools, periods, books):
        api.include_router(module.router)
    app.include_router(api)
    install_error_handlers(app, html)
    return app
