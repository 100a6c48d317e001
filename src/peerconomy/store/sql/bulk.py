"""Rows by the ten thousand: inserted straight to the driver (``executemany``, or ``COPY`` on
PostgreSQL above :data:`COPY_THRESHOLD` rows), read back into the scenario's value objects in
one validation each (a cached :class:`pydantic.TypeAdapter`), with the garbage collector
paused meanwhile (:func:`bulk`).

A pool of 10,000 participants has 50,000 offers and wishes and a plan of as many
assignments: done row by row through SQLAlchemy's parameter handling and pydantic's
per-object validation, loading and saving them would take seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any, Final, ParamSpec, TypeVar

from pydantic import TypeAdapter
from sqlalchemy import Connection, Table, insert

from peerconomy.domain.collection import paused_collection

__all__ = ["COPY_THRESHOLD", "bulk", "copy_rows", "insert_many", "validated"]

COPY_THRESHOLD: Final = 1000
"""On PostgreSQL, batches of more rows than this go in with ``COPY``."""


def insert_many(connection: Connection, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
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
        copy_rows(connection, table, rows)


def copy_rows(connection: Connection, table: Table, rows: Iterable[tuple[Any, ...]]) -> None:
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


_Item = TypeVar("_Item")
_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[_Item]) -> TypeAdapter[list[_Item]]:
    """A cached validator of a list of ``kind`` (offers, wishes, ...)."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(list[kind])  # type: ignore[valid-type]
    return adapter


def validated(kind: type[_Item], items: list[dict[str, Any]]) -> list[_Item]:
    """``items`` (each a dictionary of a ``kind``'s fields) validated into ``kind`` at once."""
    return _adapter(kind).validate_python(items)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def bulk(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``method`` with the cyclic garbage collector paused: it makes tens of thousands of
    objects, none of them cyclic garbage, and the collector's passes over them would cost more
    than the query."""

    @wraps(method)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with paused_collection():
            return method(*args, **kwargs)

    return paused
