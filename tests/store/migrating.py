"""Testing a migration on a database from before it (shared by the store's migration tests):
rows written at an older revision, the database then upgraded; and going back down."""

from __future__ import annotations

from collections.abc import Sequence

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from peerconomy.store import sql
from peerconomy.store.sql import create_engine_for, upgrade_database

__all__ = ["downgrade", "upgraded_from"]


def upgraded_from(database_url: str, revision: str, statements: Sequence[str]) -> None:
    """Bring the database to ``revision``, run ``statements`` there (rows as that revision's
    code wrote them), then upgrade it to the newest revision."""
    upgrade_database(database_url, revision)
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()
    upgrade_database(database_url)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database down to ``revision`` with the migrations' downgrades."""
    config = Config()
    config.set_main_option("script_location", sql.MIGRATIONS)
    config.attributes["url"] = database_url
    command.downgrade(config, revision)
