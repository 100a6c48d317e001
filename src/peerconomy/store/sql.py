"""The SQL store: the unit of work and repositories of :mod:`peerconomy.services.ports` on
SQLite (the default, one file) or PostgreSQL, with SQLAlchemy Core.

Open a store with :func:`open_store` (a fresh, empty database gets the schema at once; one at
an older schema revision is refused until ``peerconomy db upgrade`` runs
:func:`upgrade_database`), then use it as the services do::

    store = open_store("sqlite:///farm.sqlite3")
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("farm"))
        uow.commit()

Where the database is: :func:`default_database_url` reads ``PEERCONOMY_DATABASE_URL``, or
else uses ``peerconomy.sqlite3`` in the user's data directory.

It behaves exactly as :mod:`peerconomy.store.memory`: lists come back in the order their
items were first added (a ``position`` column; a replaced offer or wish keeps its place),
a second plan for a period or a journal entry with a known id is refused with
:class:`ValueError`, and leaving a unit of work without :meth:`SqlUnitOfWork.commit` rolls
back.

Concurrency. On SQLite every transaction starts with ``BEGIN IMMEDIATE`` (SQLAlchemy's
recipe: the driver's own transaction handling is switched off), so two processes writing at
once queue behind SQLite's write lock (``busy_timeout`` 30 s) instead of one failing with
``SQLITE_BUSY`` when it turns from reading to writing; WAL lets readers of other processes
carry on meanwhile. On PostgreSQL :meth:`SqlPoolRepository.lock` takes the pool's row with
``SELECT ... FOR UPDATE``, so the services' steps on one pool serialise.

Speed. A pool of 10,000 participants has 50,000 offers and wishes and a plan of as many
assignments. Rows go in with one ``executemany`` (SQLite, straight to the driver after
SQLAlchemy's type processing) or ``COPY`` (PostgreSQL, above :data:`COPY_THRESHOLD` rows),
and come out in one query each, validated into the scenario's value objects in bulk by a
cached :class:`pydantic.TypeAdapter`.
"""

from __future__ import annotations

import functools
import threading
import uuid
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import datetime
from decimal import Decimal
from functools import wraps
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Final, ParamSpec, Self, TypeVar

import platformdirs
from pydantic import TypeAdapter
from pydantic_core import from_json, to_json
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Row,
    Table,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.schema import CreateSchema, DropSchema
from sqlalchemy.sql import column as sql_column
from sqlalchemy.sql import table as sql_table
from sqlalchemy.sql.elements import ColumnElement

from peerconomy.domain.account import ApiToken, Invitation, JoinRequest, User
from peerconomy.domain.audit import AuditEntry
from peerconomy.domain.collection import paused_collection
from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.domain.mail import NoticeKind, QueuedMail
from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import (
    Assignment,
    Member,
    Period,
    Plan,
    Pool,
    PoolProject,
    PoolSettings,
    WorkLog,
)
from peerconomy.domain.privacy import renamed_plan
from peerconomy.domain.scenario import Alternative, Good, Offer, Task, Wish
from peerconomy.domain.security import ResetToken, Session, SignInLimit
from peerconomy.environment import DATABASE_URL_SETTING, setting
from peerconomy.ledger.journal import Account, Posting, Transaction, participant_account
from peerconomy.store import tables as t

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "COPY_THRESHOLD",
    "DATABASE_URL_SETTING",
    "MIGRATIONS",
    "POOL_OVERFLOW",
    "POOL_SIZE",
    "DatabaseSchemaError",
    "DatabaseUrlError",
    "PlanCache",
    "SqlAccountRepository",
    "SqlAuditRepository",
    "SqlJournalRepository",
    "SqlPeriodRepository",
    "SqlPoolRepository",
    "SqlStore",
    "SqlUnitOfWork",
    "StoreError",
    "create_engine_for",
    "database_revision",
    "default_data_dir",
    "default_database_url",
    "head_revision",
    "is_current",
    "open_store",
    "scoped_schema",
    "upgrade_database",
]

MIGRATIONS = "peerconomy.store:migrations"
"""Alembic's ``script_location``: the migrations shipped inside the package."""

COPY_THRESHOLD: Final = 1000
"""On PostgreSQL, batches of more rows than this go in with ``COPY``."""

BUSY_TIMEOUT_MS: Final = 30_000
"""How long a SQLite writer waits for another's write lock before giving up."""

_MIGRATION_LOCK: Final = 0x70656572636F6E  # "peercon": a PostgreSQL advisory lock key


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


class DatabaseSchemaError(StoreError):
    """The database's schema is not the one this version of peerconomy works with."""


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


@contextmanager
def _reaching(url: URL) -> Iterator[None]:
    """Turn a database that cannot be reached or opened into a :class:`StoreError` naming it."""
    try:
        yield
    except OperationalError as err:
        reason = str(err.orig if err.orig is not None else err).strip()
        raise StoreError(f"cannot open the database {_shown(url)}: {reason}") from err


# --- where the database is, and how to open it ---------------------------------------------


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


def _parse(url: str | URL) -> URL:
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


POOL_SIZE: Final = 10
"""PostgreSQL connections a store keeps open: more than a server process's worker threads
(``PEERCONOMY_THREADS``, 8 by default) use at once; up to :data:`POOL_OVERFLOW` more are
opened for a burst (background jobs) and closed again, 15 at most, as SQLAlchemy's default."""
POOL_OVERFLOW: Final = 5


def create_engine_for(url: str | URL) -> Engine:
    """An engine for a ``sqlite:///`` or ``postgresql://`` URL, set up for the store.

    SQLite: WAL journal, ``busy_timeout`` 30 s, foreign keys on, ``synchronous=NORMAL``, and
    every transaction begins with ``BEGIN IMMEDIATE`` so that writers queue. PostgreSQL
    (``postgresql://`` or ``postgresql+psycopg://``): psycopg 3, connections pinged before use,
    and a pool of :data:`POOL_SIZE` kept open, so that a busy server's worker threads reuse
    their connections instead of opening and closing one per request.
    """
    parsed = _parse(url)
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


# --- the schema's revision ------------------------------------------------------------------


_VERSION_TABLE: Final = "alembic_version"
SCHEMA_REVISION: Final = "0011"
"""The newest migration's revision, the schema this version works with. ``head_revision``
reads it from the migrations with Alembic, and a test holds the two equal; opening a database
already at it needs no Alembic (whose import costs a command a sixth of a second)."""


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema revision this version of peerconomy works with, read from its migrations."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise DatabaseSchemaError(f"no migrations found in {MIGRATIONS}")
    return head


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(_alembic_config(connection), revision)


