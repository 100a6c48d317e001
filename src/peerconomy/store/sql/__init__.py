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

The store is a package of modules of one concept each: :mod:`.engine` (URLs and the engine),
:mod:`.revisions` (the schema's revision and upgrades), :mod:`.store` (:func:`open_store`
and :class:`SqlStore`), :mod:`.unit_of_work`, one module per repository (:mod:`.pools`,
:mod:`.periods`, :mod:`.journal`, :mod:`.accounts`, :mod:`.answers`, :mod:`.mail`,
:mod:`.audit`), and what they share: :mod:`.identity_map`, :mod:`.rows`, :mod:`.records`,
:mod:`.bulk` and :mod:`.plan_cache`. Their public names are all importable from here.
"""

from __future__ import annotations

from peerconomy.store.sql.accounts import SqlAccountRepository
from peerconomy.store.sql.answers import SqlAnswerRepository
from peerconomy.store.sql.audit import SqlAuditRepository
from peerconomy.store.sql.bulk import COPY_THRESHOLD
from peerconomy.store.sql.engine import (
    BUSY_TIMEOUT_MS,
    DATABASE_URL_SETTING,
    POOL_OVERFLOW,
    POOL_SIZE,
    DatabaseUrlError,
    StoreError,
    create_engine_for,
    default_data_dir,
    default_database_url,
    scoped_schema,
)
from peerconomy.store.sql.journal import SqlJournalRepository
from peerconomy.store.sql.mail import SqlMailRepository
from peerconomy.store.sql.periods import SqlPeriodRepository
from peerconomy.store.sql.plan_cache import PlanCache
from peerconomy.store.sql.pools import SqlPoolRepository
from peerconomy.store.sql.revisions import (
    MIGRATIONS,
    SCHEMA_REVISION,
    DatabaseSchemaError,
    database_revision,
    head_revision,
    is_current,
    upgrade_database,
)
from peerconomy.store.sql.store import SqlStore, open_store
from peerconomy.store.sql.unit_of_work import SqlUnitOfWork

__all__ = [
    "BUSY_TIMEOUT_MS",
    "COPY_THRESHOLD",
    "DATABASE_URL_SETTING",
    "MIGRATIONS",
    "POOL_OVERFLOW",
    "POOL_SIZE",
    "SCHEMA_REVISION",
    "DatabaseSchemaError",
    "DatabaseUrlError",
    "PlanCache",
    "SqlAccountRepository",
    "SqlAnswerRepository",
    "SqlAuditRepository",
    "SqlJournalRepository",
    "SqlMailRepository",
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
