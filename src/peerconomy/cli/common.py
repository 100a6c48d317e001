"""What every command shares: one-line errors with exit code 2, the ``--db`` and ``--pool``
options, and opening the store.

Entrypoints stay thin: parse the arguments, call one service, and turn a refusal
(:class:`ScenarioError`, :class:`ServiceError`, :class:`IllegalTransitionError`) into one line
on stderr and exit code 2. The refused call's transaction rolled back, so nothing is stored.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from peerconomy.domain.period import IllegalTransitionError
from peerconomy.domain.scenario import ScenarioError
from peerconomy.services.errors import ServiceError

if TYPE_CHECKING:
    from peerconomy.services.ports import UnitOfWork

__all__ = [
    "EXIT_BAD_INPUT",
    "DbOption",
    "JsonOption",
    "PoolOption",
    "fail",
    "print_json",
    "read_text_file",
    "refusals",
    "shown",
    "unit_of_work",
    "write_json",
]

EXIT_BAD_INPUT = 2
_T = TypeVar("_T")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        envvar="PEERCONOMY_DATABASE_URL",
        show_envvar=True,
        help="Database URL (sqlite:///path or postgresql+psycopg://...); default: a SQLite"
        " file in your data directory.",
    ),
]
PoolOption = Annotated[str, typer.Option("--pool", metavar="NAME", help="The pool's name.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def shown(value: str) -> str:
    """``value`` as the terminal should print it: Rich markup escaped, and control
    characters (a terminal's escape codes, a bell, a carriage return) written as escapes."""
    from rich.markup import escape

    return escape("".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in value
    ))


MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024
"""The largest list or text file a command reads (a membership list of thousands is far
less)."""


def read_text_file(path: Path, limit: int = MAX_TEXT_FILE_BYTES) -> str:
    """A regular UTF-8 text file's content; anything else (a FIFO, a device, a folder, a file
    over ``limit`` bytes, bytes that are not UTF-8) is one line naming the file and exit
    code 2, without waiting on a pipe or reading a device."""
    import os
    import stat

    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        fail(f"{path}: cannot read file: {error.strerror or error}")
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            fail(f"{path}: is not a regular file")
        data = file.read(limit + 1)
    if len(data) > limit:
        fail(f"{path}: is larger than {limit} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        fail(f"{path}: is not UTF-8 text (byte {error.start})")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``error: <message>`` as one line on stderr and exit."""
    one_line = message.replace("\r", "\\r").replace("\n", "\\n")
    sys.stderr.write(f"error: {one_line}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a service's refusal into a one-line error and exit code 2."""
    try:
        yield
    except (ScenarioError, ServiceError, IllegalTransitionError) as err:
        fail(str(err))


def unit_of_work(db: str | None) -> Callable[[], UnitOfWork]:
    """A factory of units of work on the database at ``db`` (default: the user's SQLite file),
    upgraded first if it is new."""
    from peerconomy.store.sql import StoreError, default_database_url, open_store

    url = db or default_database_url()
    try:
        store = open_store(url)
    except StoreError as err:
        fail(str(err))
    return store.unit_of_work


def print_json(data: Any) -> None:
    """Print data as indented UTF-8 JSON on stdout."""
    write_json(data, None)


def write_json(data: Any, output: Path | None) -> None:
    """Data as indented UTF-8 JSON, into the file ``output`` or, where it is None, on stdout;
    a file that cannot be written is one line on stderr and exit code 1."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        fail(f"{output}: cannot write file: {err.strerror or err}", code=1)
