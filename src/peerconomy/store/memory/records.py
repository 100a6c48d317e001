"""A dictionary of account records (users, API tokens, invitations, requests to join,
sessions, sign-in limits, password-reset links) read and written the one way they all are:
put one, find one by its key or a list by its fields, replace one in its place, remove one.

The memory store's counterpart of :mod:`peerconomy.store.sql.records`: the account
repository's methods only say which dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from peerconomy.store.memory.state import State

__all__ = ["Records"]

_Record = TypeVar("_Record")


@dataclass(frozen=True)
class Records(Generic[_Record]):
    """One of the state's dictionaries of account records (``attribute``), each under its
    ``key``, in the order first added (a replaced record keeps its place, as a dictionary's
    key does). ``name`` is how a message names a record (``"API token"``)."""

    attribute: str
    name: str
    key: Callable[[_Record], Hashable] = attrgetter("id")

    def _of(self, state: State) -> dict[Hashable, _Record]:
        records: dict[Hashable, _Record] = getattr(state, self.attribute)
        return records

    def put(self, state: State, record: _Record) -> None:
        """Add ``record``, or replace the one with its key."""
        self._of(state)[self.key(record)] = record

    def get(self, state: State, key: Hashable) -> _Record | None:
        """The record under ``key``, or None."""
        return self._of(state).get(key)

    def listed(self, state: State, **fields: Any) -> list[_Record]:
        """The records whose fields have these values, in the order first added."""
        return [r for r in self._of(state).values()
                if all(getattr(r, name) == value for name, value in fields.items())]

    def replace(self, state: State, record: _Record) -> None:
        """Replace the record with ``record``'s key in place; ValueError if there is none
        (as the SQL store, whose UPDATE finds no row)."""
        records, key = self._of(state), self.key(record)
        if key not in records:
            raise ValueError(f"no {self.name} {key!r} to replace")
        records[key] = record

    def remove(self, state: State, key: Hashable) -> None:
        """Drop the record under ``key``, if there is one."""
        self._of(state).pop(key, None)
