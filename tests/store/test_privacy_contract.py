"""Deleting an account on every store: the member's participant id becomes a pseudonym in
the plans and books of the database too (its triggers allow exactly that rename), and the
books balance as before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from peerconomy.domain.privacy import is_pseudonym
from peerconomy.domain.scenario import parse_scenario
from peerconomy.ledger.journal import participant_account
from peerconomy.services import accounts, membership, periods, pools, privacy, work
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore

Store = MemoryStore | SqlStore

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
YARD = {
    "format": "peerconomy-scenario/1",
    "participants": [{"id": "ana"}, {"id": "ben"}],
    "projects": [{"id": "yard"}],
    "tasks": [{"id": "sweep", "project": "yard", "fixed_hours": 4}],
    "goods": [],
    "offers": [{"participant": "ana", "task": "sweep", "hours": 2, "min_weight": 1},
               {"participant": "ben", "task": "sweep", "hours": 2, "min_weight": 1}],
}


def test_deleting_an_account_keeps_the_books_balanced_under_a_pseudonym(store: Store) -> None:
    pools.import_scenario(store.unit_of_work(), "yard", parse_scenario(YARD),
                          coordinators=["ana"])
    periods.clear_period(store.unit_of_work(), "yard", now=NOW)
    work.log_work(store.unit_of_work(), "yard", "ben", "sweep", 2, confirmed_by="ana", now=NOW)
    periods.settle_period(store.unit_of_work(), "yard", on=date(2026, 11, 30))
    accounts.sign_up(store.unit_of_work(), "bert", "bert@example.org", PASSWORD, now=NOW,
                         mode="open")
    membership.link_member(store.unit_of_work(), "yard", "ben", "bert")
    with store.unit_of_work() as uow:
        before = uow.journal.balances("yard")
        plan_before = uow.periods.plan("yard", 1)
    assert plan_before is not None

    gone = privacy.delete_account(store.unit_of_work(), "bert", PASSWORD, now=NOW)["yard"]

    assert is_pseudonym(gone)
    with store.unit_of_work() as uow:
        after = uow.journal.balances("yard")
        assert sum(after.values()) == Decimal(0)
        assert all(sum(p.amount for p in t.postings) == 0
                   for t in uow.journal.transactions("yard"))
        assert after[participant_account(gone)] == before[participant_account("ben")]
        assert participant_account("ben") not in after
        plan = uow.periods.plan("yard", 1)
        assert plan is not None
        assert plan.data.shares[gone] == plan_before.data.shares["ben"]
        assert "ben" not in plan.data.shares
        assert uow.pools.member("yard", "ben") is None
        assert [w.participant for w in uow.periods.work_logs("yard", 1)] == [gone]
        assert uow.accounts.user("bert") is None


def test_contact_visibility_comes_back_as_stored(store: Store) -> None:
    pools.import_scenario(store.unit_of_work(), "yard", parse_scenario(YARD),
                          coordinators=["ana"])
    accounts.sign_up(store.unit_of_work(), "bert", "bert@example.org", PASSWORD, now=NOW,
                         mode="open")
    membership.link_member(store.unit_of_work(), "yard", "ben", "bert")
    privacy.set_contact_visible(store.unit_of_work(), "yard", "bert", True)
    with store.unit_of_work() as uow:
        found = uow.pools.member("yard", "ben")
        members = uow.pools.members("yard")
    assert found is not None and found.contact_visible
    assert [m.contact_visible for m in members] == [False, True]
