"""The memory store and its unit of work: a transaction works on a copy of the state and
swaps it in on commit."""

from __future__ import annotations

from peerconomy.store.memory.accounts import MemoryAccountRepository
from peerconomy.store.memory.answers import MemoryAnswerRepository
from peerconomy.store.memory.audit import MemoryAuditRepository
from peerconomy.store.memory.journal import MemoryJournalRepository
from peerconomy.store.memory.mail import MemoryMailRepository
from peerconomy.store.memory.periods import MemoryPeriodRepository
from peerconomy.store.memory.pools import MemoryPoolRepository
from peerconomy.store.memory.shifts import MemoryShiftRepository
from peerconomy.store.memory.state import State
from peerconomy.store.unit_of_work import ReentrantUnitOfWork

__all__ = ["MemoryStore", "MemoryUnitOfWork"]


class MemoryStore:
    """The state that in-memory units of work share (one per simulated or tested pool set).

    A commit replaces the whole state, so two threads that write at once would lose one's
    work: the server drains no outbox from a thread of its own on this store."""

    takes_writers_in_threads = False

    def __init__(self) -> None:
        self.state = State()

    def unit_of_work(self) -> MemoryUnitOfWork:
        """A new unit of work over this store."""
        return MemoryUnitOfWork(self)

    def ping(self) -> None:
        """Always answers: the state is in this process (for a health check)."""


class MemoryUnitOfWork(ReentrantUnitOfWork):
    """A transaction over a :class:`MemoryStore`: it works on a copy of the store's state,
    swapped in on commit."""

    pools: MemoryPoolRepository
    periods: MemoryPeriodRepository
    shifts: MemoryShiftRepository
    journal: MemoryJournalRepository
    accounts: MemoryAccountRepository
    audit: MemoryAuditRepository
    answers: MemoryAnswerRepository
    mail: MemoryMailRepository

    _work: State

    def __init__(self, store: MemoryStore) -> None:
        super().__init__()
        self._store = store

    def _begin(self) -> None:
        work = self._work = self._store.state.copy()
        self.pools = MemoryPoolRepository(work)
        self.periods = MemoryPeriodRepository(work)
        self.shifts = MemoryShiftRepository(work)
        self.journal = MemoryJournalRepository(work)
        self.accounts = MemoryAccountRepository(work)
        self.audit = MemoryAuditRepository(work)
        self.answers = MemoryAnswerRepository(work)
        self.mail = MemoryMailRepository(work)

    def _commit(self) -> None:
        self._store.state = self._work
        self._work = self._work.copy()
        for repository in (self.pools, self.periods, self.shifts, self.journal, self.accounts,
                           self.audit, self.answers, self.mail):
            repository._s = self._work

    def _end(self) -> None:
        """Nothing to undo: the copy worked on is dropped (a commit swapped in what counts)."""
