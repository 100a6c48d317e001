"""Reading a file someone handed us, safely: a regular file, of bounded size, and (for a
folder's files) inside that folder.

``peerconomy validate``, ``clear``, ``pool import`` and ``federation clear`` read files named
on the command line or found in a folder. A FIFO would make a plain ``read`` wait forever, a
device (or a symlink to ``/dev/zero``) would fill memory, and a symlink in a federation folder
could read any file of the machine. :func:`read_regular_file` opens without blocking, checks
what it opened (not the name, which could change meanwhile) and reads at most ``limit`` bytes;
anything else is a :class:`~peerconomy.domain.refusal.ScenarioError` naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

from peerconomy.domain.refusal import ScenarioError
from peerconomy.environment import setting

__all__ = ["MAX_FILE_BYTES", "max_file_bytes", "read_regular_file"]

MAX_FILE_BYTES: Final = 2 * 1024**3
"""The largest file read (2 GiB: a town of a million wishes is well under); the environment
variable ``PEERCONOMY_MAX_FILE_BYTES`` may set it lower."""
_KINDS: Final = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def max_file_bytes() -> int:
    """:data:`MAX_FILE_BYTES`, or the lower limit the environment sets."""
    try:
        return min(MAX_FILE_BYTES, int(setting("PEERCONOMY_MAX_FILE_BYTES")))
    except ValueError:
        return MAX_FILE_BYTES


def read_regular_file(
    path: str | os.PathLike[str], *, limit: int | None = None, within: Path | None = None
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them (default:
    :func:`max_file_bytes`); where ``within`` is given, the file (its links followed) must
    lie inside that folder. Raise :class:`ScenarioError` naming the file otherwise."""
    name = os.fspath(path)
    limit = max_file_bytes() if limit is None else limit
    if within is not None:
        real, folder = Path(path).resolve(), within.resolve()
        if not real.is_relative_to(folder):
            raise ScenarioError(name, f"links out of the folder {str(within)!r}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise ScenarioError(name, f"cannot read file: {err.strerror or err}") from None
    try:
        status = os.fstat(fd)
        for kind, what in _KINDS:
            if kind(status.st_mode):
                raise ScenarioError(name, f"not a regular file ({what})")
        if not stat.S_ISREG(status.st_mode):  # pragma: no cover - no other kinds on POSIX
            raise ScenarioError(name, "not a regular file")
        if status.st_size > limit:
            raise ScenarioError(name, f"file too large ({status.st_size} bytes, at most"
                                      f" {limit})")
        data = _read_at_most(fd, limit + 1)
    except OSError as err:
        raise ScenarioError(name, f"cannot read file: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while we read
        raise ScenarioError(name, f"file too large (more than {limit} bytes)")
    return data


def _read_at_most(fd: int, n: int) -> bytes:
    """Up to ``n`` bytes of the open file, until its end."""
    chunks: list[bytes] = []
    left = n
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
