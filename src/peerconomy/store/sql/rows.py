"""Records as rows and back: JSON text for what is nested, ``position`` numbers that keep
each list in the order its items were first added, the upsert that replaces a row in its
place, and a record's fields as the columns of its table.

Shared by the repositories (:mod:`.pools`, :mod:`.periods`, :mod:`.accounts`, ...), which
would otherwise each spell the same statements out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import fields as dataclass_fields
from typing import Any, Final

from pydantic import TypeAdapter
from pydantic_core import from_json as pydantic_from_json
from pydantic_core import to_json as pydantic_to_json
from sqlalchemy import Connection, Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from peerconomy.domain.pool import Member
from peerconomy.domain.scenario import Alternative
from peerconomy.store import tables as t

__all__ = [
    "ALTERNATIVE_LISTS",
    "MEMBER_COLUMNS",
    "MEMBER_FIELDS",
    "alternatives_json",
    "dialect_insert",
    "field_columns",
    "from_json",
    "last",
    "next_position",
    "put",
    "record_values",
    "to_json",
]


def to_json(value: Any) -> str:
    """JSON text (pydantic's encoder: several times faster than ``json``, floats exact)."""
    return pydantic_to_json(value, inf_nan_mode="constants").decode()


def from_json(text: str) -> Any:
    """The value of JSON text written by :func:`to_json`."""
    return pydantic_from_json(text, allow_inf_nan=True)


_ALTERNATIVES: Final = TypeAdapter(list[Alternative])
ALTERNATIVE_LISTS: Final = TypeAdapter(list[list[Alternative]])
"""A validator of many wishes' alternatives at once (one JSON document, one call)."""


def alternatives_json(alternatives: list[Alternative]) -> str:
    """A wish's alternatives as a JSON list, leaving out what an alternative does not name."""
    return _ALTERNATIVES.dump_json(alternatives, exclude_none=True).decode()


def last(connection: Connection, column: Any, *scope: ColumnElement[bool]) -> int:
    """The highest value of ``column`` in ``scope`` (0 where there is none)."""
    found = connection.scalar(select(func.max(column)).where(*scope))
    return 0 if found is None else int(found)


def next_position(connection: Connection, table: Table, *scope: ColumnElement[bool]) -> int:
    """The position after the last row in ``scope`` (1 for the first)."""
    return last(connection, table.c.position, *scope) + 1


def dialect_insert(dialect: str) -> Callable[[Table], postgresql.Insert | sqlite.Insert]:
    """The INSERT of the dialect named ``dialect``, which has ``ON CONFLICT``."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def put(
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
    """:func:`put`'s statement, built once for each table and set of columns (the values
    are bound when it runs)."""
    position = (
        select(func.coalesce(func.max(table.c.position), 0) + 1)
        .where(*(table.c[name] == bindparam(name) for name in scope))
        .scalar_subquery()
    )
    statement = dialect_insert(dialect)(table).values(
        **{name: bindparam(name) for name in (*keys, *values)}, position=position
    )
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in values}
    )


def _field(column: str) -> str:
    """The record's field a column holds: ``user_name`` holds ``user``."""
    return "user" if column == "user_name" else column


def field_columns(table: Table) -> list[ColumnElement[Any]]:
    """The table's columns named as its record's fields, without ``position``: a row of them
    is the record's keyword arguments."""
    return [c.label(_field(c.name)) for c in table.columns if c.name != "position"]


def record_values(table: Table, record: Any) -> dict[str, Any]:
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


MEMBER_FIELDS: Final = tuple(f.name for f in dataclass_fields(Member))
"""The members table's columns in the order of :class:`~peerconomy.domain.pool.Member`'s
fields."""
MEMBER_COLUMNS: Final = tuple(t.members.c[f] for f in MEMBER_FIELDS)
