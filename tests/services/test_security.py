"""Sign-in safety on the in-memory store: lockouts after failed sign-ins, server-side
sessions, and password resets by one-time links.

Ben and cleo have accounts at the seaside flats; a clock starts on a Monday morning and each
test moves it on by hand. Argon2 runs at its least cost here (the hashing itself is tested in
``test_accounts.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerconomy.domain.refusal import InputError
from peerconomy.domain.security import LimitRule
from peerconomy.services import accounts, notices, password_reset, sessions
from peerconomy.services.errors import ConflictError, NotFoundError, SignInError
from peerconomy.services.notices import Notice
from peerconomy.services.security import (
    SecurityPolicy,
    TooManyFailuresError,
    TooManyResetRequestsError,
)
from peerconomy.store.memory import MemoryStore

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
POLICY = SecurityPolicy()
BEN = "ben by the sea"


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_HASHER", quick)
    monkeypatch.setattr(accounts, "_NOBODY", quick.hash("a password nobody has"))
    yield


@pytest.fixture
def seaside() -> MemoryStore:
    store = MemoryStore()
    for name in ("ben", "cleo"):
        accounts.sign_up(store.unit_of_work(), name, f"{name}@seaside.example",
                         f"{name} by the sea", now=MONDAY, mode="open")
    return store


def sign_in(store: MemoryStore, login: str, password: str, at: datetime,
            client: str = "203.0.113.9") -> str:
    return accounts.authenticate(store.unit_of_work(), login, password, client=client,
                                 policy=POLICY, now=at).name


def fail(store: MemoryStore, login: str, at: datetime, client: str = "203.0.113.9") -> None:
    with pytest.raises(SignInError) as refused:
        sign_in(store, login, "a wrong guess", at, client)
    assert not isinstance(refused.value, TooManyFailuresError)


# --- lockout --------------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_against_the_right_password(
    seaside: MemoryStore,
) -> None:
    for minute in range(5):
        fail(seaside, "ben", MONDAY + minute * MINUTE)
    with pytest.raises(TooManyFailuresError) as right:
        sign_in(seaside, "ben", BEN, MONDAY + 5 * MINUTE)
    with pytest.raises(TooManyFailuresError) as wrong:
        sign_in(seaside, "ben", "a wrong guess", MONDAY + 5 * MINUTE)
    assert str(right.value) == str(wrong.value)
    assert str(right.value) == "too many failed sign-ins; try again in 14 minutes"
    assert right.value.reason == "account"
    assert right.value.seconds == 14 * 60
    # the lock holds 15 minutes from the fifth failure, and attempts meanwhile do not extend it
    with pytest.raises(TooManyFailuresError):
        sign_in(seaside, "ben", BEN, MONDAY + 18 * MINUTE)
    assert sign_in(seaside, "ben", BEN, MONDAY + 19 * MINUTE) == "ben"


def test_failures_from_another_address_never_lock_the_owner_out(seaside: MemoryStore) -> None:
    """Anyone may type ben's name with wrong passwords, as often as they like: that locks
    their own address out of ben's account, never ben at home."""
    for round_ in range(4):  # repeated every twenty minutes, as a weapon would be
        for minute in range(5):
            fail(seaside, "ben", MONDAY + (20 * round_ + minute) * MINUTE, "198.51.100.66")
        at = MONDAY + (20 * round_ + 5) * MINUTE
        with pytest.raises(TooManyFailuresError) as refused:
            sign_in(seaside, "ben", BEN, at, "198.51.100.66")
        assert refused.value.reason == "account"
        assert sign_in(seaside, "ben", BEN, at, "203.0.113.9") == "ben"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 90)), max_size=80))
def test_no_failures_from_other_addresses_ever_lock_the_owner_out(
    attempts: list[tuple[int, int]],
) -> None:
    """Whatever wrong passwords come from whichever other addresses, whenever: the owner, at
    an address that has not failed, signs in."""
    store = MemoryStore()
    accounts.sign_up(store.unit_of_work(), "ben", "ben@seaside.example", BEN, now=MONDAY,
                     mode="open")
    at = MONDAY
    for address, seconds in attempts:
        at += timedelta(seconds=seconds)
        with pytest.raises(SignInError):
            sign_in(store, "ben", "a wrong guess", at, f"198.51.100.{address}")
    assert sign_in(store, "ben", BEN, at, "203.0.113.9") == "ben"


