"""The store contract for mail: the outbox (numbered, due in order, claimed once) and the
kinds of notice each user turned off; and a user's verified email, kept as stored.

Each test runs on the in-memory reference store and on the SQL store with SQLite and with
PostgreSQL (see ``conftest.py``). Ana and ben have accounts, as in
``test_accounts_contract.py``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta, timezone

import pytest
from test_accounts_contract import ANA, BEN, MONDAY, Store

from peerconomy.domain.mail import QueuedMail
from peerconomy.services.ports import UnitOfWork


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    """A unit of work on a store holding ana and ben."""
    with store.unit_of_work() as setup:
        setup.accounts.add_user(ANA)
        setup.accounts.add_user(BEN)
        setup.commit()
    return store.unit_of_work()


def queued(to: str, minutes: int) -> QueuedMail:
    at = MONDAY + timedelta(minutes=minutes)
    return QueuedMail(0, to, json.dumps({"to": to}), at, at)


def test_queued_mail_is_numbered_and_due_oldest_first_until_sent_or_given_up(
    uow: UnitOfWork,
) -> None:
    with uow:
        first = uow.mail.queue(queued("ana@x.example", 0))
        second = uow.mail.queue(queued("ben@x.example", 5))
        third = uow.mail.queue(queued("ana@x.example", 10))
        uow.commit()
    assert 0 < first.id < second.id < third.id
    with uow:
        assert uow.mail.due(MONDAY + timedelta(minutes=5), 10) == [first, second]
        assert uow.mail.due(MONDAY + timedelta(hours=1), 1) == [first]
        uow.mail.put(replace(first, tries=1, sent_at=MONDAY, notice=""))
        uow.mail.put(replace(second, tries=8, failed_at=MONDAY, last_error="451 later"))
        uow.commit()
    with uow:
        assert uow.mail.due(MONDAY + timedelta(hours=1), 10) == [third]
        assert uow.mail.mail(second.id) == replace(second, tries=8, failed_at=MONDAY,
                                                   last_error="451 later")
        assert [m.id for m in uow.mail.outbox()] == [first.id, second.id, third.id]
        with pytest.raises(ValueError):
            uow.mail.put(replace(first, id=first.id + 100))


def test_a_message_is_claimed_by_one_sender_only(uow: UnitOfWork) -> None:
    with uow:
        mail = uow.mail.queue(queued("ana@x.example", 0))
        uow.commit()
    later = MONDAY + timedelta(minutes=10)
    with uow:
        assert uow.mail.claim(mail, later)
        assert not uow.mail.claim(mail, later)  # as found before: claimed already
        uow.commit()
    with uow:
        assert uow.mail.mail(mail.id) == replace(mail, next_try_at=later)
        assert uow.mail.due(MONDAY + timedelta(minutes=5), 10) == []


def test_notices_turned_off_are_kept_per_user_pool_and_kind(uow: UnitOfWork) -> None:
    with uow:
        assert uow.mail.turned_off("ana") == set()
        uow.mail.set_wanted("ana", "seaside", "plan_cleared", False)
        uow.mail.set_wanted("ana", "seaside", "period_opened", False)
        uow.mail.set_wanted("ana", "hillside", "plan_cleared", False)
        uow.mail.set_wanted("ana", "hillside", "plan_cleared", False)  # twice: still once
        uow.mail.set_wanted("ana", "seaside", "period_opened", True)
        uow.commit()
    with uow:
        assert uow.mail.turned_off("ana") == {("seaside", "plan_cleared"),
                                              ("hillside", "plan_cleared")}
        assert uow.mail.turned_off("ben") == set()


def test_a_verified_email_comes_back_as_the_same_moment(uow: UnitOfWork) -> None:
    elsewhere = timezone(timedelta(hours=2))
    with uow:
        uow.accounts.put_user(replace(BEN, email_verified_at=MONDAY.astimezone(elsewhere)))
        uow.commit()
    with uow:
        ben = uow.accounts.user("ben")
        assert ben is not None and ben.email_verified_at == MONDAY
        ana = uow.accounts.user_by_email(ANA.email)
        assert ana is not None and ana.email_verified_at is None
