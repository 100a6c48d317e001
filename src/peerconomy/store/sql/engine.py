"""Where the database is and how to reach it: its URL, the engine set up for the store, and
the :class:`StoreError` a database that cannot be opened raises.

:func:`default_database_url` reads ``PEERCONOMY_DATABASE_URL``, or else uses
``peerconomy.sqlite3`` in the user's data directory; :func:`create_engine_for` makes an
engine for a ``sqlite:///`` or ``postgresql://`` URL with the settings the store's
concurrency rests on (see :mod:`peerconomy.store.sql`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.schema import CreateSchema, DropSchema

from peerconomy.environment import DATABASE_URL_SETTING, setting

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DATABASE_URL_SETTING",
    "POOL_OVERFLOW",
    "POOL_SIZE",
    "DatabaseUrlError",
    "StoreError",
    "create_engine_for",
    "default_data_dir",
    "default_database_url",
    "parse_url",
    "reaching",
    "scoped_schema",
    "shown",
]

BUSY_TIMEOUT_MS: Final = 30_000
"""How long a SQLite writer waits for another's write lock before giving up."""

POOL_SIZE: Final = 10
"""PostgreSQL connections a store keeps open: more than a server process's worker threads
(``PEERCONOMY_THREADS``, 8 by default) use at once; up to :data:`POOL_OVERFLOW` more are
opened for a burst (background jobs) and closed again, 15 at most, as SQLAlchemy's default."""
POOL_OVERFLOW: Final = 5


class StoreError(Exception):
    """The store cannot be opened: the message says why and what to do (the CLI prints it).

    A message that names where the database is set is made by a function of that name
    (``says``): ``str(error)`` names :data:`DATABASE_URL_SETTING`, and :meth:`naming` the
    option the caller took the URL from (the CLI's ``--db``)."""

    def __init__(self, message: str | Callable[[str], str]) -> None:
        self._says = None if isinstance(message, str) else message
        super().__init__(message if isinstance(message, str) else message(DATABASE_URL_SETTING))

    def naming(self, setting: str) -> str:
        """The message, naming ``setting`` where it names where the database is set."""
        return str(self) if self._says is None else self._says(setting)


class DatabaseUrlError(StoreError, ValueError):
    """``PEERCONOMY_DATABASE_URL`` (or a ``--db`` option) names no database peerconomy uses."""


def shown(url: URL) -> str:
    """The URL as a message may show it: without its password."""
    return url.render_as_string(hide_password=True)


@contextmanager
def reaching(url: URL) -> Iterator[None]:
    """Turn a database that cannot be reached or opened into a :class:`StoreError` naming it."""
    try:
        yield
    except OperationalError as err:
        reason = str(err.orig if err.orig is not None else err).strip()
        raise StoreError(f"cannot open the database {shown(url)}: {reason}") from err


def default_data_dir() -> Path:
    """The user's peerconomy data directory (made if missing), e.g.
    ``~/.local/share/peerconomy`` on Linux."""
    folder = Path(platformdirs.user_data_dir("peerconomy"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database_url() -> str:
    """``PEERCONOMY_DATABASE_URL`` if set, else the SQLite file ``peerconomy.sqlite3`` in the
    user's data directory (:func:`default_data_dir`)."""
    configured = setting(DATABASE_URL_SETTING)
    if configured:
        return configured
    path = default_data_dir() / "peerconomy.sqlite3"
    return URL.create("sqlite", database=str(path)).render_as_string()


def parse_url(url: str | URL) -> URL:
    """The URL with its driver settled (psycopg 3 for PostgreSQL), or a
    :class:`DatabaseUrlError` that names the setting."""
    example = "sqlite:///path/to/peerconomy.sqlite3 or postgresql://user@host/database"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError(
            lambda setting: f"{setting} must be a database URL such as {example}, got {url!r}"
        ) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return parsed
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    raise DatabaseUrlError(
        lambda setting: f"{setting}: peerconomy stores pools in SQLite or PostgreSQL (through"
        f" psycopg 3), not {parsed.drivername!r}; use a URL such as {example}"
    )


def create_engine_for(url: str | URL) -> Engine:
    """An engine for a ``sqlite:///`` or ``postgresql://`` URL, set up for the store.

    SQLite: WAL journal, ``busy_timeout`` 30 s, foreign keys on, ``synchronous=NORMAL``, and
    every transaction begins with ``BEGIN IMMEDIATE`` so that writers queue. PostgreSQL
    (``postgresql://`` or ``postgresql+psycopg://``): psycopg 3, connections pinged before use,
    and a pool of :data:`POOL_SIZE` kept open, so that a busy server's worker threads reuse
    their connections instead of opening and closing one per request.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_connected)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        parsed, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW
    )


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver emits no BEGIN; _sqlite_begin does
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Take the write lock up front: a deferred transaction that reads and then writes fails
    # with SQLITE_BUSY_SNAPSHOT when another wrote meanwhile, whatever the busy timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def scoped_schema(url: str | URL, prefix: str = "peerconomy") -> Iterator[str]:
    """A fresh, empty schema on the PostgreSQL server at ``url`` for the ``with`` block,
    dropped with everything in it afterwards (for tests and benchmarks).

    Yields a URL whose connections put the schema first on their ``search_path``, so that a
    store opened on it, Alembic's version table included, lives in that schema alone.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseUrlError(f"a schema of its own needs a PostgreSQL URL, not {shown(parsed)}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    given = parsed.query.get("options", ())
    options = " ".join([*([given] if isinstance(given, str) else given), f"-csearch_path={schema}"])
    engine = create_engine_for(parsed)
    try:
        with reaching(engine.url), engine.begin() as connection:
            connection.execute(CreateSchema(schema))
        try:
            yield parsed.update_query_dict({"options": options}).render_as_string(
                hide_password=False
            )
        finally:
            with engine.begin() as connection:
                connection.execute(DropSchema(schema, cascade=True))
    finally:
        engine.dispose()
