"""Backups of a whole store: every row of every table as one JSON document, and back.

``peerconomy db backup`` writes the document; ``peerconomy db restore`` reads it into an
empty database. The document::

    {"format": "peerconomy-backup/1",
     "revision": "0002",
     "tables": {"pools": [{"name": "farm", "max_weight": 5.0, ...}, ...], ...}}

It is made from the tables of :mod:`peerconomy.store.tables` (``metadata.sorted_tables``: a
table added to the schema is backed up without a change here), each row an object of its
columns, the rows in the order of their primary key, so the same database always gives the
same document, on SQLite as on PostgreSQL. Values are the store's own, written exactly: an
amount of hours (:class:`~peerconomy.store.tables.MicroHours`) as a decimal string
(``"2.500000"``), a time as ISO 8601 in UTC, a date as ISO 8601, bytes in base64, numbers,
text (JSON columns keep their text as stored) and booleans as JSON has them.

A backup reads the database in one transaction (a snapshot: on PostgreSQL ``REPEATABLE
READ``), so a server may keep running meanwhile (on SQLite its writes wait until the backup
is read). A restore refuses, changing nothing, a
document that is not a backup, one made at another schema revision than this version of
peerconomy works with, one whose books do not balance (a transaction's postings that do not
sum to zero), and a database that holds any rows; otherwise it makes the schema (an
empty database) and inserts every row in one transaction: all of the backup or nothing. On
PostgreSQL it then moves each serial column's sequence past the highest id restored.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import Any, Final, get_args, get_type_hints

from alembic import command
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    Select,
    Table,
    TypeDecorator,
    func,
    insert,
    inspect,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from peerconomy.store.sql.bulk import COPY_THRESHOLD, copy_rows
from peerconomy.store.sql.engine import StoreError, create_engine_for
from peerconomy.store.sql.revisions import (
    alembic_config,
    head_revision,
    revision_of,
    take_migration_lock,
)
from peerconomy.store.tables import metadata

__all__ = [
    "FORMAT",
    "BackupError",
    "backup",
    "read_backup",
    "restore",
    "write_backup",
]

FORMAT: Final = "peerconomy-backup/1"
"""The ``format`` of a backup document."""

_VERSION_TABLE: Final = "alembic_version"

Row = dict[str, Any]


class BackupError(StoreError):
    """A backup or restore refused: the message says why (the CLI prints it, exit code 2)."""


# --- values --------------------------------------------------------------------------------


def _python_type(column: Column[Any]) -> type:
    """The Python type of a column's values, as the store reads and writes them: a
    :class:`~sqlalchemy.types.TypeDecorator` names it as the return type of its
    ``process_result_value`` (``Decimal | None`` for micro-hours)."""
    kind: Any = column.type
    if isinstance(kind, TypeDecorator):
        try:
            returned = get_type_hints(type(kind).process_result_value).get("return")
        except (NameError, TypeError):  # pragma: no cover - an unannotated decorator
            returned = None
        named = [a for a in get_args(returned) or (returned,) if isinstance(a, type)]
        named = [a for a in named if a is not type(None)]
        if len(named) == 1:
            return named[0]
        kind = kind.impl_instance
    try:
        python: type = kind.python_type
    except NotImplementedError:
        return object
    return python


def _encoder(python: type, where: str) -> Callable[[Any], Any] | None:
    """How a column's values are written in JSON (None: as they are)."""
    if issubclass(python, bool | int | str | float | dict | list) or python is object:
        return None
    if issubclass(python, datetime | date | time):
        return lambda value: value.isoformat()
    if issubclass(python, Decimal | uuid.UUID):
        return str
    if issubclass(python, bytes):
        return lambda value: base64.b64encode(value).decode("ascii")
    raise BackupError(f"{where}: a backup cannot write values of type {python.__name__}")