def test_an_account_guessed_at_from_many_addresses_refuses_only_those_that_failed(
    seaside: MemoryStore,
) -> None:
    """Fifty failures on one account from anywhere lock it against every address that has
    failed on it lately (each fresh address of a botnet gets one guess), never against one
    that has not."""
    for n in range(50):
        fail(seaside, "ben", MONDAY + n * timedelta(seconds=5), f"198.51.100.{n}")
    at = MONDAY + 5 * MINUTE
    with pytest.raises(TooManyFailuresError) as refused:
        sign_in(seaside, "ben", BEN, at, "198.51.100.7")
    assert refused.value.reason == "account"
    fail(seaside, "ben", at, "192.0.2.1")  # a new address: one guess, then it has failed
    with pytest.raises(TooManyFailuresError):
        sign_in(seaside, "ben", BEN, at, "192.0.2.1")
    assert sign_in(seaside, "ben", BEN, at, "203.0.113.9") == "ben"  # the owner, at home
    assert sign_in(seaside, "ben", BEN, at + 15 * MINUTE, "198.51.100.7") == "ben"


def test_the_account_is_locked_by_name_and_by_email_alike(seaside: MemoryStore) -> None:
    for minute in range(5):
        fail(seaside, "ben" if minute % 2 else "BEN@seaside.example", MONDAY + minute * MINUTE)
    with pytest.raises(TooManyFailuresError):
        sign_in(seaside, "ben@seaside.example", BEN, MONDAY + 6 * MINUTE)
    assert sign_in(seaside, "cleo", "cleo by the sea", MONDAY + 6 * MINUTE) == "cleo"


def test_failures_further_apart_than_the_window_never_lock(seaside: MemoryStore) -> None:
    for block in range(3):  # four failures every 16 minutes
        for minute in range(4):
            fail(seaside, "ben", MONDAY + (16 * block + minute) * MINUTE)
    assert sign_in(seaside, "ben", BEN, MONDAY + 50 * MINUTE) == "ben"


def test_a_successful_sign_in_starts_the_count_afresh(seaside: MemoryStore) -> None:
    for minute in range(4):
        fail(seaside, "ben", MONDAY + minute * MINUTE)
    assert sign_in(seaside, "ben", BEN, MONDAY + 4 * MINUTE) == "ben"
    for minute in range(5, 9):
        fail(seaside, "ben", MONDAY + minute * MINUTE)
    assert sign_in(seaside, "ben", BEN, MONDAY + 9 * MINUTE) == "ben"


def test_a_login_nobody_has_locks_exactly_as_an_account_does(seaside: MemoryStore) -> None:
    for login in ("ben", "zoe"):
        for minute in range(5):
            fail(seaside, login, MONDAY + minute * MINUTE, client=f"client-of-{login}")
    refusals = []
    for login in ("ben", "zoe"):
        with pytest.raises(TooManyFailuresError) as refused:
            sign_in(seaside, login, BEN, MONDAY + 5 * MINUTE, client=f"client-of-{login}")
        refusals.append((str(refused.value), refused.value.reason))
    assert refusals[0] == refusals[1]


def test_one_client_failing_on_many_accounts_is_slowed(seaside: MemoryStore) -> None:
    """Password spraying: a few guesses on each of many accounts, from one address."""
    for n in range(20):
        fail(seaside, f"person{n}", MONDAY + n * 10 * timedelta(seconds=1))
    with pytest.raises(TooManyFailuresError) as refused:
        sign_in(seaside, "cleo", "cleo by the sea", MONDAY + 4 * MINUTE)
    assert refused.value.reason == "client"
    # from elsewhere cleo signs in; from the sprayer's address only after the lockout
    assert sign_in(seaside, "cleo", "cleo by the sea", MONDAY + 4 * MINUTE, "198.51.100.7")
    assert sign_in(seaside, "cleo", "cleo by the sea", MONDAY + 20 * MINUTE) == "cleo"


