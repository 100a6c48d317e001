"""The answers kept for idempotency keys, on every store: a key is reserved once per caller,
its answer kept, released, and forgotten after a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore

Store = MemoryStore | SqlStore

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def reserve(store: Store, owner: str, key: str, at: datetime = NOW) -> StoredAnswer | None:
    with store.unit_of_work() as uow:
        found = uow.answers.reserve(StoredAnswer(owner, key, f"{owner}:{key}", at))
        uow.commit()
    return found


def test_a_key_is_reserved_once_and_then_answers_what_was_kept(store: Store) -> None:
    assert reserve(store, "ben", "k1") is None
    assert reserve(store, "ben", "k1") == StoredAnswer("ben", "k1", "ben:k1", NOW)
    with store.unit_of_work() as uow:
        uow.answers.complete("ben", "k1", 201, b'{"id": 7}', "application/json")
        uow.commit()
    assert reserve(store, "ben", "k1") == StoredAnswer(
        "ben", "k1", "ben:k1", NOW, 201, b'{"id": 7}', "application/json")


def test_keys_are_per_caller_and_a_released_key_is_free_again(store: Store) -> None:
    assert reserve(store, "ben", "k1") is None
    assert reserve(store, "ana", "k1") is None
    with store.unit_of_work() as uow:
        uow.answers.release("ben", "k1")
        uow.commit()
    assert reserve(store, "ben", "k1") is None
    assert reserve(store, "ana", "k1") is not None


def test_a_reservation_not_committed_is_not_kept(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.answers.reserve(StoredAnswer("ben", "k1", "f", NOW)) is None
    assert reserve(store, "ben", "k1") is None


def test_purging_forgets_only_the_callers_older_keys(store: Store) -> None:
    day_before = NOW - timedelta(days=1, minutes=1)
    reserve(store, "ben", "old", day_before)
    reserve(store, "ana", "old", day_before)
    reserve(store, "ben", "new")
    with store.unit_of_work() as uow:
        uow.answers.purge("ben", NOW - timedelta(days=1))
        uow.commit()
    assert reserve(store, "ben", "old") is None  # forgotten: reserved afresh
    assert reserve(store, "ana", "old") is not None
    assert reserve(store, "ben", "new") is not None