def _decoder(python: type) -> tuple[tuple[type, ...] | None, Callable[[Any], Any] | None]:
    """The JSON types a column's values may have in a backup (None: any), and how they turn
    back into the column's Python values (None: as they are)."""
    if python is bool:
        return (bool,), None
    if issubclass(python, int):
        return (int,), None
    if issubclass(python, float):
        return (float, int), float
    if issubclass(python, str):
        return (str,), None
    parse: Callable[[Any], Any] | None = None
    if issubclass(python, datetime):
        parse = datetime.fromisoformat
    elif issubclass(python, date):
        parse = date.fromisoformat
    elif issubclass(python, time):
        parse = time.fromisoformat
    elif issubclass(python, Decimal):
        parse = Decimal
    elif issubclass(python, uuid.UUID):
        parse = uuid.UUID
    elif issubclass(python, bytes):
        parse = functools.partial(base64.b64decode, validate=True)
    return ((str,), parse) if parse is not None else (None, None)


# --- backup --------------------------------------------------------------------------------


def _engine(source: str | URL | Engine) -> tuple[Engine, bool]:
    if isinstance(source, Engine):
        return source, False
    return create_engine_for(source), True


@contextmanager
def _database(source: str | URL | Engine) -> Iterator[Engine]:
    """The source's engine (made here and disposed after, unless one was given); a database
    that cannot be reached is a :class:`StoreError` naming it."""
    engine, made = _engine(source)
    try:
        yield engine
    except OperationalError as err:
        reason = str(err.orig if err.orig is not None else err).strip()
        raise StoreError(f"cannot open the database {_shown(engine)}: {reason}") from err
    finally:
        if made:
            engine.dispose()


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _present(connection: Connection) -> list[Table]:
    """The schema's tables that the database has, parents before children."""
    existing = set(inspect(connection).get_table_names())
    return [t for t in metadata.sorted_tables if t.name in existing]


def backup(source: str | URL | Engine) -> dict[str, Any]:
    """The whole database at ``source`` as a backup document (see the module's docstring).

    Raise :class:`BackupError` for a database without peerconomy's schema, or at another
    revision than this version of peerconomy works with.
    """
    head = head_revision()
    with _database(source) as engine, engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            current = revision_of(connection)
            if current != head:
                found = "has no peerconomy schema" if current is None else (
                    f"is at schema revision {current!r}"
                )
                raise BackupError(
                    f"the database {_shown(engine)} {found}, and this version of peerconomy"
                    f" backs up revision {head!r}"
                    + ("" if current is None else ": run `peerconomy db upgrade` first")
                )
            tables = {t.name: _rows_of(connection, t) for t in _present(connection)}
    return {"format": FORMAT, "revision": head, "tables": tables}


def _rows_of(connection: Connection, source: Table) -> list[Row]:
    names = list(source.columns.keys())
    encoders = [_encoder(_python_type(c), f"{source.name}.{c.name}") for c in source.columns]
    rows = [tuple(row) for row in connection.execute(select(source))]
    key = [names.index(c.name) for c in source.primary_key.columns]
    if key:
        rows.sort(key=itemgetter(*key))
    else:
        rows.sort(key=lambda row: tuple((value is not None, value) for value in row))
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) or [() for _ in names]
    for i, encode in enumerate(encoders):
        if encode is not None:
            columns[i] = [None if value is None else encode(value) for value in columns[i]]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def write_backup(source: str | URL | Engine, path: Path) -> dict[str, Any]:
    """Back up the database at ``source`` into the file ``path`` (UTF-8 JSON), and return the
    document. The file is written whole or not at all: a new file beside it, renamed."""
    document = backup(source)
    folder = path.parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(document, file, ensure_ascii=False, separators=(",", ":"))
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return document


# --- restore -------------------------------------------------------------------------------


def read_backup(path: Path) -> dict[str, Any]:
    """The backup document in the file ``path``; :class:`BackupError` if the file cannot be
    read or holds no backup."""
    try:
        with path.open("rb") as file:
            document = json.load(file)
    except OSError as err:
        raise BackupError(f"{path}: cannot read file: {err.strerror or err}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BackupError(f"{path} is not a peerconomy backup: not JSON ({err})") from None
    _check_shape(document, str(path))
    return dict(document)


def _check_shape(document: Any, name: str) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise BackupError(
            f"{name} is not a peerconomy backup: its format must be {FORMAT!r}, got {found!r}"
        )
    if not isinstance(document.get("revision"), str):
        raise BackupError(f"{name} is not a peerconomy backup: it names no schema revision")
    tables = document.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(rows, list) and all(isinstance(row, dict) for row in rows)
        for rows in tables.values()
    ):
        raise BackupError(
            f"{name} is not a peerconomy backup: 'tables' must map each table to a list of rows"
        )


