"""The store contract for sign-in safety: sessions, counts of failed sign-ins and
password-reset links.

Each test runs on the in-memory reference store and on the SQL store with SQLite and with
PostgreSQL (see ``conftest.py``); the last ones hold only for the SQL store. Ana and ben have
accounts (as in ``test_accounts_contract.py``); times are a Monday morning in UTC, and one
in another zone comes back as the same moment.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError
from test_accounts_contract import ANA, BEN, MONDAY, Store

from peerconomy.domain.security import ResetToken, Session, SignInLimit
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.sql import open_store


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    """A unit of work on a store holding ana and ben."""
    with store.unit_of_work() as setup:
        setup.accounts.add_user(ANA)
        setup.accounts.add_user(BEN)
        setup.commit()
    return store.unit_of_work()


def session(id: str, user: str, minutes: int) -> Session:
    began = MONDAY + timedelta(minutes=minutes)
    return Session(f"sha256-of-{id}", user, began, began, began + timedelta(days=14))


# --- sessions -------------------------------------------------------------------------------


def test_a_session_comes_back_as_stored_and_unknown_ones_are_none(uow: UnitOfWork) -> None:
    laptop = session("laptop", "ana", 0)
    with uow:
        uow.accounts.add_session(laptop)
        uow.commit()
    with uow:
        assert uow.accounts.session(laptop.id) == laptop
        assert uow.accounts.session("sha256-of-nothing") is None


def test_a_users_sessions_come_back_oldest_first(uow: UnitOfWork) -> None:
    phone, laptop, bens = session("phone", "ana", 30), session("laptop", "ana", 0), session(
        "ben", "ben", 10)
    with uow:
        for s in (laptop, bens, phone):
            uow.accounts.add_session(s)
        uow.commit()
    with uow:
        assert uow.accounts.sessions("ana") == [laptop, phone]
        assert uow.accounts.sessions("ben") == [bens]
        assert uow.accounts.sessions("cleo") == []


def test_a_session_seen_again_and_revoked_is_replaced(uow: UnitOfWork) -> None:
    laptop = session("laptop", "ana", 0)
    berlin = timezone(timedelta(hours=1))
    with uow:
        uow.accounts.add_session(laptop)
        seen = replace(laptop, last_seen_at=(MONDAY + timedelta(hours=2)).astimezone(berlin))
        uow.accounts.put_session(seen)
        assert uow.accounts.session(laptop.id) == seen
        revoked = replace(seen, revoked_at=MONDAY + timedelta(hours=3))
        uow.accounts.put_session(revoked)
        uow.commit()
    with uow:
        assert uow.accounts.session(laptop.id) == revoked  # the same moments


def test_put_session_of_no_session_is_refused(uow: UnitOfWork) -> None:
    with uow, pytest.raises(ValueError, match="no session 'sha256-of-ghost' to replace"):
        uow.accounts.put_session(session("ghost", "ana", 0))


# --- failed sign-ins ------------------------------------------------------------------------


def test_a_count_of_failures_is_added_replaced_and_removed(uow: UnitOfWork) -> None:
    first = SignInLimit("user:ana", 1, MONDAY)
    locked = SignInLimit("user:ana", 0, None, MONDAY + timedelta(minutes=15))
    client = SignInLimit("client:203.0.113.9", 3, MONDAY)
    with uow:
        assert uow.accounts.sign_in_limit("user:ana") is None
        uow.accounts.put_sign_in_limit(first)
        uow.accounts.put_sign_in_limit(client)
        uow.commit()
    with uow:
        assert uow.accounts.sign_in_limit("user:ana") == first
        uow.accounts.put_sign_in_limit(locked)
        uow.commit()
    with uow:
        assert uow.accounts.sign_in_limit("user:ana") == locked
        uow.accounts.remove_sign_in_limit("user:ana")
        uow.accounts.remove_sign_in_limit("user:nobody")  # nothing to remove: no error
        uow.commit()
    with uow:
        assert uow.accounts.sign_in_limit("user:ana") is None
        assert uow.accounts.sign_in_limit("client:203.0.113.9") == client


def test_a_count_not_committed_is_rolled_back(uow: UnitOfWork) -> None:
    with uow:
        uow.accounts.put_sign_in_limit(SignInLimit("user:ana", 1, MONDAY))
    with uow:
        assert uow.accounts.sign_in_limit("user:ana") is None


# --- password-reset links -------------------------------------------------------------------


def test_a_reset_link_comes_back_and_its_use_is_recorded(uow: UnitOfWork) -> None:
    link = ResetToken("r1", "ben", "sha256-of-r1", MONDAY, MONDAY + timedelta(hours=1))
    with uow:
        uow.accounts.add_reset_token(link)
        uow.commit()
    with uow:
        assert uow.accounts.reset_token("r1") == link
        assert uow.accounts.reset_token("r2") is None
        used = replace(link, used_at=MONDAY + timedelta(minutes=5))
        uow.accounts.put_reset_token(used)
        uow.commit()
    with uow:
        assert uow.accounts.reset_token("r1") == used


def test_put_reset_token_of_no_link_is_refused(uow: UnitOfWork) -> None:
    link = ResetToken("r9", "ben", "sha256-of-r9", MONDAY, MONDAY + timedelta(hours=1))
    with uow, pytest.raises(ValueError, match="no password-reset link 'r9' to replace"):
        uow.accounts.put_reset_token(link)


# --- forgetting what is over ---------------------------------------------------------------


def test_remove_stale_forgets_only_what_is_over(uow: UnitOfWork) -> None:
    hour = timedelta(hours=1)
    now = MONDAY + 20 * 24 * hour
    live = session("live", "ana", 0)
    live = replace(live, expires_at=now + hour)
    expired = session("expired", "ana", 1)  # ended 14 days after Monday
    revoked = replace(session("revoked", "ben", 2), expires_at=now + hour,
                      revoked_at=now - hour)
    fresh = ResetToken("r1", "ben", "h1", now - hour / 2, now + hour / 2)
    stale = ResetToken("r2", "ben", "h2", now - 2 * hour, now - hour)
    used = ResetToken("r3", "ben", "h3", now - hour / 2, now + hour / 2, used_at=now - hour / 4)
    counting = SignInLimit("user:ana", 2, now - 10 * timedelta(minutes=1))
    locked = SignInLimit("user:ben", 0, None, now + 5 * timedelta(minutes=1))
    old = SignInLimit("login:zoe", 3, now - hour)
    lifted = SignInLimit("client:x", 0, None, now - timedelta(minutes=1))
    with uow:
        for s in (live, expired, revoked):
            uow.accounts.add_session(s)
        for r in (fresh, stale, used):
            uow.accounts.add_reset_token(r)
        for c in (counting, locked, old, lifted):
            uow.accounts.put_sign_in_limit(c)
        uow.accounts.remove_stale(now, now - 15 * timedelta(minutes=1))
        uow.commit()
    with uow:
        assert uow.accounts.sessions("ana") == [live]
        assert uow.accounts.sessions("ben") == []
        assert [uow.accounts.reset_token(r) for r in ("r1", "r2", "r3")] == [fresh, None, used]
        assert [uow.accounts.sign_in_limit(c.key) for c in (counting, locked, old, lifted)] == [
            counting, locked, None, None]


# --- the SQL store only ---------------------------------------------------------------------


def test_the_database_refuses_a_session_or_reset_link_of_nobody(database_url: str) -> None:
    with open_store(database_url) as store:
        with store.unit_of_work() as uow, pytest.raises(IntegrityError):
            uow.accounts.add_session(session("x", "nobody", 0))
        with store.unit_of_work() as uow, pytest.raises(IntegrityError):
            uow.accounts.add_reset_token(
                ResetToken("r1", "nobody", "h", MONDAY, MONDAY + timedelta(hours=1)))


def test_a_session_time_without_a_zone_is_refused(database_url: str) -> None:
    naive = datetime(2026, 11, 2, 9, 30)
    with open_store(database_url) as store, store.unit_of_work() as uow:
        uow.accounts.add_user(ANA)
        with pytest.raises(ValueError, match="must be timezone-aware"):
            uow.accounts.add_session(replace(session("x", "ana", 0), expires_at=naive))