def test_the_policy_sets_the_limits(seaside: MemoryStore) -> None:
    strict = SecurityPolicy(account_limit=LimitRule(2, 5 * MINUTE, 60 * MINUTE))
    for minute in range(2):
        with pytest.raises(SignInError):
            accounts.authenticate(seaside.unit_of_work(), "ben", "no", policy=strict,
                                  now=MONDAY + minute * MINUTE)
    with pytest.raises(TooManyFailuresError) as refused:
        accounts.authenticate(seaside.unit_of_work(), "ben", BEN, policy=strict,
                              now=MONDAY + 2 * MINUTE)
    assert refused.value.minutes == 59


# --- sessions -------------------------------------------------------------------------------


def start(store: MemoryStore, at: datetime, replacing: str | None = None) -> str:
    return sessions.start_session(store.unit_of_work(), "ben", replacing=replacing,
                                  policy=POLICY, now=at)


def user_of(store: MemoryStore, session_id: str, at: datetime) -> str | None:
    return sessions.session_user(store.unit_of_work(), session_id, policy=POLICY, now=at)


def test_a_session_is_kept_by_the_hash_of_its_id(seaside: MemoryStore) -> None:
    session_id = start(seaside, MONDAY)
    assert user_of(seaside, session_id, MONDAY + MINUTE) == "ben"
    assert user_of(seaside, "an id nobody was given", MONDAY) is None
    with seaside.unit_of_work() as uow:
        (kept,) = uow.accounts.sessions("ben")
    assert kept.id == sessions.session_key(session_id) != session_id
    assert kept.expires_at == MONDAY + POLICY.session_max_age


def test_signing_in_again_ends_the_session_before_it(seaside: MemoryStore) -> None:
    planted = start(seaside, MONDAY)
    fresh = start(seaside, MONDAY + MINUTE, replacing=planted)
    assert fresh != planted
    assert user_of(seaside, planted, MONDAY + 2 * MINUTE) is None
    assert user_of(seaside, fresh, MONDAY + 2 * MINUTE) == "ben"


def test_a_session_unused_too_long_ends(seaside: MemoryStore) -> None:
    session_id = start(seaside, MONDAY)
    at = MONDAY
    for _ in range(3):  # used every day: it lives on
        at += timedelta(days=1)
        assert user_of(seaside, session_id, at) == "ben"
    assert user_of(seaside, session_id, at + POLICY.session_idle) is None


def test_a_session_ends_at_its_age_however_busy(seaside: MemoryStore) -> None:
    session_id = start(seaside, MONDAY)
    at = MONDAY
    while at + timedelta(hours=12) < MONDAY + POLICY.session_max_age:
        at += timedelta(hours=12)
        assert user_of(seaside, session_id, at) == "ben"
    assert user_of(seaside, session_id, MONDAY + POLICY.session_max_age) is None


def test_a_session_is_marked_seen_at_most_once_a_minute(seaside: MemoryStore) -> None:
    session_id = start(seaside, MONDAY)
    user_of(seaside, session_id, MONDAY + timedelta(seconds=30))
    with seaside.unit_of_work() as uow:
        assert uow.accounts.sessions("ben")[0].last_seen_at == MONDAY
    user_of(seaside, session_id, MONDAY + timedelta(seconds=90))
    with seaside.unit_of_work() as uow:
        assert uow.accounts.sessions("ben")[0].last_seen_at == MONDAY + timedelta(seconds=90)


def test_a_sign_in_forgets_sessions_and_counts_that_are_over(seaside: MemoryStore) -> None:
    old = start(seaside, MONDAY)
    fail(seaside, "zoe", MONDAY)
    later = MONDAY + POLICY.session_max_age
    kept = start(seaside, later - MINUTE)
    assert sign_in(seaside, "cleo", "cleo by the sea", later) == "cleo"
    with seaside.unit_of_work() as uow:
        assert [s.id for s in uow.accounts.sessions("ben")] == [sessions.session_key(kept)]
        assert uow.accounts.sign_in_limit("login:zoe") is None
    assert user_of(seaside, old, later) is None


def test_signing_out_ends_the_session(seaside: MemoryStore) -> None:
    session_id = start(seaside, MONDAY)
    sessions.end_session(seaside.unit_of_work(), session_id, now=MONDAY + MINUTE)
    sessions.end_session(seaside.unit_of_work(), session_id, now=MONDAY + MINUTE)  # no-op
    assert user_of(seaside, session_id, MONDAY + MINUTE) is None


