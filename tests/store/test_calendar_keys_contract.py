"""The store contract for calendar keys: one per account, found by its id, replaced when it is
renewed, gone with the account.

Runs on the in-memory reference store and on the SQL store with SQLite and with PostgreSQL
(see ``conftest.py``). Ana subscribes to her calendar on Monday and renews the address on
Tuesday; ben makes his on Monday too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from peerconomy.domain.account import User
from peerconomy.domain.security import CalendarKey
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore

Store = MemoryStore | SqlStore

MONDAY = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
ANA = User("ana", "ana@seaside.example", "argon2-of-ana", MONDAY)
BEN = User("ben", "ben@seaside.example", "argon2-of-ben", MONDAY)
ANAS = CalendarKey("ana", "0123456789abcdef", "a" * 64, MONDAY)
BENS = CalendarKey("ben", "fedcba9876543210", "b" * 64, MONDAY + timedelta(minutes=5))
RENEWED = CalendarKey("ana", "00112233445566ff", "c" * 64, MONDAY + timedelta(days=1))


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    """A unit of work on a store where ana and ben have accounts and no calendar keys."""
    with store.unit_of_work() as setup:
        setup.accounts.add_user(ANA)
        setup.accounts.add_user(BEN)
        setup.commit()
    return store.unit_of_work()


def test_a_key_is_found_by_its_user_and_by_its_id(uow: UnitOfWork) -> None:
    with uow:
        assert uow.accounts.calendar_key("ana") is None
        assert uow.accounts.add_calendar_key(ANAS) == ANAS
        assert uow.accounts.add_calendar_key(BENS) == BENS
        uow.commit()
    with uow:
        assert uow.accounts.calendar_key("ana") == ANAS
        assert uow.accounts.calendar_key("ben") == BENS
        assert uow.accounts.calendar_key_by_id(ANAS.id) == ANAS
        assert uow.accounts.calendar_key_by_id(BENS.id) == BENS
        assert uow.accounts.calendar_key_by_id("0000000000000000") is None


def test_adding_a_second_key_keeps_the_first(uow: UnitOfWork) -> None:
    """Two requests that make ana's first key at once: both get the one made first."""
    with uow:
        uow.accounts.add_calendar_key(ANAS)
        assert uow.accounts.add_calendar_key(RENEWED) == ANAS
        uow.commit()
    with uow:
        assert uow.accounts.calendar_key("ana") == ANAS
        assert uow.accounts.calendar_key_by_id(RENEWED.id) is None


def test_renewing_replaces_the_key_and_forgets_the_old_id(uow: UnitOfWork) -> None:
    with uow:
        uow.accounts.add_calendar_key(ANAS)
        uow.accounts.add_calendar_key(BENS)
        uow.commit()
    with uow:
        uow.accounts.put_calendar_key(RENEWED)
        uow.commit()
    with uow:
        assert uow.accounts.calendar_key("ana") == RENEWED
        assert uow.accounts.calendar_key_by_id(ANAS.id) is None
        assert uow.accounts.calendar_key_by_id(RENEWED.id) == RENEWED
        assert uow.accounts.calendar_key("ben") == BENS


def test_a_key_not_committed_is_not_kept(uow: UnitOfWork) -> None:
    with uow:
        uow.accounts.add_calendar_key(ANAS)
    with uow:
        assert uow.accounts.calendar_key("ana") is None


def test_a_deleted_account_takes_its_key_along(uow: UnitOfWork) -> None:
    with uow:
        uow.accounts.add_calendar_key(ANAS)
        uow.accounts.add_calendar_key(BENS)
        uow.commit()
    with uow:
        uow.accounts.remove_user("ana")
        uow.commit()
    with uow:
        assert uow.accounts.calendar_key("ana") is None
        assert uow.accounts.calendar_key_by_id(ANAS.id) is None
        assert uow.accounts.calendar_key("ben") == BENS