def _take_migration_lock(connection: Connection) -> None:
    """On PostgreSQL, one migration at a time (SQLite's BEGIN IMMEDIATE already is one)."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))


def upgrade_database(url: str | URL | None = None, revision: str = "head") -> str | None:
    """Bring the database's schema up to ``revision`` (the newest by default), in one
    transaction, and return the revision it is at: what ``peerconomy db upgrade`` does."""
    engine = create_engine_for(url if url is not None else default_database_url())
    try:
        with _reaching(engine.url), engine.begin() as connection:
            _take_migration_lock(connection)
            _upgrade(connection, revision)
            return _revision(connection)
    finally:
        engine.dispose()


def _revision(connection: Connection) -> str | None:
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
        with _reaching(engine.url), engine.connect() as connection:
            return _revision(connection)
    finally:
        engine.dispose()


def is_current(url: str | URL | None = None) -> bool:
    """Whether the database has the schema this version of peerconomy works with."""
    return database_revision(url) == head_revision()


def _check_revision(current: str | None, empty: bool, url: URL) -> None:
    if current == SCHEMA_REVISION:
        return
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(_alembic_config())
    head = SCHEMA_REVISION  # Alembic's head (a test holds the two equal)
    where = f"the database {_shown(url)}"
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


def open_store(url: str | URL | None = None, *, upgrade_if_empty: bool = True) -> SqlStore:
    """A store on the database at ``url`` (default: :func:`default_database_url`).

    A fresh, empty database gets the schema at once (unless ``upgrade_if_empty`` is False).
    Raise :class:`StoreError` if it cannot be: :class:`DatabaseUrlError` for a bad URL,
    :class:`DatabaseSchemaError` for a database at another schema revision (the message
    says what to do, e.g. run ``peerconomy db upgrade``), a plain :class:`StoreError` for a
    database that cannot be reached or opened.
    """
    engine = create_engine_for(url if url is not None else default_database_url())
    try:
        with _reaching(engine.url), engine.begin() as connection:
            _take_migration_lock(connection)
            current = _revision(connection)
            empty = current is None and not inspect(connection).get_table_names()
            if empty and upgrade_if_empty:
                _upgrade(connection, "head")
                current = _revision(connection)
            _check_revision(current, empty, engine.url)
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine)


@contextmanager
def scoped_schema(url: str | URL, prefix: str = "peerconomy") -> Iterator[str]:
    """A fresh, empty schema on the PostgreSQL server at ``url`` for the ``with`` block,
    dropped with everything in it afterwards (for tests and benchmarks).

    Yields a URL whose connections put the schema first on their ``search_path``, so that a
    store opened on it, Alembic's version table included, lives in that schema alone.
    """
    parsed = _parse(url)
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseUrlError(f"a schema of its own needs a PostgreSQL URL, not {_shown(parsed)}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    given = parsed.query.get("options", ())
    options = " ".join([*([given] if isinstance(given, str) else given), f"-csearch_path={schema}"])
    engine = create_engine_for(parsed)
    try:
        with _reaching(engine.url), engine.begin() as connection:
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


class SqlStore:
    """A pool store in a SQL database: hands out units of work; :meth:`close` when done.

    A store that is dropped unclosed closes its connections then (not at some later garbage
    collection, where the driver would warn of connections deleted while open).
    """

    unavailable_errors: Final = (OperationalError,)
    """What the store raises where the database cannot be reached, opened or used (gone,
    unreadable, its server down or restarting); a server answers 503, try again later."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._plans = PlanCache()
        self._finalizer = weakref.finalize(self, engine.dispose)

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work over this store."""
        return SqlUnitOfWork(self.engine, self._plans)

    def ping(self) -> None:
        """Ask the database something cheap (``SELECT 1``): raise one of
        :attr:`unavailable_errors` if it does not answer (for a health check)."""
        with self.engine.connect() as connection:
            connection.execute(select(literal(1)))

    def close(self) -> None:
        """Close the store's connections."""
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class PlanCache:
    """Plans as read from the database, kept parsed for the next reader (thread-safe).

    A plan is never changed once stored, and every page shows the latest one: reading and
    parsing its JSON on every request would cost more than the rest of the page. A reader
    still asks the database for the plan's stamp (input hash and time of clearing, a few
    bytes), and takes the kept plan only if the stamp matches, so a plan that was rolled back
    or replaced by a restore is never served. At most ``max_chars`` of plan JSON are kept, the
    least recently read plans dropped first.
    """

    def __init__(self, max_chars: int = 64_000_000) -> None:
        self._max_chars = max_chars
        self._kept: OrderedDict[tuple[str, int], tuple[Plan, int]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, pool: str, number: int, input_hash: str, cleared_at: datetime) -> Plan | None:
        """The kept plan of that period, if it has this stamp."""
        with self._lock:
            kept = self._kept.get((pool, number))
            if kept is None:
                return None
            plan = kept[0]
            if plan.input_hash != input_hash or plan.cleared_at != cleared_at:
                return None
            self._kept.move_to_end((pool, number))
            return plan

    def put(self, plan: Plan, chars: int) -> None:
        """Keep ``plan``, read from ``chars`` characters of JSON."""
        if chars > self._max_chars:
            return
        with self._lock:
            old = self._kept.pop((plan.pool, plan.period), None)
            if old is not None:
                self._chars -= old[1]
            self._kept[(plan.pool, plan.period)] = (plan, chars)
            self._chars += chars
            while self._chars > self._max_chars:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._chars -= dropped


# --- bulk rows ------------------------------------------------------------------------------


def _insert_many(connection: Connection, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows: tuples of all of ``table``'s columns in order, as the database keeps them
    (JSON as text, amounts in micro-hours).

    The rows go straight to the driver, past SQLAlchemy's per-row parameter handling:
    ``executemany`` on SQLite and for a small batch on PostgreSQL, ``COPY`` for a large one.
    """
    if not rows:
        return
    dialect = connection.dialect
    statement = str(insert(table).compile(dialect=dialect))
    if dialect.name != "postgresql":
        connection.exec_driver_sql(statement, list(rows))
    elif len(rows) <= COPY_THRESHOLD:
        columns = table.columns.keys()
        connection.exec_driver_sql(
            statement, [dict(zip(columns, row, strict=True)) for row in rows]
        )
    else:
        _copy(connection, table, rows)


def _copy(connection: Connection, table: Table, rows: Iterable[tuple[Any, ...]]) -> None:
    """``COPY table FROM STDIN`` through psycopg, inside the connection's transaction."""
    from psycopg import sql  # only PostgreSQL stores need psycopg

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, table.columns.keys()))
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _to_json(value: Any) -> str:
    """JSON text (pydantic's encoder: several times faster than ``json``, floats exact)."""
    return to_json(value, inf_nan_mode="constants").decode()


def _from_json(text: str) -> Any:
    return from_json(text, allow_inf_nan=True)


_ALTERNATIVES: Final = TypeAdapter(list[Alternative])
_ALTERNATIVE_LISTS: Final = TypeAdapter(list[list[Alternative]])


def _alternatives_json(alternatives: list[Alternative]) -> str:
    """A wish's alternatives as a JSON list, leaving out what an alternative does not name."""
    return _ALTERNATIVES.dump_json(alternatives, exclude_none=True).decode()


_Item = TypeVar("_Item")


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[_Item]) -> TypeAdapter[list[_Item]]:
    """A cached validator of a list of ``kind`` (offers, wishes, ...)."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(list[kind])  # type: ignore[valid-type]
    return adapter


def _validated(kind: type[_Item], items: list[dict[str, Any]]) -> list[_Item]:
    return _adapter(kind).validate_python(items)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _bulk(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``method`` with the cyclic garbage collector paused: it makes tens of thousands of
    objects, none of them cyclic garbage, and the collector's passes over them would cost more
    than the query."""

    @wraps(method)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with paused_collection():
            return method(*args, **kwargs)

    return paused


def _next_position(connection: Connection, table: Table, *scope: ColumnElement[bool]) -> int:
    """The position after the last row in ``scope`` (1 for the first)."""
    last = connection.scalar(select(func.max(table.c.position)).where(*scope))
    return 1 if last is None else int(last) + 1