def test_a_new_password_ends_every_other_session(seaside: MemoryStore) -> None:
    laptop, phone, tablet = (start(seaside, MONDAY + n * MINUTE) for n in range(3))
    accounts.change_password(seaside.unit_of_work(), "ben", BEN, "ben by the lake",
                             keeping=laptop, now=MONDAY + 5 * MINUTE)
    at = MONDAY + 6 * MINUTE
    assert [user_of(seaside, s, at) for s in (laptop, phone, tablet)] == ["ben", None, None]


def test_a_wrong_old_password_changes_nothing(seaside: MemoryStore) -> None:
    phone = start(seaside, MONDAY)
    with pytest.raises(SignInError):
        accounts.change_password(seaside.unit_of_work(), "ben", "not it", "ben by the lake")
    assert user_of(seaside, phone, MONDAY + MINUTE) == "ben"
    assert sign_in(seaside, "ben", BEN, MONDAY + MINUTE) == "ben"


def test_wrong_old_passwords_count_as_failed_sign_ins(seaside: MemoryStore) -> None:
    phone = start(seaside, MONDAY)
    for minute in range(5):
        with pytest.raises(SignInError):
            accounts.change_password(seaside.unit_of_work(), "ben", "a guess", "ben by the lake",
                                     now=MONDAY + minute * MINUTE)
    with pytest.raises(TooManyFailuresError):
        accounts.change_password(seaside.unit_of_work(), "ben", BEN, "ben by the lake",
                                 now=MONDAY + 5 * MINUTE)
    assert user_of(seaside, phone, MONDAY + 5 * MINUTE) == "ben"
    assert sign_in(seaside, "ben", BEN, MONDAY + 20 * MINUTE) == "ben"


# --- password reset -------------------------------------------------------------------------


def ask(store: MemoryStore, email: str, at: datetime = MONDAY) -> password_reset.ResetLink:
    link = password_reset.request_reset(store.unit_of_work(), email, policy=POLICY, now=at)
    assert link is not None
    return link


def test_a_reset_link_is_made_only_for_an_account_and_kept_hashed(
    seaside: MemoryStore,
) -> None:
    for nobody in ("zoe@seaside.example", "not an address", ""):
        assert password_reset.request_reset(seaside.unit_of_work(), nobody) is None
    link = ask(seaside, " Ben@Seaside.example ")
    assert link.user.name == "ben"
    assert link.expires_at == MONDAY + timedelta(hours=1)
    token_id, secret = link.code.split(".")
    with seaside.unit_of_work() as uow:
        stored = uow.accounts.reset_token(token_id)
    assert stored is not None and secret not in stored.secret_hash
    assert stored.secret_hash == accounts.hash_secret(secret)


def test_an_address_gets_three_links_an_hour_whether_or_not_it_has_an_account(
    seaside: MemoryStore,
) -> None:
    for email in ("ben@seaside.example", "zoe@seaside.example"):
        for minute in range(3):
            password_reset.request_reset(seaside.unit_of_work(), email, policy=POLICY,
                                         now=MONDAY + minute * MINUTE)
        with pytest.raises(TooManyResetRequestsError) as refused:
            password_reset.request_reset(seaside.unit_of_work(), email, policy=POLICY,
                                         now=MONDAY + 3 * MINUTE)
        assert str(refused.value) == "too many password-reset requests; try again in 59 minutes"
    assert ask(seaside, "ben@seaside.example", MONDAY + 62 * MINUTE).user.name == "ben"


def test_strangers_asking_for_links_never_use_up_the_owners_own(seaside: MemoryStore) -> None:
    for n in range(3):
        for minute in range(3):
            password_reset.request_reset(seaside.unit_of_work(), "ben@seaside.example",
                                         client=f"198.51.100.{n}", now=MONDAY + minute * MINUTE)
        with pytest.raises(TooManyResetRequestsError):
            password_reset.request_reset(seaside.unit_of_work(), "ben@seaside.example",
                                         client=f"198.51.100.{n}", now=MONDAY + 3 * MINUTE)
    link = password_reset.request_reset(seaside.unit_of_work(), "ben@seaside.example",
                                        client="203.0.113.9", now=MONDAY + 4 * MINUTE)
    assert link is not None and link.user.name == "ben"


