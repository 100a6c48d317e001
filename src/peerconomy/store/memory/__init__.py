"""An in-memory store: the unit of work and repositories of :mod:`peerconomy.services.ports`
kept in dictionaries, for service tests and the simulator.

A transaction works on a copy of the state and swaps it in on commit, so a service that
fails half-way leaves the store as it was, exactly as a database transaction would.

The store is a package mirroring :mod:`peerconomy.store.sql`: :mod:`.state` (the
dictionaries), :mod:`.store` (:class:`MemoryStore` and :class:`MemoryUnitOfWork`) and one
module per repository.
"""

from __future__ import annotations

from peerconomy.store.memory.store import MemoryStore, MemoryUnitOfWork

__all__ = ["MemoryStore", "MemoryUnitOfWork"]