def _dialect_insert(dialect: str) -> Callable[[Table], postgresql.Insert | sqlite.Insert]:
    """The INSERT of the dialect named ``dialect``, which has ``ON CONFLICT``."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _put(
    connection: Connection,
    table: Table,
    keys: dict[str, Any],
    values: dict[str, Any],
    scope: Sequence[str],
) -> None:
    """Insert a row at the end of its list (``scope``: the key columns the list is per), or
    update the one with its ``keys`` in place, keeping its position."""
    statement = _put_statement(connection.dialect.name, table, tuple(keys), tuple(values),
                               tuple(scope))
    connection.execute(statement, {**keys, **values})


@functools.cache
def _put_statement(dialect: str, table: Table, keys: tuple[str, ...], values: tuple[str, ...],
                   scope: tuple[str, ...]) -> postgresql.Insert | sqlite.Insert:
    """:func:`_put`'s statement, built once for each table and set of columns (the values
    are bound when it runs)."""
    position = (
        select(func.coalesce(func.max(table.c.position), 0) + 1)
        .where(*(table.c[name] == bindparam(name) for name in scope))
        .scalar_subquery()
    )
    statement = _dialect_insert(dialect)(table).values(
        **{name: bindparam(name) for name in (*keys, *values)}, position=position
    )
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in values}
    )


# --- repositories ---------------------------------------------------------------------------


class _Repository:
    """What the repositories of one unit of work share: its connection, and the rows read so
    far in its transaction (an identity map).

    A page asks for the pool, the caller's membership and the current period in several of
    the services it calls; within one transaction the answer stays the same until something
    is written, so the repeated reads are answered from memory (:func:`_remembered`). Every
    write (:func:`_writes`), taking a lock and committing forget them: after a lock, what
    another transaction committed meanwhile is read afresh.
    """

    def __init__(self, connection: Connection, seen: dict[tuple[Any, ...], Any] | None = None
                 ) -> None:
        self._c = connection
        self._seen: dict[tuple[Any, ...], Any] = seen if seen is not None else {}


_Repo = TypeVar("_Repo", bound=_Repository)
_WRITERS: set[str] = set()
"""The qualified names of the repository methods marked :func:`_writes`."""


def _read_key(method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Where the unit of work keeps what the read ``method`` (its qualified name) returned
    for these arguments."""
    return (method, args, tuple(kwargs.items()))


