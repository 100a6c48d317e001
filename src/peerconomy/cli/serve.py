"""``peerconomy serve``: the web pages and the REST API on a database, with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from peerconomy.cli.common import DbOption, fail

__all__ = ["serve"]


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the pages and the REST API (docs at /api/docs) on the database."""
    import uvicorn

    from peerconomy.api import AppSettings, create_app
    from peerconomy.store.sql import StoreError, default_data_dir, default_database_url, open_store

    url = db or default_database_url()
    try:
        store = open_store(url)
    except StoreError as err:
        fail(str(err))
    settings = AppSettings.from_environment(default_data_dir())
    app = create_app(store, settings)
    typer.echo(f"peerconomy serves on http://{host}:{port} (API docs: /api/docs)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        store.close()
