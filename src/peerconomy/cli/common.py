r"""What every command shares: one-line errors with exit code 2, the ``--db`` and ``--pool``
options, opening the store, and output that cannot drive the terminal.

Whatever a command prints goes through :func:`plain` (tables and messages through the
:func:`terminal`, JSON through :func:`write_json`, exports through :func:`write_text`, errors
through :func:`fail`): a name or id holding terminal control characters (``\x1b[31m``,
``\x07``, ``\r``) is shown with those escaped, as ``\x1b[31m``, so that it can neither
recolour, ring, overwrite nor hide what the command says.

Entrypoints stay thin: parse the arguments, call one service, and turn a refusal (any
:class:`~peerconomy.domain.refusal.Refusal`: bad input, a conflict, something not found or
not allowed) into one line on stderr and exit code 2. The refused call's transaction rolled
back, so nothing is stored.

Every command imports what it works with (the store, the services, the engine) in its body,
never at the top of its module: ``peerconomy --help`` and the commands that only read or
write a few rows then start without loading numpy, numba, SQLAlchemy or FastAPI
(tests/cli/test_startup.py checks that).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from peerconomy.environment import DATABASE_URL_SETTING

if TYPE_CHECKING:
    from peerconomy.bootstrap import StoreError
    from peerconomy.services.ports import UnitOfWork

__all__ = [
    "DATABASE_SETTING",
    "EXIT_BAD_INPUT",
    "DbOption",
    "GivenUrl",
    "JsonOption",
    "PoolOption",
    "TerminalConsole",
    "fail",
    "plain",
    "print_json",
    "read_text_file",
    "refusals",
    "store_failure",
    "terminal",
    "unit_of_work",
    "write_json",
    "write_text",
]

EXIT_BAD_INPUT = 2
_T = TypeVar("_T")

DATABASE_SETTING = DATABASE_URL_SETTING
"""The environment variable ``--db`` falls back to."""


class GivenUrl(str):
    """A database URL with how the user gave it (``given_as``): ``--db``, or the setting
    :data:`DATABASE_SETTING`; an error about the URL names that."""

    given_as: str

    def __new__(cls, url: str, given_as: str) -> GivenUrl:
        given = super().__new__(cls, url)
        given.given_as = given_as
        return given


def _given_as(context: typer.Context, option: typer.CallbackParam,
              value: str | None) -> str | None:
    """``--db``'s value as a :class:`GivenUrl` that knows whether it came from the command
    line or from the environment."""
    if value is None or option.name is None:
        return value
    source = context.get_parameter_source(option.name)
    from_line = source is not None and source.name == "COMMANDLINE"
    return GivenUrl(value, "--db" if from_line else DATABASE_SETTING)


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        callback=_given_as,
        envvar=DATABASE_SETTING,
        show_envvar=True,
        help="Database URL (sqlite:///path or postgresql+psycopg://...); default: a SQLite"
        " file in your data directory.",
    ),
]
def _pool_name(name: str) -> str:
    """A pool's name as typed; one no store can hold (a NUL, a lone surrogate) is one line
    naming ``--pool`` and exit code 2, as the API refuses it
    (:func:`peerconomy.http.inputs.problem`)."""
    from peerconomy.http.inputs import problem

    found = problem(name)
    if found is not None:
        fail(f"--pool: {found}")
    return name


PoolOption = Annotated[str, typer.Option("--pool", metavar="NAME", help="The pool's name.",
                                         callback=_pool_name)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
r"""What a terminal takes as a command, not text: C0 controls but tab and newline, DEL, C1
controls (``\x9b`` starts a sequence as ``\x1b[`` does), and the bidirectional overrides
that make text read in another order than it is stored; and lone surrogates, which no
terminal can be sent at all."""


def _escaped(found: re.Match[str]) -> str:
    # C0 as \x1b; the others as \u009b, which is also how JSON writes them, so that JSON
    # output stays JSON (and the same data): JSON escapes C0 itself
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def plain(text: str) -> str:
    r"""``text`` with every terminal control character escaped (``"\x1b[31m"`` is shown as
    ``\x1b[31m``, ``"\x9b"`` as ``\u009b``); newlines and tabs stay. JSON text stays JSON
    with the same data."""
    return _CONTROL.sub(_escaped, text)


class TerminalConsole(Console):
    """A Rich console that shows every string it is given through :func:`plain` (the
    markup of the program's own messages still styles them)."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(plain(text), **options)


def terminal(*, stderr: bool = False) -> Console:
    """The console commands print tables and messages on (stderr if asked)."""
    return TerminalConsole(stderr=stderr)


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
    one_line = plain(message).replace("\n", "\\n")
    sys.stderr.write(f"error: {one_line}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a refusal (of a service, or of a file read) into a one-line error and exit
    code 2."""
    from peerconomy.domain.refusal import Refusal

    try:
        yield
    except Refusal as err:
        fail(str(err))


def unit_of_work(db: str | None) -> Callable[[], UnitOfWork]:
    """A factory of units of work on the database at ``db`` (default: the user's SQLite file),
    upgraded first if it is new."""
    from peerconomy.bootstrap import StoreError, open_store

    try:
        store = open_store(db)
    except StoreError as err:
        store_failure(err, db)
    return store.unit_of_work


def store_failure(err: StoreError, db: str | None) -> NoReturn:
    """A store that cannot be opened, as one line and exit code 2; where the message names
    where the database is set, it names how the user gave ``db`` (``--db``, where ``db`` is
    a :class:`GivenUrl` from the command line), else :data:`DATABASE_SETTING`."""
    fail(err.naming(db.given_as if isinstance(db, GivenUrl) else DATABASE_SETTING))


def print_json(data: Any) -> None:
    """Print data as indented UTF-8 JSON on stdout."""
    write_json(data, None)


def write_json(data: Any, output: Path | None) -> None:
    """Data as indented UTF-8 JSON, into the file ``output`` or, where it is None, on stdout;
    a file that cannot be written is one line on stderr and exit code 1."""
    text = plain(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    if output is None:
        write_text(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        fail(f"{output}: cannot write file: {err.strerror or err}", code=1)


def write_text(text: str) -> None:
    """Text as UTF-8 on stdout, through :func:`plain`."""
    sys.stdout.buffer.write(plain(text).encode("utf-8"))
    sys.stdout.buffer.flush()
