"""The rows a unit of work has read so far in its transaction, kept to answer the same read
again (an identity map), and the base class of the SQL repositories that share it.

A page asks for the pool, the caller's membership and the current period in several of the
services it calls; within one transaction the answer stays the same until something is
written, so the repeated reads are answered from memory (:func:`remembered`). Every write
(:func:`writes`), taking a lock and committing forget them: after a lock, what another
transaction committed meanwhile is read afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection

__all__ = ["WRITERS", "Seen", "SqlRepository", "read_key", "remembered", "writes"]

Seen = dict[tuple[Any, ...], Any]
"""What a transaction has read: answers by :func:`read_key`."""


class SqlRepository:
    """What the repositories of one unit of work share: its connection, and the rows read so
    far in its transaction."""

    def __init__(self, connection: Connection, seen: Seen | None = None) -> None:
        self._c = connection
        self._seen: Seen = seen if seen is not None else {}


_Repo = TypeVar("_Repo", bound=SqlRepository)
_P = ParamSpec("_P")
_R = TypeVar("_R")

WRITERS: set[str] = set()
"""The qualified names of the repository methods marked :func:`writes`."""


def read_key(method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Where the unit of work keeps what the read ``method`` (its qualified name) returned
    for these arguments."""
    return (method, args, tuple(kwargs.items()))


def remembered(
    method: Callable[Concatenate[_Repo, _P], _R],
) -> Callable[Concatenate[_Repo, _P], _R]:
    """A read answered from the unit of work's memory when it was made before (and nothing
    was written since)."""
    name = method.__qualname__

    @wraps(method)
    def read(repository: _Repo, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        key = read_key(name, args, kwargs)
        seen = repository._seen
        if key in seen:
            found: _R = seen[key]
            return found
        found = method(repository, *args, **kwargs)
        seen[key] = found
        return found

    return read


def writes(
    method: Callable[Concatenate[_Repo, _P], _R],
) -> Callable[Concatenate[_Repo, _P], _R]:
    """A write: the unit of work forgets what it has read."""

    @wraps(method)
    def write(repository: _Repo, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        repository._seen.clear()
        return method(repository, *args, **kwargs)

    WRITERS.add(method.__qualname__)
    return write
