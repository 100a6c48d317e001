"""Database commands: create or upgrade the schema."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from peerconomy.cli.common import DbOption, fail

__all__ = ["db_app"]

db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)


@db_app.command()
def upgrade(db: DbOption = None) -> None:
    """Create the tables of a new database, or migrate an older one to this version."""
    from peerconomy.store.sql import StoreError, default_database_url, upgrade_database

    url = db or default_database_url()
    try:
        revision = upgrade_database(url)
    except StoreError as err:
        fail(str(err))
    Console().print(f"[green]✓[/green] database at revision {escape(str(revision))}")
