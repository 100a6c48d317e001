"""``peerconomy serve``: the web pages and the REST API on a database, with uvicorn.

Its log is set up by :func:`peerconomy.http.server_log.logging_config` at the level of
``PEERCONOMY_LOG_LEVEL`` (default ``info``: an access-log line per request on standard
output, warnings and errors on standard error); uvicorn's own access log is off, as it
would show the proxy's address instead of the client's and the query string."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from peerconomy.cli.common import DbOption, fail, plain, store_failure

__all__ = ["serve"]


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes (about one per core; more than one needs PostgreSQL to"
            " pay off, SQLite writes one at a time).",
        ),
    ] = 1,
) -> None:
    """Serve the pages and the REST API (docs at /api/docs) on the database."""
    import uvicorn

    from peerconomy.asgi import create_app, ready_to_serve
    from peerconomy.bootstrap import StoreError, data_dir, database_url, open_store
    from peerconomy.environment import DATABASE_URL_SETTING
    from peerconomy.http.server_log import logging_config
    from peerconomy.http.settings import AppSettings

    url = database_url(db)
    try:
        store = open_store(url)  # checked (and a new database set up) once, before any worker
    except StoreError as err:
        store_failure(err, db)
    try:
        settings = AppSettings.from_environment(data_dir())
    except ValueError as err:  # a setting that is no setting, named: one line, exit 2
        store.close()
        fail(str(err))
    log_config = logging_config(settings.log_level)
    typer.echo(plain(f"peerconomy serves on http://{host}:{port} (API docs: /api/docs)"))
    if workers > 1:
        store.close()
        # each worker builds its app from the environment: the same database and secret key
        os.environ[DATABASE_URL_SETTING] = url
        os.environ["PEERCONOMY_SECRET_KEY"] = settings.secret_key
        uvicorn.run(
            "peerconomy.asgi:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=log_config,
            log_level=settings.log_level,
            access_log=False,  # the app writes its own (peerconomy.http.server_log)
            proxy_headers=False,  # the app reads X-Forwarded-For from trusted proxies only
        )
        return
    try:
        app = ready_to_serve(create_app(store, settings))
        uvicorn.run(app, host=host, port=port, log_config=log_config,
                    log_level=settings.log_level, access_log=False, proxy_headers=False)
    finally:
        store.close()
