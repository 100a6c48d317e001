"""The reminders' jobs run every few seconds in the server, for the two days before offers
close and while work waits. Once the reminders that are due went out, a tick reads the pool's
members once and the accounts only of members who might still be reminded (one whose email
is not verified yet may verify it: he is reminded at the next tick); none at all where
nobody is left to mail. What is sent stays the same. The workshop of ``test_reminders.py``:
eva and fritz are reminded that offers close; hana turned that reminder off and ivo's email
is not verified; jo and kim joined without an account."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from test_reminders import DEADLINE, LOGGED, counts, logged, reminders, weekly  # noqa: F401

from peerconomy.domain.pool import Member
from peerconomy.domain.scenario import Offer
from peerconomy.services import collecting
from peerconomy.store.memory import MemoryStore
from peerconomy.store.memory.accounts import MemoryAccountRepository
from peerconomy.store.memory.pools import MemoryPoolRepository

CLOSING = "reminders that offers close"
WAITING = "reminders of work to confirm"
SOON = DEADLINE - timedelta(hours=47)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often a tick reads a pool's members, counts the accounts and reads one (by
    name)."""
    read: Counter[str] = Counter()

    def counted(cls: type, method: str, key: Callable[..., str]) -> None:
        original = getattr(cls, method)

        def reading(self: object, *args: Any) -> Any:
            read[key(*args)] += 1
            return original(self, *args)

        monkeypatch.setattr(cls, method, reading)

    counted(MemoryPoolRepository, "members", lambda pool: "members")
    counted(MemoryAccountRepository, "user_count", lambda: "user_count")
    counted(MemoryAccountRepository, "user", lambda name: f"user {name}")
    return read


@pytest.fixture
def joined(weekly: MemoryStore) -> MemoryStore:  # noqa: F811
    with weekly.unit_of_work() as uow:
        uow.pools.add_members("workshop", [Member("jo"), Member("kim")])
        uow.commit()
    return weekly


def test_once_reminded_a_tick_reads_the_accounts_that_may_yet_be_reminded_and_reminds_them(
    joined: MemoryStore, reads: Counter[str],
) -> None:
    assert counts(joined, SOON)[CLOSING] == 2  # eva and fritz
    reads.clear()
    assert counts(joined, SOON + timedelta(seconds=2))[CLOSING] == 0
    assert {k: n for k, n in reads.items() if k.startswith("user ")} == {
        "user hana": 1, "user ivo": 1}
    with joined.unit_of_work() as uow:  # ivo verifies his email
        ivo = uow.accounts.user("ivo")
        assert ivo is not None
        uow.accounts.put_user(replace(ivo, email_verified_at=datetime(2026, 5, 7, tzinfo=UTC)))
        uow.commit()
    assert counts(joined, SOON + timedelta(seconds=4))[CLOSING] == 1
    assert sorted(n.to for n in reminders(joined, "offers_closing")) == [
        "eva@workshop.example", "fritz@workshop.example", "ivo@workshop.example"]


def test_with_nobody_left_to_mail_a_tick_reads_the_members_once_and_no_account(
    joined: MemoryStore, reads: Counter[str],
) -> None:
    for who in ("hana", "ivo"):  # those left who have an account offer after all
        collecting.make_offer(joined.unit_of_work(), "workshop",
                              Offer(participant=who, task="paint", hours=1, min_weight=1.0),
                              now=SOON)
    assert counts(joined, SOON)[CLOSING] == 2  # eva and fritz
    reads.clear()
    assert counts(joined, SOON + timedelta(seconds=2))[CLOSING] == 0
    assert reads == {"members": 1}  # jo and kim may yet be claimed by an account


def test_once_reminded_today_a_tick_reads_the_members_once_and_no_account(
    logged: MemoryStore, reads: Counter[str],  # noqa: F811
) -> None:
    assert counts(logged, LOGGED + timedelta(hours=24, minutes=1))[WAITING] == 2
    reads.clear()
    assert counts(logged, LOGGED + timedelta(hours=24, minutes=2))[WAITING] == 0
    assert reads == {"members": 1}
