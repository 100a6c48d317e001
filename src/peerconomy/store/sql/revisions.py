"""The schema's revision: which Alembic migration a database is at, bringing it up to the
newest (``peerconomy db upgrade``), and refusing to open one at another revision with a
message that says what to do.

Opening a database already at :data:`SCHEMA_REVISION` needs no Alembic (whose import costs a
command a sixth of a second); Alembic is imported only to upgrade or to explain a refusal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.engine import URL
from sqlalchemy.sql import column as sql_column
from sqlalchemy.sql import table as sql_table

from peerconomy.store.sql.engine import (
    StoreError,
    create_engine_for,
    default_database_url,
    reaching,
    shown,
)

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "MIGRATIONS",
    "SCHEMA_REVISION",
    "DatabaseSchemaError",
    "alembic_config",
    "database_revision",
    "head_revision",
    "is_current",
    "revision_of",
    "settle_schema",
    "take_migration_lock",
    "upgrade_database",
]

MIGRATIONS = "peerconomy.store:migrations"
"""Alembic's ``script_location``: the migrations shipped inside the package."""

_MIGRATION_LOCK: Final = 0x70656572636F6E  # "peercon": a PostgreSQL advisory lock key
_VERSION_TABLE: Final = "alembic_version"
SCHEMA_REVISION: Final = "0022"
"""The newest migration's revision, the schema this version works with. ``head_revision``
reads it from the migrations with Alembic, and a test holds the two equal; opening a database
already at it needs no Alembic (whose import costs a command a sixth of a second)."""


class DatabaseSchemaError(StoreError):
    """The database's schema is not the one this version of peerconomy works with."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the shipped migrations, to run on ``connection`` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema revision this version of peerconomy works with, read from its migrations."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise DatabaseSchemaError(f"no migrations found in {MIGRATIONS}")
    return head


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def take_migration_lock(connection: Connection) -> None:
    """On PostgreSQL, one migration at a time (SQLite's BEGIN IMMEDIATE already is one)."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))


def upgrade_database(url: str | URL | None = None, revision: str = "head") -> str | None:
    """Bring the database's schema up to ``revision`` (the newest by default), in one
    transaction, and return the revision it is at: what ``peerconomy db upgrade`` does."""
    engine = create_engine_for(url if url is not None else default_database_url())
    try:
        with reaching(engine.url), engine.begin() as connection:
            take_migration_lock(connection)
            _upgrade(connection, revision)
            return revision_of(connection)
    finally:
        engine.dispose()


def revision_of(connection: Connection) -> str | None:
    """The revision in Alembic's version table (None without one), as Alembic reads it."""
    if not inspect(connection).has_table(_VERSION_TABLE):
        return None
    version = sql_table(_VERSION_TABLE, sql_column("version_num"))
    found = connection.execute(select(version.c.version_num))
    revisions = found.scalars().all()
    if len(revisions) == 1:
        return str(revisions[0])
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()  # none, or it raises


def database_revision(url: str | URL | None = None) -> str | None:
    """The database's schema revision (None for a database without peerconomy's schema)."""
    engine = create_engine_for(url if url is not None else default_database_url())
    try:
        with reaching(engine.url), engine.connect() as connection:
            return revision_of(connection)
    finally:
        engine.dispose()


def is_current(url: str | URL | None = None) -> bool:
    """Whether the database has the schema this version of peerconomy works with."""
    return database_revision(url) == head_revision()


def settle_schema(connection: Connection, url: URL, *, upgrade_if_empty: bool) -> None:
    """Make sure the database behind ``connection`` is at :data:`SCHEMA_REVISION`: a fresh,
    empty one gets the schema (if ``upgrade_if_empty``), any other is refused with a
    :class:`DatabaseSchemaError` that says what to do."""
    take_migration_lock(connection)
    current = revision_of(connection)
    empty = current is None and not inspect(connection).get_table_names()
    if empty and upgrade_if_empty:
        _upgrade(connection, "head")
        current = revision_of(connection)
    _check_revision(current, empty, url)


def _check_revision(current: str | None, empty: bool, url: URL) -> None:
    if current == SCHEMA_REVISION:
        return
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config())
    head = SCHEMA_REVISION  # Alembic's head (a test holds the two equal)
    where = f"the database {shown(url)}"
    if current is None:
        if empty:
            raise DatabaseSchemaError(
                f"{where} has no peerconomy tables yet: run `peerconomy db upgrade` to make them"
            )
        raise DatabaseSchemaError(
            lambda setting: f"{where} holds tables but no peerconomy schema revision: it is"
            f" not a peerconomy database (point {setting} at another one)"
        )
    try:
        script.get_revision(current)
    except (RevisionError, CommandError):
        raise DatabaseSchemaError(
            f"{where} is at schema revision {current!r}, which this version of peerconomy"
            f" does not know (it works with {head!r}): a newer peerconomy wrote it; upgrade"
            " peerconomy"
        ) from None
    raise DatabaseSchemaError(
        f"{where} is at schema revision {current!r}, and this version of peerconomy works with"
        f" {head!r}: back it up, then run `peerconomy db upgrade`"
    )
