"""The site: the API (:mod:`peerconomy.api`) and the pages (:mod:`peerconomy.web`) on the
shell they share (:mod:`peerconomy.http`).

:func:`app_from_environment` is the application as an ASGI server process builds it from the
environment: what ``peerconomy serve --workers N`` gives each of its worker processes (and
what a process manager may run directly, e.g. ``uvicorn --factory --no-proxy-headers
peerconomy.asgi:app_from_environment``: the app reads ``X-Forwarded-For`` itself, from
the proxies in ``PEERCONOMY_TRUSTED_PROXIES`` only, so uvicorn must not rewrite the client's
address first). The app writes its own access log (:mod:`peerconomy.http.server_log`, logger
``peerconomy.access``): such a manager should turn uvicorn's off (``--no-access-log``: it
shows the proxy's address and the query string) and give that logger a handler, as
:func:`~peerconomy.http.server_log.logging_config` does for ``peerconomy serve``.

The database is ``PEERCONOMY_DATABASE_URL`` (default: the SQLite file in the data directory);
the other settings are those of :meth:`AppSettings.from_environment`.
"""

from __future__ import annotations

import gc

from fastapi import FastAPI

from peerconomy.api import install_api
from peerconomy.http import app as shell
from peerconomy.http.settings import AppSettings
from peerconomy.http.state import Store
from peerconomy.services.accounts import prepare_sign_in
from peerconomy.web import install_pages

__all__ = ["app_from_environment", "create_app", "ready_to_serve"]


def create_app(store: Store, settings: AppSettings, *, pages: bool = True) -> FastAPI:
    """The web service on ``store``; ``pages`` False serves the API alone."""
    return shell.create_app(store, settings, api=install_api,
                            pages=install_pages if pages else None)


def ready_to_serve(app: FastAPI) -> FastAPI:
    """``app``, with its page templates compiled, the sign-in's stand-in hash made, and the
    objects made at start-up moved out of the garbage collector's sight.

    Everything built so far (modules, templates, the routing) lives as long as the process;
    frozen, the collector's full passes no longer walk it on every request's garbage.
    """
    if app.state.pages:
        from peerconomy.web.rendering import load_templates

        load_templates()
    prepare_sign_in()
    gc.collect()
    gc.freeze()
    return app


def app_from_environment() -> FastAPI:
    """The pages and the API on the configured database (its connections end with the
    worker process)."""
    from peerconomy.bootstrap import data_dir, open_store

    store = open_store()
    return ready_to_serve(create_app(store, AppSettings.from_environment(data_dir())))
