"""Alembic's environment for the pool store, run by :func:`peerconomy.store.sql.upgrade_database`.

The caller hands over an open connection in ``config.attributes["connection"]`` (so the
upgrade runs on the engine :func:`~peerconomy.store.sql.create_engine_for` made, with its
SQLite settings, inside the caller's transaction). Without one, the database named by
``config.attributes["url"]``, the ``sqlalchemy.url`` option or ``PEERCONOMY_DATABASE_URL``
is opened here. ``alembic upgrade --sql`` (offline mode) prints the SQL instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from peerconomy.store.sql.engine import create_engine_for, default_database_url
from peerconomy.store.tables import metadata

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    return str(url) if url else default_database_url()


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine_for(_url())
    try:
        with engine.connect() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