def restore(url: str | URL, document: Mapping[str, Any] | Path) -> dict[str, int]:
    """Restore a backup (a document, or the file holding one) into the empty database at
    ``url``, made at once if new, in one transaction; return the rows restored per table.

    Raise :class:`BackupError`, changing nothing, for a document that is not a backup, or
    was made at another schema revision than this version of peerconomy works with, whose
    books do not balance, and for a database that is not empty.
    """
    if isinstance(document, Path):
        name, document = str(document), read_backup(document)
    else:
        name = "the document"
        _check_shape(document, name)
    head = head_revision()
    if document["revision"] != head:
        raise BackupError(
            f"{name} was made at schema revision {document['revision']!r}, and this version of"
            f" peerconomy restores revision {head!r}: restore it with the peerconomy that made"
            " it, then upgrade"
        )
    with _database(url) as engine, engine.begin() as connection:
        take_migration_lock(connection)
        _check_target(connection, _shown(engine))
        if revision_of(connection) != head:
            command.upgrade(alembic_config(connection), "head")
        tables = _present(connection)
        rows = _decoded(document["tables"], tables, name)
        _check_books(rows, name)
        try:
            for target in tables:
                if found := rows.get(target.name):
                    _insert(connection, target, _in_reference_order(target, found))
        except (IntegrityError, DataError) as err:
            raise _misfit(name, err.orig if err.orig is not None else err) from None
        except Exception as err:
            if _driver_refused(connection, err):  # from COPY, straight from the driver
                raise _misfit(name, err) from None
            raise
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, tables)
    return {target.name: len(rows.get(target.name, ())) for target in tables}


def _check_books(rows: Mapping[str, list[Row]], name: str) -> None:
    """:class:`BackupError` unless the books in the decoded ``rows`` balance: every
    transaction's postings sum to exactly zero (the journal's own rule,
    :class:`~peerconomy.ledger.journal.Transaction`), so every pool's balances sum to zero.
    A backup edited by hand (a posting raised by 1000 hours) is refused before anything is
    written, naming the first transaction that does not balance."""
    totals: dict[tuple[str, str], Decimal] = {}
    for posting in rows.get("postings", ()):
        key = (posting["pool"], posting["transaction_id"])
        totals[key] = totals.get(key, Decimal(0)) + posting["amount"]
    for (pool, transaction), total in sorted(totals.items()):
        if total != 0:
            raise BackupError(
                f"{name}: the books of pool {pool!r} do not balance: the postings of transaction"
                f" {transaction!r} sum to {total}, not 0 (the backup was changed by hand?);"
                " nothing is restored"
            )


def _misfit(name: str, err: BaseException) -> BackupError:
    reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
    return BackupError(f"{name} does not fit the schema: {reason}")


def _driver_refused(connection: Connection, err: Exception) -> bool:
    """Whether ``err`` is the database driver's refusal of a row (psycopg's own
    ``IntegrityError`` or ``DataError``)."""
    driver = connection.dialect.loaded_dbapi
    return isinstance(err, driver.IntegrityError | driver.DataError)


def _insert(connection: Connection, target: Table, rows: list[Row]) -> None:
    """Insert the rows: with ``COPY`` where there are many on PostgreSQL (the values bound as
    SQLAlchemy would, then handed to psycopg)."""
    if connection.dialect.name != "postgresql" or len(rows) <= COPY_THRESHOLD:
        connection.execute(insert(target), rows)
        return
    bound = [
        (column.name, column.type.bind_processor(connection.dialect))
        for column in target.columns
    ]
    copy_rows(
        connection,
        target,
        [tuple(row[n] if bind is None else bind(row[n]) for n, bind in bound) for row in rows],
    )


def _check_target(connection: Connection, where: str) -> None:
    """Refuse a database that holds rows, or tables of another application."""
    names = [n for n in inspect(connection).get_table_names() if n != _VERSION_TABLE]
    for name in names:
        held: Select[tuple[Any]] = select(literal_column("1")).select_from(table(name)).limit(1)
        if connection.execute(held).first() is not None:
            raise BackupError(
                f"the database {where} is not empty (table {name!r} holds rows): restore"
                " only into a new, empty database"
            )
    current = revision_of(connection)
    if current is None and names:
        raise BackupError(
            f"the database {where} holds tables but no peerconomy schema revision: restore"
            " only into a new, empty database"
        )
    if current is not None:
        try:
            ScriptDirectory.from_config(alembic_config()).get_revision(current)
        except (RevisionError, CommandError):
            raise BackupError(
                f"the database {where} is at schema revision {current!r}, which this version"
                " of peerconomy does not know"
            ) from None


