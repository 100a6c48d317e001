"""What every store's unit of work does alike: ``with uow:`` begins a transaction, a block
inside another joins it, :meth:`ReentrantUnitOfWork.commit` commits (what follows in the
block runs in a new transaction), and leaving the outermost block ends it, rolling back
whatever was not committed.

The memory store (:mod:`peerconomy.store.memory`) and the SQL store
(:mod:`peerconomy.store.sql`) differ only in how a transaction begins, commits and ends:
they fill in :meth:`~ReentrantUnitOfWork._begin`, :meth:`~ReentrantUnitOfWork._commit` and
:meth:`~ReentrantUnitOfWork._end`. What both units of work carry alike (such as the domain
events a service records) belongs here.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from peerconomy.domain.events import Event

__all__ = ["ReentrantUnitOfWork"]


class ReentrantUnitOfWork(ABC):
    """A unit of work whose ``with`` blocks nest: the outermost one holds the transaction,
    and a block inside it (a service called by another) joins it.

    One thread at a time: a unit of work entered again from another thread while its
    transaction is open raises :class:`RuntimeError` rather than share it.
    """

    def __init__(self) -> None:
        self._open = False
        self._depth = 0
        self._thread: int | None = None
        self.events: list[Event] = []
        """The domain events recorded in this transaction, not yet handed to the message bus
        (:mod:`peerconomy.services.messagebus`)."""

    @abstractmethod
    def _begin(self) -> None:
        """Begin a transaction and make the repositories that work in it."""

    @abstractmethod
    def _commit(self) -> None:
        """Commit the transaction; the next one begins at once."""

    @abstractmethod
    def _end(self) -> None:
        """End the transaction, rolling back whatever was not committed."""

    def __enter__(self) -> Self:
        if self._open:
            if self._thread != threading.get_ident():
                raise RuntimeError("this unit of work is in use by another thread")
            self._depth += 1  # a block inside another joins its transaction
            return self
        self._thread = threading.get_ident()
        self._begin()
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._depth:
            self._depth -= 1
            return
        was_open, self._open = self._open, False
        self._thread = None
        self.events.clear()  # events of a step not committed never happened
        if was_open:
            self._end()

    def commit(self) -> None:
        """Commit what the transaction did; the block goes on in a new transaction."""
        if not self._open:
            raise RuntimeError("commit outside a transaction")
        self._commit()
