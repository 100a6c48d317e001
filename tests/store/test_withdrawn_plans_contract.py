"""Reopening keeps the withdrawn plan in the period's history, on every store: the seaside
flats (three flats auctioned among five households) cleared, reopened and cleared again give
the same plan, byte for byte, which is the preview's; the withdrawn one is listed with its
hash and who withdrew it; erasing an account renames its participant inside withdrawn plans
too; and the databases refuse every other change of a withdrawn plan."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from peerconomy.domain.privacy import is_pseudonym
from peerconomy.domain.scenario import load_scenario_file
from peerconomy.services import accounts, membership, periods, pools, privacy, views
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore, open_store

Store = MemoryStore | SqlStore

SEASIDE = Path(__file__).resolve().parents[2] / "examples" / "seaside_flats.json"
CLEARED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
WITHDRAWN = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)
AGAIN = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
MESSAGE = "a withdrawn plan is never changed"


def seaside(store: Store) -> None:
    pools.import_scenario(store.unit_of_work(), "seaside", load_scenario_file(SEASIDE),
                          coordinators=["ana"])


def stored_text(plan_data: object) -> str:
    """The plan's JSON as a store writes it (key order is part of the format)."""
    return json.dumps(plan_data, separators=(",", ":"))


def test_reopening_then_clearing_gives_the_same_plan_and_keeps_the_withdrawn_one(
    store: Store,
) -> None:
    seaside(store)
    seen = periods.preview_period(store.unit_of_work(), "seaside")
    first = periods.clear_period(store.unit_of_work(), "seaside", now=CLEARED)
    assert sum(first.data.refunds.values()) > 0  # premiums paid, refunded in equal parts
    assert seen.input_hash == first.input_hash  # the preview is the plan the clear keeps
    assert stored_text(seen.plan.to_json()) == stored_text(first.data.to_json())

    periods.reopen_period(store.unit_of_work(), "seaside", now=WITHDRAWN, actor="ana")
    history = views.plan_history(store.unit_of_work(), "seaside", 1)
    assert history.current is None
    [withdrawn] = history.withdrawn
    assert (withdrawn.plan.input_hash, withdrawn.plan.cleared_at) == (first.input_hash, CLEARED)
    assert (withdrawn.withdrawn_at, withdrawn.withdrawn_by) == (WITHDRAWN, "ana")
    assert stored_text(withdrawn.plan.data.to_json()) == stored_text(first.data.to_json())

    again = periods.clear_period(store.unit_of_work(), "seaside", now=AGAIN)
    assert again.input_hash == first.input_hash
    assert stored_text(again.data.to_json()) == stored_text(first.data.to_json())
    with store.unit_of_work() as uow:
        kept = uow.periods.plan("seaside", 1)
        assert kept is not None and kept.cleared_at == AGAIN
        assert stored_text(kept.data.to_json()) == stored_text(first.data.to_json())
        assert [(a.participant, a.task, a.hours) for a in uow.periods.assignments(
            "seaside", 1)] == [(a.participant, a.task, a.hours) for a in first.data.assignments]

    periods.reopen_period(store.unit_of_work(), "seaside", now=AGAIN, actor=None)
    history = views.plan_history(store.unit_of_work(), "seaside", 1)
    assert [(w.plan.cleared_at, w.withdrawn_at, w.withdrawn_by) for w in history.withdrawn] == [
        (CLEARED, WITHDRAWN, "ana"), (AGAIN, AGAIN, None)]


def test_the_plans_stored_text_is_byte_equal_after_reopening(
    database_url: str,
) -> None:
    with open_store(database_url) as store:
        seaside(store)
        periods.clear_period(store.unit_of_work(), "seaside", now=CLEARED)
        with store.engine.connect() as connection:
            first = connection.scalar(text("SELECT data FROM plans"))
        periods.reopen_period(store.unit_of_work(), "seaside", now=WITHDRAWN, actor="ana")
        periods.clear_period(store.unit_of_work(), "seaside", now=AGAIN)
        with store.engine.connect() as connection:
            assert connection.scalar(text("SELECT data FROM plans")) == first
            assert connection.scalar(text("SELECT data FROM withdrawn_plans")) == first


def test_erasing_an_account_renames_its_participant_in_withdrawn_plans(store: Store) -> None:
    seaside(store)
    accounts.sign_up(store.unit_of_work(), "bert", "bert@example.org", PASSWORD, now=CLEARED,
                     mode="open")
    membership.link_member(store.unit_of_work(), "seaside", "ben", "bert")
    first = periods.clear_period(store.unit_of_work(), "seaside", now=CLEARED)
    periods.reopen_period(store.unit_of_work(), "seaside", now=WITHDRAWN, actor="ben")

    gone = privacy.delete_account(store.unit_of_work(), "bert", PASSWORD, now=AGAIN)["seaside"]

    assert is_pseudonym(gone)
    [withdrawn] = views.plan_history(store.unit_of_work(), "seaside", 1).withdrawn
    assert withdrawn.withdrawn_by == gone
    assert withdrawn.plan.input_hash == f"{first.input_hash}+{gone}"
    assert "ben" not in withdrawn.plan.data.shares
    assert withdrawn.plan.data.shares[gone] == first.data.shares["ben"]
    assert withdrawn.plan.data.refunds[gone] == first.data.refunds["ben"]
    assert withdrawn.plan.data.shares["ana"] == first.data.shares["ana"]


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM withdrawn_plans",
        "UPDATE withdrawn_plans SET data = '{}'",
        "UPDATE withdrawn_plans SET input_hash = input_hash || '+gone-00000000',"
        " withdrawn_by = 'eve'",
        "UPDATE withdrawn_plans SET withdrawn_at = cleared_at,"
        " input_hash = input_hash || '+gone-00000000'",
    ],
)
def test_the_database_refuses_to_change_a_withdrawn_plan(
    database_url: str, statement: str
) -> None:
    with open_store(database_url) as store:
        seaside(store)
        periods.clear_period(store.unit_of_work(), "seaside", now=CLEARED)
        periods.reopen_period(store.unit_of_work(), "seaside", now=WITHDRAWN, actor="ana")
        with store.engine.begin() as connection, pytest.raises(IntegrityError, match=MESSAGE):
            connection.execute(text(statement))
        [withdrawn] = views.plan_history(store.unit_of_work(), "seaside", 1).withdrawn
        assert withdrawn.withdrawn_by == "ana"
