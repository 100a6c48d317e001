"""The store contract for accounts: users, API tokens, invitations and requests to join.

Each test runs on the in-memory reference store and on the SQL store with SQLite and with
PostgreSQL (see ``conftest.py``); the tests at the end hold only for the SQL store, whose
database itself keeps emails unique and refuses a time without a zone.

The people: ana (the site admin, coordinator of the seaside flats) and ben (a member there)
have accounts; dora and eli sign up later and ask to join. Ana is also a member of the
allotment and has left the Harbour choir, so her memberships span three pools.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from peerconomy.domain.account import ApiToken, Invitation, JoinRequest, User
from peerconomy.domain.pool import Member, Pool, PoolSettings, Role
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore, create_engine_for, open_store, upgrade_database

Store = MemoryStore | SqlStore

SEASIDE = "seaside-flats"
ALLOTMENT = "allotment"
CHOIR = "Harbour choir"  # an upper-case name sorts before lower-case ones
MONDAY = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

ANA = User("ana", "ana@seaside.example", "argon2-of-ana", MONDAY, "Ana Lima", site_admin=True)
BEN = User("ben", "ben@seaside.example", "argon2-of-ben", MONDAY + timedelta(hours=2),
           locale="de")
DORA = User("dora", "dora@example.org", "argon2-of-dora", MONDAY + timedelta(days=1))
ELI = User("eli", "eli@example.org", "argon2-of-eli", MONDAY + timedelta(days=1, hours=1))


def seaside(uow: UnitOfWork) -> None:
    """Inside a transaction: ana and ben, the seaside flats (approval needed), the open
    allotment and the choir ana has left."""
    uow.accounts.add_user(ANA)
    uow.accounts.add_user(BEN)
    uow.pools.add(Pool(SEASIDE))
    uow.pools.add(Pool(ALLOTMENT, PoolSettings(admission="open", public=True)))
    uow.pools.add(Pool(CHOIR))
    uow.pools.add_members(SEASIDE, [Member("ana", 20.0, role="coordinator", account="ana"),
                                    Member("ben", account="ben")])
    # ana is "ana-2" in the allotment; its "ben" is somebody else, whom nobody has claimed
    uow.pools.add_members(ALLOTMENT, [Member("ana-2", 5.0, account="ana"), Member("ben")])
    uow.pools.add_members(CHOIR, [Member("ana", active=False, account="ana"), Member("zoe")])


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    """A unit of work on a store holding ana, ben and their pools."""
    with store.unit_of_work() as setup:
        seaside(setup)
        setup.commit()
    return store.unit_of_work()


def token(id: str, user: str, label: str, minutes: int) -> ApiToken:
    made = MONDAY + timedelta(minutes=minutes)
    return ApiToken(id, user, label, f"sha256-of-{id}", made, made + timedelta(days=90),
                    scope="read" if minutes % 2 else "write")


def invitation(id: str, pool: str, role: Role = "member", days: int = 0) -> Invitation:
    made = MONDAY + timedelta(days=days)
    return Invitation(id, pool, role, "ana", made, made + timedelta(days=7), f"sha256-of-{id}")


# --- users ----------------------------------------------------------------------------------


def test_users_come_back_as_stored(uow: UnitOfWork) -> None:
    with uow:
        assert uow.accounts.user("ana") == ANA
        assert uow.accounts.user("ben") == BEN
        assert uow.accounts.user("cleo") is None
        ben = uow.accounts.user("ben")
    assert ben is not None
    assert ben.created_at.utcoffset() == timedelta(0)
    assert (ben.display_name, ben.site_admin, ben.locale) == ("", False, "de")


def test_a_sign_up_time_comes_back_as_the_same_moment(uow: UnitOfWork) -> None:
    in_lisbon_summer = datetime(2026, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    with uow:
        uow.accounts.add_user(replace(DORA, created_at=in_lisbon_summer))
        uow.commit()
    with uow:
        dora = uow.accounts.user("dora")
    assert dora is not None
    assert dora.created_at == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert dora.created_at.utcoffset() is not None


def test_a_user_is_found_by_email(uow: UnitOfWork) -> None:
    with uow:
        assert uow.accounts.user_by_email("ben@seaside.example") == BEN
        assert uow.accounts.user_by_email("ana@seaside.example") == ANA
        assert uow.accounts.user_by_email("cleo@seaside.example") is None


def test_put_user_replaces_the_record(uow: UnitOfWork) -> None:
    changed = replace(BEN, email="ben@harbour.example", password_hash="argon2-new",
                      display_name="Ben", site_admin=True, locale=None)
    with uow:
        uow.accounts.put_user(changed)
        uow.commit()
    with uow:
        assert uow.accounts.user("ben") == changed
        assert uow.accounts.user_by_email("ben@harbour.example") == changed
        assert uow.accounts.user_by_email("ben@seaside.example") is None
        assert uow.accounts.user_count() == 2


def test_put_user_of_nobody_is_refused(uow: UnitOfWork) -> None:
    with uow, pytest.raises(ValueError, match="no user 'dora' to replace"):
        uow.accounts.put_user(DORA)
    with uow:
        assert uow.accounts.user("dora") is None


def test_user_count_counts_every_user(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.accounts.user_count() == 0
        seaside(uow)
        uow.accounts.add_user(DORA)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.accounts.user_count() == 3


def test_memberships_span_pools_sorted_by_name(uow: UnitOfWork) -> None:
    with uow:
        ana = uow.accounts.memberships("ana")
        assert ana == {
            CHOIR: Member("ana", active=False, account="ana"),
            ALLOTMENT: Member("ana-2", 5.0, account="ana"),
            SEASIDE: Member("ana", 20.0, role="coordinator", account="ana"),
        }
        assert list(ana) == [CHOIR, ALLOTMENT, SEASIDE]
        # the allotment's unclaimed "ben" is not ben's membership
        assert uow.accounts.memberships("ben") == {SEASIDE: Member("ben", account="ben")}
        assert uow.accounts.memberships("dora") == {}


def test_memberships_follow_a_changed_member(uow: UnitOfWork) -> None:
    with uow:
        uow.pools.put_member(SEASIDE, Member("ben", 8.0, role="coordinator", active=False,
                                             account="ben"))
        uow.pools.put_member(ALLOTMENT, Member("ben", account="ben", display_name="Ben B."))
        uow.commit()
    with uow:
        assert uow.accounts.memberships("ben") == {
            ALLOTMENT: Member("ben", account="ben", display_name="Ben B."),
            SEASIDE: Member("ben", 8.0, role="coordinator", active=False, account="ben"),
        }


def test_a_users_standing_in_a_pool_is_read_in_one_go(uow: UnitOfWork) -> None:
    with uow:
        assert uow.pools.standing(SEASIDE, "ana") == (
            Pool(SEASIDE), ANA, Member("ana", 20.0, role="coordinator", account="ana"))
        assert uow.pools.standing(ALLOTMENT, "ana") == (
            Pool(ALLOTMENT, PoolSettings(admission="open", public=True)), ANA,
            Member("ana-2", 5.0, account="ana"))
        # the allotment's "ben" is unclaimed: ben's account is no member there
        assert uow.pools.standing(ALLOTMENT, "ben") == (
            Pool(ALLOTMENT, PoolSettings(admission="open", public=True)), BEN, None)
        assert uow.pools.standing(CHOIR, "ana") == (
            Pool(CHOIR), ANA, Member("ana", active=False, account="ana"))
        # zoe is a member of the choir nobody has claimed; dora has no account yet
        assert uow.pools.standing(CHOIR, "zoe") == (Pool(CHOIR), None, None)
        assert uow.pools.standing(SEASIDE, "dora") == (Pool(SEASIDE), None, None)
        assert uow.pools.standing("nowhere", "ana") is None
        # and what the standing said is what the single reads say
        assert uow.pools.get(SEASIDE) == Pool(SEASIDE)
        assert uow.accounts.user("ana") == ANA
        assert uow.pools.member(SEASIDE, "ana") == Member(
            "ana", 20.0, role="coordinator", account="ana")
        assert uow.pools.member(ALLOTMENT, "ana-2") == Member("ana-2", 5.0, account="ana")


# --- API tokens -----------------------------------------------------------------------------


def test_tokens_come_back_oldest_first(uow: UnitOfWork) -> None:
    laptop, cron, phone = (
        token("t1", "ana", "laptop", 1),
        token("t2", "ben", "cron", 2),
        token("t3", "ana", "phone", 3),
    )
    with uow:
        for t in (laptop, cron, phone):
            uow.accounts.add_token(t)
        uow.commit()
    with uow:
        assert uow.accounts.tokens("ana") == [laptop, phone]
        assert uow.accounts.tokens("ben") == [cron]
        assert uow.accounts.tokens("dora") == []
        assert uow.accounts.token("t2") == cron
        assert uow.accounts.token("t9") is None


def test_a_revoked_token_keeps_its_place(uow: UnitOfWork) -> None:
    laptop, phone = token("t1", "ana", "laptop", 1), token("t3", "ana", "phone", 3)
    revoked = replace(laptop, revoked_at=MONDAY + timedelta(days=3))
    with uow:
        uow.accounts.add_token(laptop)
        uow.accounts.add_token(phone)
        uow.commit()
    with uow:
        uow.accounts.put_token(revoked)
        uow.commit()
    with uow:
        assert uow.accounts.tokens("ana") == [revoked, phone]
        assert uow.accounts.token("t1") == revoked
        stored = uow.accounts.token("t1")
    assert stored is not None and stored.revoked_at is not None
    assert stored.revoked_at.utcoffset() == timedelta(0)


def test_put_token_of_no_token_is_refused(uow: UnitOfWork) -> None:
    with uow, pytest.raises(ValueError, match="no API token 't1' to replace"):
        uow.accounts.put_token(token("t1", "ana", "laptop", 1))


# --- invitations ----------------------------------------------------------------------------


def test_invitations_come_back_oldest_first_per_pool(uow: UnitOfWork) -> None:
    first, garden, second = (
        invitation("i1", SEASIDE),
        invitation("i2", ALLOTMENT),
        invitation("i3", SEASIDE, "coordinator", days=1),
    )
    with uow:
        for i in (first, garden, second):
            uow.accounts.add_invitation(i)
        uow.commit()
    with uow:
        assert uow.accounts.invitations(SEASIDE) == [first, second]
        assert uow.accounts.invitations(ALLOTMENT) == [garden]
        assert uow.accounts.invitations(CHOIR) == []
        assert uow.accounts.invitation("i3") == second
        assert uow.accounts.invitation("i9") is None


def test_a_used_invitation_records_who_used_it_and_when(uow: UnitOfWork) -> None:
    first, second = invitation("i1", SEASIDE), invitation("i2", SEASIDE, days=1)
    with uow:
        uow.accounts.add_user(DORA)
        uow.accounts.add_invitation(first)
        uow.accounts.add_invitation(second)
        uow.commit()
    used = replace(first, used_by="dora", used_at=MONDAY + timedelta(days=2))
    with uow:
        uow.accounts.put_invitation(used)
        uow.commit()
    with uow:
        assert uow.accounts.invitation("i1") == used
        assert uow.accounts.invitations(SEASIDE) == [used, second]
        stored = uow.accounts.invitation("i1")
    assert stored is not None and stored.expires_at == MONDAY + timedelta(days=7)
    assert stored.used_at is not None and stored.used_at.utcoffset() == timedelta(0)


def test_put_invitation_of_no_invitation_is_refused(uow: UnitOfWork) -> None:
    with uow, pytest.raises(ValueError, match="no invitation 'i1' to replace"):
        uow.accounts.put_invitation(invitation("i1", SEASIDE))


# --- requests to join -----------------------------------------------------------------------


def test_requests_to_join_keep_their_place_when_decided(uow: UnitOfWork) -> None:
    dora = JoinRequest(SEASIDE, "dora", MONDAY + timedelta(days=1))
    eli = JoinRequest(SEASIDE, "eli", MONDAY + timedelta(days=2))
    ben = JoinRequest(ALLOTMENT, "ben", MONDAY + timedelta(days=3))
    with uow:
        uow.accounts.add_user(DORA)
        uow.accounts.add_user(ELI)
        for request in (dora, eli, ben):
            uow.accounts.put_join_request(request)
        uow.commit()
    approved = replace(dora, status="approved", decided_by="ana",
                       decided_at=MONDAY + timedelta(days=4))
    with uow:
        uow.accounts.put_join_request(approved)
        uow.commit()
    with uow:
        assert uow.accounts.join_requests(SEASIDE) == [approved, eli]
        assert uow.accounts.join_requests(ALLOTMENT) == [ben]
        assert uow.accounts.join_requests(CHOIR) == []
        assert uow.accounts.join_request(SEASIDE, "dora") == approved
        assert uow.accounts.join_request(SEASIDE, "eli") == eli
        assert uow.accounts.join_request(ALLOTMENT, "dora") is None


def test_a_declined_request_made_again_keeps_its_place(uow: UnitOfWork) -> None:
    dora = JoinRequest(SEASIDE, "dora", MONDAY, "declined", "ana", MONDAY + timedelta(hours=1))
    eli = JoinRequest(SEASIDE, "eli", MONDAY + timedelta(hours=2))
    again = JoinRequest(SEASIDE, "dora", MONDAY + timedelta(days=5))
    with uow:
        uow.accounts.add_user(DORA)
        uow.accounts.add_user(ELI)
        uow.accounts.put_join_request(dora)
        uow.accounts.put_join_request(eli)
        uow.accounts.put_join_request(again)
        uow.commit()
    with uow:
        assert uow.accounts.join_requests(SEASIDE) == [again, eli]


# --- transactions ---------------------------------------------------------------------------


def test_accounts_not_committed_are_rolled_back(uow: UnitOfWork) -> None:
    with uow:
        uow.accounts.add_user(DORA)
        uow.accounts.put_user(replace(ANA, site_admin=False))
        uow.accounts.add_token(token("t1", "ana", "laptop", 1))
        uow.accounts.add_invitation(invitation("i1", SEASIDE))
        uow.accounts.put_join_request(JoinRequest(SEASIDE, "dora", MONDAY))
    with uow:
        assert uow.accounts.user("dora") is None
        assert uow.accounts.user("ana") == ANA
        assert uow.accounts.user_count() == 2
        assert uow.accounts.tokens("ana") == []
        assert uow.accounts.invitations(SEASIDE) == []
        assert uow.accounts.join_requests(SEASIDE) == []


def test_an_error_inside_the_block_stores_no_account(store: Store) -> None:
    with pytest.raises(RuntimeError, match="power cut"), store.unit_of_work() as uow:
        seaside(uow)
        raise RuntimeError("power cut")
    with store.unit_of_work() as uow:
        assert uow.accounts.user_count() == 0
        assert uow.accounts.memberships("ana") == {}


# --- what the database itself holds (SQL only) ----------------------------------------------


def test_the_database_keeps_emails_unique(database_url: str) -> None:
    with open_store(database_url) as store:
        with store.unit_of_work() as uow:
            uow.accounts.add_user(ANA)
            uow.commit()
        with store.unit_of_work() as uow, pytest.raises(IntegrityError):
            uow.accounts.add_user(replace(DORA, email=ANA.email))
        with store.unit_of_work() as uow:
            uow.accounts.add_user(DORA)
            uow.commit()
        with store.unit_of_work() as uow, pytest.raises(IntegrityError):
            uow.accounts.put_user(replace(DORA, email=ANA.email))
        with store.unit_of_work() as uow:
            assert uow.accounts.user_by_email(ANA.email) == ANA
            assert uow.accounts.user("dora") == DORA


def test_the_database_refuses_a_token_of_nobody(database_url: str) -> None:
    with (
        open_store(database_url) as store,
        store.unit_of_work() as uow,
        pytest.raises(IntegrityError),
    ):
        uow.accounts.add_token(token("t1", "nobody", "laptop", 1))


def test_a_time_without_a_zone_is_refused(database_url: str) -> None:
    naive = datetime(2026, 11, 2, 9, 30)
    with open_store(database_url) as store, store.unit_of_work() as uow:
        with pytest.raises(ValueError, match="must be timezone-aware"):
            uow.accounts.add_user(replace(ANA, created_at=naive))
        uow.accounts.add_user(ANA)
        with pytest.raises(ValueError, match="must be timezone-aware"):
            uow.accounts.add_token(replace(token("t1", "ana", "laptop", 1), revoked_at=naive))


def test_a_pool_from_before_accounts_is_upgraded_to_the_old_behaviour(database_url: str) -> None:
    """A pool stored at revision 0001 needs a coordinator's approval and is not public."""
    upgrade_database(database_url, "0001")
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO pools (name, max_weight, seed, communal_validation)"
                f" VALUES ('{SEASIDE}', 3.0, 11, TRUE)"
            )
    finally:
        engine.dispose()
    upgrade_database(database_url)
    with open_store(database_url) as store, store.unit_of_work() as uow:
        pool = uow.pools.get(SEASIDE)
    assert pool == Pool(SEASIDE, PoolSettings(3.0, 11, True, admission="approval", public=False))
