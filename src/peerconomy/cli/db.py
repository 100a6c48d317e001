"""Database commands: create or upgrade the schema, back a database up and restore it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from peerconomy.cli.common import DbOption, fail, store_failure, terminal

__all__ = ["db_app"]

db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)


@db_app.command()
def upgrade(db: DbOption = None) -> None:
    """Create the tables of a new database, or migrate an older one to this version."""
    from peerconomy.bootstrap import StoreError, upgrade_database

    try:
        revision = upgrade_database(db)
    except StoreError as err:
        store_failure(err, db)
    terminal().print(f"[green]✓[/green] database at revision {escape(str(revision))}")


@db_app.command()
def backup(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", dir_okay=False,
                     help="The backup file to write (JSON; replaced whole if it exists)."),
    ],
    db: DbOption = None,
) -> None:
    """Write every pool, account and book entry of the database into one JSON file."""
    from peerconomy.bootstrap import StoreError, backup_database

    try:
        document = backup_database(db, output)
    except StoreError as err:
        store_failure(err, db)
    except OSError as err:
        fail(f"{output}: cannot write file: {err.strerror or err}", code=1)
    rows = sum(len(rows) for rows in document["tables"].values())
    terminal().print(
        f"[green]✓[/green] backed up {rows} rows of {len(document['tables'])} tables"
        f" (schema revision {escape(document['revision'])}) to {escape(str(output))}",
        soft_wrap=True,
    )


@db_app.command()
def restore(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", dir_okay=False, help="A file `db backup` wrote.")
    ],
    db: DbOption = None,
) -> None:
    """Restore a backup into a new, empty database (all of it, or nothing)."""
    from peerconomy.bootstrap import StoreError, restore_database

    try:
        restored = restore_database(db, file)
    except StoreError as err:
        store_failure(err, db)
    terminal().print(
        f"[green]✓[/green] restored {sum(restored.values())} rows of {len(restored)} tables"
        f" from {escape(str(file))}",
        soft_wrap=True,
    )
