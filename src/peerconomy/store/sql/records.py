"""A table of account records (users, API tokens, invitations, requests to join, sessions,
password-reset links) read and written the one way they all are: add one, find one or a list
by its columns, replace one in its place, put one (insert or replace), remove some.

The statements are written once, here; a :class:`Records` says only what differs from
table to table: the record it holds, its key, the column its list is numbered by, and the
order a list comes back in. The memory store has the same helper over its dictionaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Table, delete, insert, select, update

from peerconomy.store.sql.rows import (
    dialect_insert,
    field_columns,
    next_position,
    put,
    record_values,
)

__all__ = ["Records"]

_Record = TypeVar("_Record")


@dataclass(frozen=True)
class Records(Generic[_Record]):
    """The rows of ``table``, each one ``record`` (built from the columns named as its
    fields, see :func:`~peerconomy.store.sql.rows.field_columns`).

    ``name`` is how a message names one (``"API token"``); ``key`` the column that tells
    them apart; ``numbered_by`` the column whose rows are numbered as one list (``position``,
    so that a list comes back oldest first and a replaced record keeps its place), or None
    for a table without ``position``; ``order`` the columns a list is sorted by.
    """

    table: Table
    record: Callable[..., _Record]
    name: str
    key: tuple[str, ...] = ("id",)
    numbered_by: str | None = None
    order: tuple[str, ...] = ("position",)

    def add(self, connection: Connection, record: _Record) -> None:
        """Insert ``record`` (at the end of its list); a known key is refused by the
        database."""
        values = record_values(self.table, record)
        if self.numbered_by is not None:
            column = self.numbered_by
            values["position"] = next_position(
                connection, self.table, self.table.c[column] == values[column]
            )
        connection.execute(insert(self.table).values(**values))

    def find(self, connection: Connection, **columns: Any) -> _Record | None:
        """The first record whose columns have these values, or None."""
        found = self.listed(connection, **columns)
        return found[0] if found else None

    def listed(self, connection: Connection, **columns: Any) -> list[_Record]:
        """The records whose columns have these values, in :attr:`order`."""
        c = self.table.c
        rows = connection.execute(
            select(*field_columns(self.table))
            .where(*(c[name] == value for name, value in columns.items()))
            .order_by(*(c[name] for name in self.order))
        )
        return [self.record(**row._asdict()) for row in rows]

    def replace(self, connection: Connection, record: _Record) -> None:
        """Replace the row with the record's key (its place in its list stays); ValueError if
        there is none."""
        values = record_values(self.table, record)
        c = self.table.c
        result = connection.execute(
            update(self.table).where(*(c[k] == values[k] for k in self.key)).values(**values)
        )
        if result.rowcount == 0:
            shown = values[self.key[0]] if len(self.key) == 1 else tuple(
                values[k] for k in self.key)
            raise ValueError(f"no {self.name} {shown!r} to replace")

    def put(self, connection: Connection, record: _Record) -> None:
        """Insert ``record`` (at the end of its list), or replace the one with its key (in
        its place)."""
        values = record_values(self.table, record)
        keys = {k: values.pop(k) for k in self.key}
        if self.numbered_by is not None:
            put(connection, self.table, keys, values, scope=(self.numbered_by,))
            return
        statement = dialect_insert(connection.dialect.name)(self.table).values(**keys, **values)
        connection.execute(statement.on_conflict_do_update(
            index_elements=list(keys), set_={name: statement.excluded[name] for name in values}
        ))

    def remove(self, connection: Connection, **columns: Any) -> None:
        """Delete the records whose columns have these values."""
        c = self.table.c
        connection.execute(
            delete(self.table).where(*(c[name] == value for name, value in columns.items()))
        )
