"""The SQL store's unit of work: one database transaction on one connection, with the
repositories that work in it (:class:`~peerconomy.services.ports.UnitOfWork`)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from peerconomy.store.sql.accounts import SqlAccountRepository
from peerconomy.store.sql.answers import SqlAnswerRepository
from peerconomy.store.sql.audit import SqlAuditRepository
from peerconomy.store.sql.identity_map import Seen
from peerconomy.store.sql.journal import SqlJournalRepository
from peerconomy.store.sql.mail import SqlMailRepository
from peerconomy.store.sql.periods import SqlPeriodRepository
from peerconomy.store.sql.plan_cache import PlanCache
from peerconomy.store.sql.pools import SqlPoolRepository
from peerconomy.store.sql.shifts import SqlShiftRepository
from peerconomy.store.unit_of_work import ReentrantUnitOfWork

__all__ = ["SqlUnitOfWork"]


class SqlUnitOfWork(ReentrantUnitOfWork):
    """One database transaction (:class:`~peerconomy.services.ports.UnitOfWork`).

    ``with uow:`` opens a connection and begins; :meth:`commit` commits (what follows in the
    block runs in a new transaction); leaving the block rolls back whatever was not committed
    and closes the connection. A block inside another joins its transaction.
    """

    pools: SqlPoolRepository
    periods: SqlPeriodRepository
    shifts: SqlShiftRepository
    journal: SqlJournalRepository
    accounts: SqlAccountRepository
    audit: SqlAuditRepository
    answers: SqlAnswerRepository
    mail: SqlMailRepository

    def __init__(self, engine: Engine, plans: PlanCache | None = None) -> None:
        super().__init__()
        self._engine = engine
        self._plans = plans
        self._connection: Connection | None = None
        self._seen: Seen = {}

    def _begin(self) -> None:
        connection = self._engine.connect()
        try:
            connection.begin()
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        seen: Seen = {}  # the rows this transaction has read
        self._seen = seen
        self.pools = SqlPoolRepository(connection, seen)
        self.periods = SqlPeriodRepository(connection, seen, self._plans)
        self.shifts = SqlShiftRepository(connection, seen)
        self.journal = SqlJournalRepository(connection, seen)
        self.accounts = SqlAccountRepository(connection, seen)
        self.audit = SqlAuditRepository(connection, seen)
        self.answers = SqlAnswerRepository(connection, seen)
        self.mail = SqlMailRepository(connection, seen)

    def _commit(self) -> None:
        assert self._connection is not None
        self._seen.clear()  # the next transaction reads afresh
        self._connection.commit()

    def _end(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if connection.in_transaction():
                connection.rollback()
        finally:
            connection.close()