def test_one_client_gets_ten_links_in_a_quarter_hour(seaside: MemoryStore) -> None:
    for n in range(10):
        password_reset.request_reset(seaside.unit_of_work(), f"person{n}@seaside.example",
                                     client="203.0.113.9", now=MONDAY)
    with pytest.raises(TooManyResetRequestsError) as refused:
        password_reset.request_reset(seaside.unit_of_work(), "ben@seaside.example",
                                     client="203.0.113.9", now=MONDAY)
    assert refused.value.reason == "client"
    assert password_reset.request_reset(seaside.unit_of_work(), "ben@seaside.example",
                                        client="198.51.100.7", now=MONDAY) is not None


def test_a_reset_link_sets_a_new_password_once(seaside: MemoryStore) -> None:
    link = ask(seaside, "ben@seaside.example")
    laptop = start(seaside, MONDAY)
    at = MONDAY + 10 * MINUTE
    password_reset.reset_password(seaside.unit_of_work(), link.code, "ben by the lake", now=at)
    assert sign_in(seaside, "ben", "ben by the lake", at) == "ben"
    with pytest.raises(SignInError):
        sign_in(seaside, "ben", BEN, at)
    assert user_of(seaside, laptop, at) is None  # every session ended
    with pytest.raises(ConflictError, match="used already"):
        password_reset.reset_password(seaside.unit_of_work(), link.code, "ben by the pier",
                                      now=at)
    assert sign_in(seaside, "ben", "ben by the lake", at) == "ben"


def test_an_expired_forged_or_unknown_link_is_refused(seaside: MemoryStore) -> None:
    link = ask(seaside, "ben@seaside.example")
    token_id = link.code.split(".")[0]
    late = MONDAY + timedelta(hours=1)
    for code, error, says in (
        (link.code, ConflictError, "expired"),
        (f"{token_id}.forged", NotFoundError, "password-reset link"),
        ("nothing.at-all", NotFoundError, "password-reset link"),
        ("", NotFoundError, "password-reset link"),
    ):
        with pytest.raises(error, match=says):
            password_reset.reset_password(seaside.unit_of_work(), code, "ben by the lake",
                                          now=late)
    assert sign_in(seaside, "ben", BEN, late) == "ben"


def test_a_too_short_password_leaves_the_link_usable(seaside: MemoryStore) -> None:
    link = ask(seaside, "ben@seaside.example")
    with pytest.raises(InputError, match="password"):
        password_reset.reset_password(seaside.unit_of_work(), link.code, "short", now=MONDAY)
    password_reset.check_reset_link(seaside.unit_of_work(), link.code, now=MONDAY)
    password_reset.reset_password(seaside.unit_of_work(), link.code, "long enough", now=MONDAY)


def test_a_reset_lifts_the_lockout_of_the_account(seaside: MemoryStore) -> None:
    for minute in range(5):
        fail(seaside, "ben", MONDAY + minute * MINUTE)
    link = ask(seaside, "ben@seaside.example", MONDAY + 5 * MINUTE)
    password_reset.reset_password(seaside.unit_of_work(), link.code, "ben by the lake",
                                  client="203.0.113.9", now=MONDAY + 6 * MINUTE)
    assert sign_in(seaside, "ben", "ben by the lake", MONDAY + 6 * MINUTE) == "ben"


def test_the_reset_email_carries_the_link_in_the_readers_language(
    seaside: MemoryStore,
) -> None:
    link = ask(seaside, "ben@seaside.example")
    with seaside.unit_of_work() as uow:
        queued = Notice.from_json(uow.mail.outbox()[-1].notice)  # queued with the link
    notice = notices.password_reset(link.user, link.code, link.expires_at)
    assert queued == notice
    subject, body = notice.written(links=lambda link: "https://pool.example" + link.path)
    assert notice.to == "ben@seaside.example"
    assert subject == "Reset your password"
    assert "https://pool.example/reset/" + link.code + "\n" in body
    assert "until 2026-11-30 10:00 (UTC)" in body