def _remembered(
    method: Callable[Concatenate[_Repo, _P], _R],
) -> Callable[Concatenate[_Repo, _P], _R]:
    """A read answered from the unit of work's memory when it was made before (and nothing
    was written since)."""
    name = method.__qualname__

    @wraps(method)
    def read(repository: _Repo, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        key = _read_key(name, args, kwargs)
        seen = repository._seen
        if key in seen:
            found: _R = seen[key]
            return found
        found = method(repository, *args, **kwargs)
        seen[key] = found
        return found

    return read


def _writes(
    method: Callable[Concatenate[_Repo, _P], _R],
) -> Callable[Concatenate[_Repo, _P], _R]:
    """A write: the unit of work forgets what it has read."""

    @wraps(method)
    def write(repository: _Repo, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        repository._seen.clear()
        return method(repository, *args, **kwargs)

    _WRITERS.add(method.__qualname__)
    return write


def _pool_values(pool: Pool) -> dict[str, Any]:
    """The columns of a pool's row but its name."""
    s = pool.settings
    return {"max_weight": s.max_weight, "seed": s.seed,
            "communal_validation": s.communal_validation, "admission": s.admission,
            "public": s.public, "version": pool.version}


class SqlPoolRepository(_Repository):
    """Pools and what they are made of (:class:`~peerconomy.services.ports.PoolRepository`)."""

    @_writes
    def add(self, pool: Pool) -> None:
        self._c.execute(insert(t.pools).values(name=pool.name, **_pool_values(pool)))

    @_writes
    def put_settings(self, pool: Pool) -> None:
        self._c.execute(
            update(t.pools).where(t.pools.c.name == pool.name).values(**_pool_values(pool))
        )

    @_remembered
    def get(self, name: str) -> Pool | None:
        return self._pool(name, lock=False)

    def lock(self, name: str) -> Pool | None:
        self._seen.clear()  # what others committed while we waited for the lock counts
        return self._pool(name, lock=True)

    def _pool(self, name: str, *, lock: bool) -> Pool | None:
        row = self._c.execute(_POOL_LOCKED if lock else _POOL, {"pool": name}).first()
        if row is None:
            return None
        *settings, version = row
        return Pool(name, PoolSettings(*settings), version)

    def names(self) -> list[str]:
        return sorted(self._c.scalars(select(t.pools.c.name)))

    def projects(self, pool: str) -> list[PoolProject]:
        rows = self._c.execute(_PROJECTS, {"pool": pool})
        return [PoolProject(*row) for row in rows]

    @_writes
    def put_project(self, pool: str, project: PoolProject) -> None:
        _put(
            self._c,
            t.projects,
            {"pool": pool, "id": project.id},
            {"active": project.active, "forked_from": project.forked_from,
             "version": project.version},
            scope=("pool",),
        )

    @_bulk
    def members(self, pool: str) -> list[Member]:
        m = t.members.c
        rows = self._c.execute(
            select(*_MEMBER_COLUMNS).where(m.pool == pool).order_by(m.position)
        )
        return [Member(*row) for row in rows]

    @_remembered
    def member(self, pool: str, participant: str) -> Member | None:
        row = self._c.execute(_MEMBER, {"pool": pool, "participant": participant}).first()
        return None if row is None else Member(*row)

    @_remembered
    def standing(self, pool: str, user: str) -> tuple[Pool, User | None, Member | None] | None:
        row = self._c.execute(_STANDING, {"pool": pool, "user": user}).first()
        if row is None:
            return None
        found = Pool(pool, PoolSettings(
            max_weight=row.max_weight, seed=row.seed,
            communal_validation=row.communal_validation, admission=row.admission,
            public=row.public), row.pool_version)
        account = None if row.user_name is None else User(
            **{f: getattr(row, f"user_{f}") for f in _USER_FIELDS})
        member = None if row.member_id is None else Member(
            row.member_id, *(getattr(row, f"member_{f}") for f in _MEMBER_FIELDS[1:]))
        # what the request reads next, answered by this read
        self._seen[_read_key(SqlPoolRepository.get.__qualname__, (pool,), {})] = found
        self._seen[_read_key(SqlAccountRepository.user.__qualname__, (user,), {})] = account
        if member is not None:
            key = _read_key(SqlPoolRepository.member.__qualname__, (pool, member.id), {})
            self._seen[key] = member
        return found, account, member

    @_writes
    @_bulk
    def add_members(self, pool: str, members: Iterable[Member]) -> None:
        start = _next_position(self._c, t.members, t.members.c.pool == pool)
        rows = [
            (pool, m.id, i, m.capacity, m.exempt, m.role, m.active, m.version, m.account,
             m.display_name, m.email, m.phone, m.contact_visible)
            for i, m in enumerate(members, start)
        ]
        _insert_many(self._c, t.members, rows)

    @_writes
    def put_member(self, pool: str, member: Member) -> None:
        _put(
            self._c,
            t.members,
            {"pool": pool, "id": member.id},
            {
                "capacity": member.capacity,
                "exempt": member.exempt,
                "role": member.role,
                "active": member.active,
                "version": member.version,
                "account": member.account,
                "display_name": member.display_name,
                "email": member.email,
                "phone": member.phone,
                "contact_visible": member.contact_visible,
            },
            scope=("pool",),
        )

    @_bulk
    def tasks(self, pool: str) -> list[Task]:
        rows = self._c.execute(_TASKS, {"pool": pool})
        return _validated(
            Task, [{"id": id, "project": project, "fixed_hours": h} for id, project, h in rows]
        )

    @_writes
    @_bulk
    def add_tasks(self, pool: str, tasks: Iterable[Task]) -> None:
        start = _next_position(self._c, t.tasks, t.tasks.c.pool == pool)
        rows = [(pool, x.id, i, x.project, x.fixed_hours) for i, x in enumerate(tasks, start)]
        _insert_many(self._c, t.tasks, rows)

    @_bulk
    def goods(self, pool: str) -> list[Good]:
        c = t.goods.c
        rows = self._c.execute(
            select(c.id, c.project, c.model, c.capacity, c.recipe, c.product_type, c.limit)
            .where(c.pool == pool)
            .order_by(c.position)
        )
        return _validated(
            Good,
            [
                {
                    "id": id,
                    "project": project,
                    "model": model,
                    "capacity": capacity,
                    "recipe": _from_json(recipe),
                    "product_type": product_type,
                    "limit": limit,
                }
                for id, project, model, capacity, recipe, product_type, limit in rows
            ],
        )

    @_writes
    @_bulk
    def add_goods(self, pool: str, goods: Iterable[Good]) -> None:
        start = _next_position(self._c, t.goods, t.goods.c.pool == pool)
        rows = [
            (pool, g.id, i, g.project, g.model, g.capacity, _to_json(g.recipe), g.product_type,
             g.limit)
            for i, g in enumerate(goods, start)
        ]
        _insert_many(self._c, t.goods, rows)

    @_writes
    def rename_participant(self, pool: str, old: str, new: str) -> None:
        renames: list[tuple[Table, str]] = [
            (t.members, "id"), (t.offers, "participant"), (t.wishes, "participant"),
            (t.work_logs, "participant"), (t.work_logs, "confirmed_by"),
            (t.work_logs, "accepted_by"), (t.work_logs, "logged_by"),
            (t.invitations, "member"), (t.assignments, "participant"),
        ]
        for table, column in renames:
            self._c.execute(update(table).where(table.c.pool == pool, table.c[column] == old)
                            .values({column: new}))
        p = t.postings.c
        self._c.execute(update(t.postings)
                        .where(p.pool == pool, p.account == participant_account(old))
                        .values(account=participant_account(new)))
        plans = self._c.execute(select(t.plans.c.period, t.plans.c.input_hash, t.plans.c.data)
                                .where(t.plans.c.pool == pool)).all()
        for period, stamp, text in plans:
            data = ClearedPlan.from_json(_from_json(text))
            renamed = renamed_plan(data, old, new)
            if renamed != data:
                self._c.execute(
                    update(t.plans).where(t.plans.c.pool == pool, t.plans.c.period == period)
                    .values(input_hash=f"{stamp}+{new}", data=_to_json(renamed.to_json())))

    @_writes
    def put_good(self, pool: str, good: Good) -> None:
        _put(
            self._c,
            t.goods,
            {"pool": pool, "id": good.id},
            {
                "project": good.project,
                "model": good.model,
                "capacity": good.capacity,
                "recipe": _to_json(good.recipe),
                "product_type": good.product_type,
                "limit": good.limit,
            },
            scope=("pool",),
        )


def _period_record(row: Row[Any]) -> Period:
    return Period(row.pool, row.number, PeriodState(row.state), _from_json(row.weight_estimates))


def _work_log(row: Row[Any]) -> WorkLog:
    return WorkLog(**row._asdict())


def _work_log_values(log: WorkLog) -> dict[str, Any]:
    """The log's columns but its id (a naive time is refused here, with a plain ValueError)."""
    values = {c.name: getattr(log, c.name) for c in t.work_logs.columns if c.name != "id"}
    values["logged_at"] = t.utc(log.logged_at)
    return values


class SqlPeriodRepository(_Repository):
    """Periods, offers, wishes, plans and work logs
    (:class:`~peerconomy.services.ports.PeriodRepository`)."""

    def __init__(self, connection: Connection, seen: dict[tuple[Any, ...], Any] | None = None,
                 plans: PlanCache | None = None) -> None:
        super().__init__(connection, seen)
        self._plans = plans if plans is not None else PlanCache(0)

    # periods

    @_writes
    def add(self, period: Period) -> None:
        self._c.execute(
            insert(t.periods).values(
                pool=period.pool,
                number=period.number,
                state=period.state.value,
                weight_estimates=_to_json(period.weight_estimates),
            )
        )

    @_remembered
    def latest(self, pool: str) -> Period | None:
        row = self._c.execute(_LATEST_PERIOD, {"pool": pool}).first()
        return None if row is None else _period_record(row)

    def get(self, pool: str, number: int) -> Period | None:
        p = t.periods.c
        row = self._c.execute(select(t.periods).where(p.pool == pool, p.number == number)).first()
        return None if row is None else _period_record(row)

    @_writes
    def set_state(self, pool: str, number: int, state: PeriodState) -> None:
        p = t.periods.c
        self._c.execute(
            update(t.periods).where(p.pool == pool, p.number == number).values(state=state.value)
        )

    # offers

    @_bulk
    def offers(self, pool: str, number: int, *, participant: str | None = None) -> list[Offer]:
        key = {"pool": pool, "number": number, "participant": participant}
        rows = self._c.execute(_OFFERS if participant is None else _OFFERS_OF, key).all()
        return _validated(
            Offer,
            [
                {"participant": who, "task": task, "hours": h, "min_weight": w}
                for who, task, h, w in rows
            ],
        )

    @_writes
    @_bulk
    def add_offers(self, pool: str, number: int, offers: Iterable[Offer]) -> None:
        o = t.offers.c
        start = _next_position(self._c, t.offers, o.pool == pool, o.period == number)
        rows = [
            (pool, number, x.participant, x.task, i, x.hours, x.min_weight)
            for i, x in enumerate(offers, start)
        ]
        _insert_many(self._c, t.offers, rows)

    def offered_hours(self, pool: str, number: int) -> dict[str, float]:
        rows = self._c.execute(_OFFERED_HOURS, {"pool": pool, "number": number})
        return {task: float(hours) for task, hours in rows}

    @_writes
    def put_offer(self, pool: str, number: int, offer: Offer) -> None:
        _put(
            self._c,
            t.offers,
            {"pool": pool, "period": number, "participant": offer.participant, "task": offer.task},
            {"hours": offer.hours, "min_weight": offer.min_weight},
            scope=("pool", "period"),
        )

    @_writes
    def remove_offer(self, pool: str, number: int, participant: str, task: str) -> bool:
        o = t.offers.c
        result = self._c.execute(
            delete(t.offers).where(
                o.pool == pool, o.period == number, o.participant == participant, o.task == task
            )
        )
        return result.rowcount > 0

    # wishes

    @_bulk
    def wishes(self, pool: str, number: int, *, participant: str | None = None) -> list[Wish]:
        key = {"pool": pool, "number": number, "participant": participant}
        rows = self._c.execute(_WISHES if participant is None else _WISHES_OF, key).all()
        # one JSON document for all wishes' alternatives: one call into pydantic, not 50,000
        alternatives = _ALTERNATIVE_LISTS.validate_json(
            "[" + ",".join(row.alternatives for row in rows) + "]"
        )
        return _validated(
            Wish,
            [
                {"participant": who, "id": id, "quantity": n, "alternatives": alts}
                for (who, id, n, _), alts in zip(rows, alternatives, strict=True)
            ],
        )

    @_writes
    @_bulk
    def add_wishes(self, pool: str, number: int, wishes: Iterable[Wish]) -> None:
        w = t.wishes.c
        start = _next_position(self._c, t.wishes, w.pool == pool, w.period == number)
        rows = [
            (
                pool,
                number,
                x.id,
                i,
                x.participant,
                x.quantity,
                _alternatives_json(x.alternatives),
            )
            for i, x in enumerate(wishes, start)
        ]
        _insert_many(self._c, t.wishes, rows)

    @_writes
    def put_wish(self, pool: str, number: int, wish: Wish) -> None:
        _put(
            self._c,
            t.wishes,
            {"pool": pool, "period": number, "id": wish.id},
            {
                "participant": wish.participant,
                "quantity": wish.quantity,
                "alternatives": _alternatives_json(wish.alternatives),
            },
            scope=("pool", "period"),
        )

    @_writes
    def remove_wish(self, pool: str, number: int, wish: str) -> bool:
        w = t.wishes.c
        result = self._c.execute(
            delete(t.wishes).where(w.pool == pool, w.period == number, w.id == wish)
        )
        return result.rowcount > 0

    @_writes
    def carry_over(self, pool: str, source: int, target: int) -> None:
        for table, keys in ((t.offers, ("participant", "task")), (t.wishes, ("id",))):
            self._carry_over(table, keys, pool, source, target)

    def _carry_over(
        self, table: Table, keys: Sequence[str], pool: str, source: int, target: int
    ) -> None:
        """INSERT ... SELECT the source period's rows into the target period: a row the
        target has already is updated in place, a new one goes after the target's last (the
        upsert only where the target has rows: into an empty period a plain insert is
        faster)."""
        c = table.c
        offset = _next_position(self._c, table, c.pool == pool, c.period == target) - 1
        values = [
            column.name
            for column in table.columns
            if column.name not in (*keys, "pool", "period", "position")
        ]
        rows = (
            select(
                c.pool,
                literal(target, Integer).label("period"),
                *(c[k] for k in keys),
                (c.position + offset).label("position"),
                *(c[v] for v in values),
            )
            .where(c.pool == pool, c.period == source)
            .order_by(c.position)
        )
        statement = _dialect_insert(self._c.dialect.name)(table).from_select(
            ["pool", "period", *keys, "position", *values], rows
        )
        if offset:
            statement = statement.on_conflict_do_update(
                index_elements=["pool", "period", *keys],
                set_={name: statement.excluded[name] for name in values},
            )
        self._c.execute(statement)

    # plans

    @_writes
    @_bulk
    def add_plan(self, plan: Plan) -> None:
        if self._has_plan(plan.pool, plan.period):
            raise ValueError(f"period {plan.period} of pool {plan.pool!r} already has a plan")
        cleared_at = t.utc(plan.cleared_at)  # a naive time is refused before anything is written
        self._c.execute(
            insert(t.plans).values(
                pool=plan.pool,
                period=plan.period,
                input_hash=plan.input_hash,
                cleared_at=cleared_at,
                data=_to_json(plan.data.to_json()),
            )
        )
        weights = plan.data.weights
        rows = [
            (plan.pool, plan.period, i, a.participant, a.task, a.hours, weights[a.task])
            for i, a in enumerate(plan.data.assignments, 1)
        ]
        _insert_many(self._c, t.assignments, rows)

    @_writes
    def remove_plan(self, pool: str, number: int) -> None:
        for table in (t.assignments, t.plans):  # the triggers allow it only for a reopening
            self._c.execute(
                delete(table).where(table.c.pool == pool, table.c.period == number))

    def _has_plan(self, pool: str, number: int) -> bool:
        p = t.plans.c
        found = self._c.scalar(select(p.period).where(p.pool == pool, p.period == number))
        return found is not None

    @_bulk
    def plan(self, pool: str, number: int) -> Plan | None:
        key = {"pool": pool, "number": number}
        stamp = self._c.execute(_PLAN_STAMP, key).first()
        if stamp is None:
            return None
        kept = self._plans.get(pool, number, stamp.input_hash, stamp.cleared_at)
        if kept is not None:
            return kept
        row = self._c.execute(_PLAN, key).first()
        if row is None:  # pragma: no cover - a plan is never deleted
            return None
        plan = Plan(pool, number, row.input_hash, row.cleared_at,
                    ClearedPlan.from_json(_from_json(row.data)))
        self._plans.put(plan, len(row.data))
        return plan

    @_bulk
    def assignments(self, pool: str, number: int) -> list[Assignment]:
        rows = self._c.execute(_ASSIGNMENTS, {"pool": pool, "number": number}).all()
        return [Assignment(who, task, h, w) for who, task, h, w in rows]

    # work logs

    @_writes
    def add_work_log(self, log: WorkLog) -> WorkLog:
        values = _work_log_values(log)
        result = self._c.execute(insert(t.work_logs).values(**values))
        key = result.inserted_primary_key
        assert key is not None
        return replace(log, id=int(key[0]))

    def work_log(self, pool: str, log_id: int) -> WorkLog | None:
        w = t.work_logs.c
        row = self._c.execute(select(t.work_logs).where(w.id == log_id, w.pool == pool)).first()
        return None if row is None else _work_log(row)

    def work_logs(self, pool: str, number: int) -> list[WorkLog]:
        rows = self._c.execute(_WORK_LOGS, {"pool": pool, "number": number})
        return [_work_log(row) for row in rows]

    @_writes
    def put_work_log(self, log: WorkLog) -> None:
        values = _work_log_values(log)
        result = self._c.execute(
            update(t.work_logs).where(t.work_logs.c.id == log.id).values(**values)
        )
        if result.rowcount == 0:
            raise ValueError(f"no work log {log.id} to replace")


_IN_CHUNK: Final = 500


class SqlJournalRepository(_Repository):
    """The pool's append-only books (:class:`~peerconomy.services.ports.JournalRepository`)."""

    @_writes
    @_bulk
    def add(self, pool: str, transactions: Sequence[Transaction]) -> None:
        if not transactions:
            return
        x, p = t.transactions.c, t.postings.c
        ids = [tx.id for tx in transactions]
        taken: set[str] = set()
        for i in range(0, len(ids), _IN_CHUNK):
            taken.update(
                self._c.scalars(
                    select(x.id).where(x.pool == pool, x.id.in_(ids[i : i + _IN_CHUNK]))
                )
            )
        for tx in transactions:
            if tx.id in taken:
                raise ValueError(f"transaction {tx.id!r} is already in the journal")
            taken.add(tx.id)
        seq = _last(self._c, x.seq, x.pool == pool)
        self._c.execute(
            insert(t.transactions),
            [
                {
                    "pool": pool,
                    "id": tx.id,
                    "seq": seq + i,
                    "period": tx.period,
                    "date": tx.date,
                    "kind": tx.kind,
                    "narration": tx.narration,
                    "reverses": tx.reverses,
                }
                for i, tx in enumerate(transactions, 1)
            ],
        )
        line = _last(self._c, p.seq, p.pool == pool)
        rows = [
            (pool, line + i, tx_id, posting.account, t.to_micro(posting.amount))
            for i, (tx_id, posting) in enumerate(
                ((tx.id, posting) for tx in transactions for posting in tx.postings), 1
            )
        ]
        _insert_many(self._c, t.postings, rows)

    def get(self, pool: str, transaction: str) -> Transaction | None:
        found = self._read(pool, t.transactions.c.id == transaction)
        return found[0] if found else None

    def transactions(self, pool: str) -> list[Transaction]:
        return self._read(pool)

    @_bulk
    def _read(self, pool: str, *where: ColumnElement[bool]) -> list[Transaction]:
        x, p = t.transactions.c, t.postings.c
        heads = self._c.execute(
            select(x.id, x.period, x.date, x.kind, x.narration, x.reverses)
            .where(x.pool == pool, *where)
            .order_by(x.seq)
        ).all()
        if not heads:
            return []
        lines = select(p.transaction_id, p.account, p.amount).where(p.pool == pool)
        if where:
            lines = lines.where(p.transaction_id.in_([h.id for h in heads]))
        postings: defaultdict[str, list[Posting]] = defaultdict(list)
        for tx_id, account, amount in self._c.execute(lines.order_by(p.seq)):
            postings[tx_id].append(Posting(account, amount))
        return [
            Transaction(id, period, on, kind, narration, tuple(postings[id]), reverses)
            for id, period, on, kind, narration, reverses in heads
        ]

    def balances(self, pool: str) -> dict[Account, Decimal]:
        p = t.postings.c
        rows = self._c.execute(
            select(p.account, func.sum(p.amount))
            .where(p.pool == pool)
            .group_by(p.account)
            .order_by(func.min(p.seq))
        )
        return {account: total for account, total in rows}

    def balance(self, pool: str, account: Account) -> Decimal:
        total = self._c.scalar(_BALANCE, {"pool": pool, "account": account})
        return Decimal(0) if total is None else total


def _last(connection: Connection, column: Any, *scope: ColumnElement[bool]) -> int:
    last = connection.scalar(select(func.max(column)).where(*scope))
    return 0 if last is None else int(last)


def _field(column: str) -> str:
    """The record's field a column holds: ``user_name`` holds ``user``."""
    return "user" if column == "user_name" else column


def _fields(table: Table) -> list[ColumnElement[Any]]:
    """The table's columns named as its record's fields, without ``position``: a row of them
    is the record's keyword arguments."""
    return [c.label(_field(c.name)) for c in table.columns if c.name != "position"]


def _values(table: Table, record: Any) -> dict[str, Any]:
    """A record's fields as the table's column values (without ``position``); a time without a
    zone is refused here, with a plain ValueError, before anything is written."""
    values = {}
    for c in table.columns:
        if c.name == "position":
            continue
        value = getattr(record, _field(c.name))
        if isinstance(c.type, t.UtcDateTime) and value is not None:
            value = t.utc(value)
        values[c.name] = value
    return values


class SqlAccountRepository(_Repository):
    """Users, their API tokens and sessions, invitations, requests to join, failed sign-ins
    and password-reset links (:class:`~peerconomy.services.ports.AccountRepository`).

    A token's and a request's owner is the column ``user_name`` (see
    :data:`peerconomy.store.tables.api_tokens` why not ``user``). Tokens are numbered per
    user, invitations and requests per pool, so that each list comes back oldest first; a
    replaced record keeps its number.
    """

    # users

    @_writes
    def add_user(self, user: User) -> None:
        self._c.execute(insert(t.users).values(**_values(t.users, user)))

    @_remembered
    def user(self, name: str) -> User | None:
        row = self._c.execute(_USER, {"name": name}).first()
        return None if row is None else User(**row._asdict())

    def user_by_email(self, email: str) -> User | None:
        return self._user(t.users.c.email == email)

    def _user(self, where: ColumnElement[bool]) -> User | None:
        row = self._c.execute(select(t.users).where(where)).first()
        return None if row is None else User(**row._asdict())

    @_writes
    def put_user(self, user: User) -> None:
        self._replace(t.users, "name", user, "user")

    @_writes
    def remove_user(self, name: str) -> None:
        for table in (t.api_tokens, t.sessions, t.reset_tokens, t.join_requests):
            self._c.execute(delete(table).where(table.c.user_name == name))
        j, i = t.join_requests.c, t.invitations.c
        self._c.execute(update(t.join_requests).where(j.decided_by == name)
                        .values(decided_by=None))
        self._c.execute(update(t.invitations).where(i.created_by == name).values(created_by=None))
        self._c.execute(update(t.invitations).where(i.used_by == name).values(used_by=None))
        self._c.execute(delete(t.users).where(t.users.c.name == name))

    def user_count(self) -> int:
        return int(self._c.scalar(select(func.count()).select_from(t.users)) or 0)

    def users(self) -> list[User]:
        rows = self._c.execute(select(t.users))
        # sorted here, not by ORDER BY: PostgreSQL would sort by its locale's collation
        return sorted((User(**row._asdict()) for row in rows), key=lambda u: u.name)

    def memberships(self, user: str) -> dict[str, Member]:
        m = t.members.c
        rows = self._c.execute(select(m.pool, *_MEMBER_COLUMNS).where(m.account == user))
        # sorted here, not by ORDER BY: PostgreSQL would sort by its locale's collation
        return {pool: Member(*member) for pool, *member in sorted(rows, key=lambda r: r.pool)}

    # API tokens

    @_writes
    def add_token(self, token: ApiToken) -> None:
        c = t.api_tokens.c
        position = _next_position(self._c, t.api_tokens, c.user_name == token.user)
        values = _values(t.api_tokens, token)
        self._c.execute(insert(t.api_tokens).values(**values, position=position))

    def token(self, id: str) -> ApiToken | None:
        found = self._tokens(t.api_tokens.c.id == id)
        return found[0] if found else None

    def tokens(self, user: str) -> list[ApiToken]:
        return self._tokens(t.api_tokens.c.user_name == user)

    def _tokens(self, where: ColumnElement[bool]) -> list[ApiToken]:
        rows = self._c.execute(
            select(*_fields(t.api_tokens)).where(where).order_by(t.api_tokens.c.position)
        )
        return [ApiToken(**row._asdict()) for row in rows]

    @_writes
    def put_token(self, token: ApiToken) -> None:
        self._replace(t.api_tokens, "id", token, "API token")

    # invitations

    @_writes
    def add_invitation(self, invitation: Invitation) -> None:
        c = t.invitations.c
        position = _next_position(self._c, t.invitations, c.pool == invitation.pool)
        values = _values(t.invitations, invitation)
        self._c.execute(insert(t.invitations).values(**values, position=position))

    def invitation(self, id: str) -> Invitation | None:
        found = self._invitations(t.invitations.c.id == id)
        return found[0] if found else None

    def invitations(self, pool: str) -> list[Invitation]:
        return self._invitations(t.invitations.c.pool == pool)

    def _invitations(self, where: ColumnElement[bool]) -> list[Invitation]:
        rows = self._c.execute(
            select(*_fields(t.invitations)).where(where).order_by(t.invitations.c.position)
        )
        return [Invitation(**row._asdict()) for row in rows]

    @_writes
    def put_invitation(self, invitation: Invitation) -> None:
        self._replace(t.invitations, "id", invitation, "invitation")

    # requests to join

    def join_request(self, pool: str, user: str) -> JoinRequest | None:
        found = self._join_requests(pool, t.join_requests.c.user_name == user)
        return found[0] if found else None

    def join_requests(self, pool: str) -> list[JoinRequest]:
        return self._join_requests(pool)

    def _join_requests(self, pool: str, *where: ColumnElement[bool]) -> list[JoinRequest]:
        c = t.join_requests.c
        rows = self._c.execute(
            select(*_fields(t.join_requests)).where(c.pool == pool, *where).order_by(c.position)
        )
        return [JoinRequest(**row._asdict()) for row in rows]

    @_writes
    def put_join_request(self, request: JoinRequest) -> None:
        values = _values(t.join_requests, request)
        keys = {k: values.pop(k) for k in ("pool", "user_name")}
        _put(self._c, t.join_requests, keys, values, scope=("pool",))

    # sessions

    @_writes
    def add_session(self, session: Session) -> None:
        self._c.execute(insert(t.sessions).values(**_values(t.sessions, session)))

    def session(self, id: str) -> Session | None:
        found = self._sessions(t.sessions.c.id == id)
        return found[0] if found else None

    def sessions(self, user: str) -> list[Session]:
        return self._sessions(t.sessions.c.user_name == user)

    def _sessions(self, where: ColumnElement[bool]) -> list[Session]:
        c = t.sessions.c
        rows = self._c.execute(select(*_fields(t.sessions)).where(where).order_by(
            c.created_at, c.id))
        return [Session(**row._asdict()) for row in rows]

    @_writes
    def put_session(self, session: Session) -> None:
        self._replace(t.sessions, "id", session, "session")

    # failed sign-ins

    def sign_in_limit(self, key: str) -> SignInLimit | None:
        row = self._c.execute(
            select(*_fields(t.sign_in_limits)).where(t.sign_in_limits.c.key == key)
        ).first()
        return None if row is None else SignInLimit(**row._asdict())

    @_writes
    def put_sign_in_limit(self, record: SignInLimit) -> None:
        values = _values(t.sign_in_limits, record)
        statement = _dialect_insert(self._c.dialect.name)(t.sign_in_limits).values(**values)
        self._c.execute(statement.on_conflict_do_update(
            index_elements=["key"],
            set_={name: statement.excluded[name] for name in values if name != "key"},
        ))

    @_writes
    def remove_sign_in_limit(self, key: str) -> None:
        self._c.execute(delete(t.sign_in_limits).where(t.sign_in_limits.c.key == key))

    # password-reset links

    @_writes
    def add_reset_token(self, token: ResetToken) -> None:
        self._c.execute(insert(t.reset_tokens).values(**_values(t.reset_tokens, token)))

    def reset_token(self, id: str) -> ResetToken | None:
        row = self._c.execute(
            select(*_fields(t.reset_tokens)).where(t.reset_tokens.c.id == id)
        ).first()
        return None if row is None else ResetToken(**row._asdict())

    @_writes
    def put_reset_token(self, token: ResetToken) -> None:
        self._replace(t.reset_tokens, "id", token, "password-reset link")

    @_writes
    def remove_stale(self, ended: datetime, counted: datetime) -> None:
        ended, counted = t.utc(ended), t.utc(counted)
        s, r, limits = t.sessions.c, t.reset_tokens.c, t.sign_in_limits.c
        self._c.execute(delete(t.sessions).where(or_(s.expires_at <= ended,
                                                     s.revoked_at <= ended)))
        self._c.execute(delete(t.reset_tokens).where(r.expires_at <= ended))
        self._c.execute(delete(t.sign_in_limits).where(
            or_(limits.locked_until.is_(None), limits.locked_until <= ended),
            or_(limits.window_start.is_(None), limits.window_start <= counted),
        ))

    def _replace(self, table: Table, key: str, record: Any, kind: str) -> None:
        """Replace the row whose ``key`` column is the record's (its place in its list
        stays); ValueError if there is none."""
        values = _values(table, record)
        result = self._c.execute(update(table).where(table.c[key] == values[key]).values(**values))
        if result.rowcount == 0:
            raise ValueError(f"no {kind} {values[key]!r} to replace")


class SqlAnswerRepository(_Repository):
    """Answers kept for idempotency keys (:class:`~peerconomy.services.ports.AnswerRepository`).

    Two requests with one key at once: the second one's insert waits for the first one's
    transaction (the primary key), then finds its row."""

    def reserve(self, answer: StoredAnswer) -> StoredAnswer | None:
        k = t.idempotency_keys
        inserted = self._c.execute(
            _dialect_insert(self._c.dialect.name)(k)
            .values(owner=answer.owner, key=answer.key, fingerprint=answer.fingerprint,
                    created_at=t.utc(answer.created_at), status=None, body=b"",
                    media_type=None)
            .on_conflict_do_nothing(index_elements=["owner", "key"])
            .returning(k.c.key)
        )
        if inserted.first() is not None:  # (the driver's rowcount does not say, on PostgreSQL)
            return None
        row = self._c.execute(
            select(k).where(k.c.owner == answer.owner, k.c.key == answer.key)
        ).first()
        if row is None:  # released between the insert and the read: the key is free again
            return self.reserve(answer)
        return StoredAnswer(row.owner, row.key, row.fingerprint, row.created_at, row.status,
                            bytes(row.body), row.media_type)

    def complete(self, owner: str, key: str, status: int, body: bytes,
                 media_type: str | None) -> None:
        k = t.idempotency_keys
        self._c.execute(
            update(k).where(k.c.owner == owner, k.c.key == key)
            .values(status=status, body=body, media_type=media_type)
        )

    def release(self, owner: str, key: str) -> None:
        k = t.idempotency_keys
        self._c.execute(delete(k).where(k.c.owner == owner, k.c.key == key))

    def purge(self, owner: str, before: datetime) -> None:
        k = t.idempotency_keys
        self._c.execute(delete(k).where(k.c.owner == owner, k.c.created_at < t.utc(before)))


class SqlMailRepository(_Repository):
    """The outbox and the notices users turned off
    (:class:`~peerconomy.services.ports.MailRepository`)."""

    @_writes
    def queue(self, mail: QueuedMail) -> QueuedMail:
        values = _values(t.outbox, mail)
        del values["id"]
        key = self._c.execute(insert(t.outbox).values(**values)).inserted_primary_key
        assert key is not None
        return replace(mail, id=int(key[0]))

    def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        o = t.outbox.c
        rows = self._c.execute(
            select(*_fields(t.outbox))
            .where(o.sent_at.is_(None), o.failed_at.is_(None), o.next_try_at <= t.utc(now))
            .order_by(o.id).limit(max(limit, 0))
        )
        return [QueuedMail(**row._asdict()) for row in rows]

    @_writes
    def claim(self, mail: QueuedMail, until: datetime) -> bool:
        o = t.outbox.c
        result = self._c.execute(
            update(t.outbox)
            .where(o.id == mail.id, o.next_try_at == t.utc(mail.next_try_at),
                   o.tries == mail.tries, o.sent_at.is_(None), o.failed_at.is_(None))
            .values(next_try_at=t.utc(until))
        )
        return bool(result.rowcount)

    def mail(self, id: int) -> QueuedMail | None:
        row = self._c.execute(select(*_fields(t.outbox)).where(t.outbox.c.id == id)).first()
        return None if row is None else QueuedMail(**row._asdict())

    @_writes
    def put(self, mail: QueuedMail) -> None:
        result = self._c.execute(update(t.outbox).where(t.outbox.c.id == mail.id)
                                 .values(**_values(t.outbox, mail)))
        if result.rowcount == 0:
            raise ValueError(f"no queued mail {mail.id!r} to replace")

    def outbox(self) -> list[QueuedMail]:
        rows = self._c.execute(select(*_fields(t.outbox)).order_by(t.outbox.c.id))
        return [QueuedMail(**row._asdict()) for row in rows]

    def turned_off(self, user: str) -> set[tuple[str, NoticeKind]]:
        m = t.mail_turned_off.c
        rows = self._c.execute(select(m.pool, m.kind).where(m.user_name == user))
        return {(row.pool, row.kind) for row in rows}

    @_writes
    def set_wanted(self, user: str, pool: str, kind: NoticeKind, wanted: bool) -> None:
        m = t.mail_turned_off.c
        self._c.execute(delete(t.mail_turned_off).where(
            m.user_name == user, m.pool == pool, m.kind == kind))
        if not wanted:
            self._c.execute(insert(t.mail_turned_off).values(user_name=user, pool=pool,
                                                             kind=kind))


class SqlAuditRepository(_Repository):
    """The append-only audit log (:class:`~peerconomy.services.ports.AuditRepository`):
    it inserts and reads, and has no way to change or delete an entry; the database's
    triggers refuse that too (migration 0004)."""

    @_writes
    def add(self, entry: AuditEntry) -> AuditEntry:
        result = self._c.execute(_AUDIT_INSERT, {
            "at": t.utc(entry.at), "actor": entry.actor, "pool": entry.pool,
            "action": entry.action, "subject": entry.subject,
            "detail": _to_json(entry.detail),
        })
        key = result.inserted_primary_key
        assert key is not None
        return replace(entry, id=int(key[0]), detail=dict(entry.detail))

    def entries(
        self, pool: str | None, *, limit: int = 50, before_id: int | None = None
    ) -> list[AuditEntry]:
        a = t.audit_log.c
        query = (
            select(t.audit_log)
            .where(a.pool.is_(None) if pool is None else a.pool == pool)
            .order_by(a.id.desc())
            .limit(max(limit, 0))
        )
        if before_id is not None:
            query = query.where(a.id < before_id)
        return [
            AuditEntry(row.id, row.at, row.actor, row.pool, row.action, row.subject,
                       _from_json(row.detail))
            for row in self._c.execute(query)
        ]


_AUDIT_INSERT = insert(t.audit_log).values(
    at=bindparam("at", type_=t.UtcDateTime()), actor=bindparam("actor"),
    pool=bindparam("pool"), action=bindparam("action"), subject=bindparam("subject"),
    detail=bindparam("detail"),
)


# The reads every page makes, built once: a statement built anew on each call costs more
# Python than the query costs the database (the values are bound at execution).
_POOL = select(
    t.pools.c.max_weight,
    t.pools.c.seed,
    t.pools.c.communal_validation,
    t.pools.c.admission,
    t.pools.c.public,
    t.pools.c.version,
).where(t.pools.c.name == bindparam("pool"))
_POOL_LOCKED = _POOL.with_for_update()
_PROJECTS = (
    select(t.projects.c.id, t.projects.c.active, t.projects.c.forked_from, t.projects.c.version)
    .where(t.projects.c.pool == bindparam("pool"))
    .order_by(t.projects.c.position)
)
_MEMBER_FIELDS: Final = tuple(f.name for f in fields(Member))
"""The members table's columns in the order of :class:`~peerconomy.domain.pool.Member`'s
fields."""
_MEMBER_COLUMNS: Final = tuple(t.members.c[f] for f in _MEMBER_FIELDS)
_MEMBER = select(*_MEMBER_COLUMNS).where(
    t.members.c.pool == bindparam("pool"), t.members.c.id == bindparam("participant")
)
_TASKS = (
    select(t.tasks.c.id, t.tasks.c.project, t.tasks.c.fixed_hours)
    .where(t.tasks.c.pool == bindparam("pool"))
    .order_by(t.tasks.c.position)
)
_LATEST_PERIOD = (
    select(t.periods)
    .where(t.periods.c.pool == bindparam("pool"))
    .order_by(t.periods.c.number.desc())
    .limit(1)
)


def _of_period(table: Table) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The rows of one period of one pool (bound as ``pool`` and ``number``)."""
    return table.c.pool == bindparam("pool"), table.c.period == bindparam("number")


_PLAN_KEY = _of_period(t.plans)
_PLAN_STAMP = select(t.plans.c.input_hash, t.plans.c.cleared_at).where(*_PLAN_KEY)
_PLAN = select(t.plans.c.input_hash, t.plans.c.cleared_at, t.plans.c.data).where(*_PLAN_KEY)
_OFFERS = (
    select(t.offers.c.participant, t.offers.c.task, t.offers.c.hours, t.offers.c.min_weight)
    .where(*_of_period(t.offers))
    .order_by(t.offers.c.position)
)
_OFFERS_OF = _OFFERS.where(t.offers.c.participant == bindparam("participant"))
_OFFERED_HOURS = (
    select(t.offers.c.task, func.sum(t.offers.c.hours))
    .where(*_of_period(t.offers))
    .group_by(t.offers.c.task)
)
_WISHES = (
    select(t.wishes.c.participant, t.wishes.c.id, t.wishes.c.quantity, t.wishes.c.alternatives)
    .where(*_of_period(t.wishes))
    .order_by(t.wishes.c.position)
)
_WISHES_OF = _WISHES.where(t.wishes.c.participant == bindparam("participant"))
_ASSIGNMENTS = (
    select(t.assignments.c.participant, t.assignments.c.task, t.assignments.c.hours,
           t.assignments.c.weight)
    .where(*_of_period(t.assignments))
    .order_by(t.assignments.c.position)
)
_WORK_LOGS = (
    select(t.work_logs)
    .where(*_of_period(t.work_logs))
    .order_by(t.work_logs.c.id)
)
_BALANCE = select(func.sum(t.postings.c.amount)).where(
    t.postings.c.pool == bindparam("pool"), t.postings.c.account == bindparam("account")
)
_USER_FIELDS: Final = tuple(t.users.c.keys())
_STANDING = (
    select(
        t.pools.c.max_weight,
        t.pools.c.seed,
        t.pools.c.communal_validation,
        t.pools.c.admission,
        t.pools.c.public,
        t.pools.c.version.label("pool_version"),
        *(t.users.c[f].label(f"user_{f}") for f in _USER_FIELDS),
        *(t.members.c[f].label(f"member_{f}") for f in _MEMBER_FIELDS),
    )
    .select_from(
        t.pools.outerjoin(t.users, t.users.c.name == bindparam("user")).outerjoin(
            t.members,
            and_(t.members.c.pool == t.pools.c.name, t.members.c.account == bindparam("user")),
        )
    )
    .where(t.pools.c.name == bindparam("pool"))
)
_USER = select(t.users).where(t.users.c.name == bindparam("name"))


class SqlUnitOfWork:
    """One database transaction (:class:`~peerconomy.services.ports.UnitOfWork`).

    ``with uow:`` opens a connection and begins; :meth:`commit` commits (what follows in the
    block runs in a new transaction); leaving the block rolls back whatever was not committed
    and closes the connection. A block inside another joins its transaction.
    """

    pools: SqlPoolRepository
    periods: SqlPeriodRepository
    journal: SqlJournalRepository
    accounts: SqlAccountRepository
    audit: SqlAuditRepository
    answers: SqlAnswerRepository
    mail: SqlMailRepository

    def __init__(self, engine: Engine, plans: PlanCache | None = None) -> None:
        self._engine = engine
        self._plans = plans
        self._connection: Connection | None = None
        self._depth = 0
        self._thread: int | None = None

    def __enter__(self) -> Self:
        if self._connection is not None:
            if self._thread != threading.get_ident():
                raise RuntimeError("this unit of work is in use by another thread")
            self._depth += 1  # a block inside another joins its transaction
            return self
        self._thread = threading.get_ident()
        connection = self._engine.connect()
        try:
            connection.begin()
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        seen: dict[tuple[Any, ...], Any] = {}  # the rows this transaction has read
        self._seen = seen
        self.pools = SqlPoolRepository(connection, seen)
        self.periods = SqlPeriodRepository(connection, seen, self._plans)
        self.journal = SqlJournalRepository(connection, seen)
        self.accounts = SqlAccountRepository(connection, seen)
        self.audit = SqlAuditRepository(connection, seen)
        self.answers = SqlAnswerRepository(connection, seen)
        self.mail = SqlMailRepository(connection, seen)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._depth:
            self._depth -= 1
            return
        connection, self._connection = self._connection, None
        self._thread = None
        if connection is None:
            return
        try:
            if connection.in_transaction():
                connection.rollback()
        finally:
            connection.close()

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit outside a transaction")
        self._seen.clear()  # the next transaction reads afresh
        self._connection.commit()
