"""The SQL store itself: :func:`open_store` opens one on a database at the schema this
version works with (a fresh, empty one gets the schema at once), and a :class:`SqlStore`
hands out units of work over it."""

from __future__ import annotations

import weakref
from types import TracebackType
from typing import Final, Self

from sqlalchemy import Engine, literal, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from peerconomy.store.sql.engine import create_engine_for, default_database_url, reaching
from peerconomy.store.sql.plan_cache import PlanCache
from peerconomy.store.sql.revisions import settle_schema
from peerconomy.store.sql.unit_of_work import SqlUnitOfWork

__all__ = ["SqlStore", "open_store"]


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
        with reaching(engine.url), engine.begin() as connection:
            settle_schema(connection, engine.url, upgrade_if_empty=upgrade_if_empty)
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine)


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