def _decoded(
    tables: Mapping[str, list[Row]], schema: Sequence[Table], name: str
) -> dict[str, list[Row]]:
    """The document's rows as the tables' Python values; :class:`BackupError` naming the
    table, row and column of the first that is not one."""
    known = {t.name: t for t in schema}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise BackupError(f"{name} holds a table this schema does not have: {unknown[0]!r}")
    decoded: dict[str, list[Row]] = {}
    for table_name, rows in tables.items():
        names = known[table_name].columns.keys()
        allowed = set(names)
        for number, row in enumerate(rows, start=1):
            if not row.keys() <= allowed:
                extra = sorted(row.keys() - allowed)[0]
                raise BackupError(
                    f"{name}: table {table_name!r}, row {number}: no column {extra!r} in this"
                    " schema"
                )
        columns = [
            _column_values(rows, column, f"{name}: table {table_name!r}")
            for column in known[table_name].columns
        ]
        decoded[table_name] = [
            dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)
        ]
    return decoded


def _column_values(rows: list[Row], column: Column[Any], where: str) -> list[Any]:
    """One column's values in the rows, turned back into Python values."""
    kinds, convert = _decoder(_python_type(column))
    values = [row.get(column.name) for row in rows]
    if kinds is not None and not set(map(type, values)) <= {*kinds, type(None)}:
        number, value = next(
            (n, v) for n, v in enumerate(values, start=1) if v is not None and type(v) not in kinds
        )
        raise BackupError(
            f"{where}, row {number}, column {column.name!r}: expected"
            f" {kinds[0].__name__}, got {value!r}"
        )
    if convert is None:
        return values
    converted = []
    for number, value in enumerate(values, start=1):
        try:
            converted.append(None if value is None else convert(value))
        except (TypeError, ValueError, InvalidOperation, binascii.Error):
            raise BackupError(
                f"{where}, row {number}, column {column.name!r}: not a valid"
                f" {_python_type(column).__name__}: {value!r}"
            ) from None
    return converted


def _in_reference_order(target: Table, rows: list[Row]) -> list[Row]:
    """The rows with every row that another refers to (a foreign key of the table on itself:
    a reversal names the transaction it reverses) before that other; else as they came."""
    own = [fk for fk in target.foreign_key_constraints if fk.referred_table is target]
    if not own:
        return rows
    links = [([e.parent.name for e in fk.elements], [e.column.name for e in fk.elements])
             for fk in own]
    index = {
        (n, tuple(row[c] for c in referred)): i
        for n, (_, referred) in enumerate(links)
        for i, row in enumerate(rows)
    }
    ordered: list[Row] = []
    state = [0] * len(rows)  # 0 to place, 1 being placed, 2 placed
    for first in range(len(rows)):
        stack = [first]
        while stack:
            i = stack[-1]
            if state[i] == 2:
                stack.pop()
                continue
            state[i] = 1
            waiting = [
                j
                for n, (local, _) in enumerate(links)
                if None not in (key := tuple(rows[i][c] for c in local))
                and (j := index.get((n, key))) is not None
                and j != i
                and state[j] == 0
            ]
            if waiting:
                stack.extend(waiting)
                continue
            state[i] = 2
            ordered.append(rows[i])
            stack.pop()
    return ordered


def _reset_sequences(connection: Connection, tables: Sequence[Table]) -> None:
    """Move each serial column's sequence past the highest value restored (PostgreSQL)."""
    for target in tables:
        for column in target.columns:
            if not isinstance(column.type, Integer):
                continue
            sequence = connection.execute(
                select(func.pg_get_serial_sequence(target.name, column.name))
            ).scalar()
            if sequence is None:
                continue
            highest = connection.execute(select(func.max(target.c[column.name]))).scalar()
            connection.execute(
                text("SELECT setval(:sequence, :value, :called)"),
                {"sequence": sequence, "value": highest or 1, "called": highest is not None},
            )
