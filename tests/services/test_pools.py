"""Pools and their members: import a pool from a scenario, add, change and remove members."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import TaskAssignment
from peerconomy.domain.pool import Member, Pool, PoolProject, PoolSettings, Role
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Offer, Scenario, ScenarioError
from peerconomy.ledger.journal import POOL, participant_account
from peerconomy.services import accounts, books, collecting, membership, periods, pools, work
from peerconomy.services.errors import (
    ConflictError,
    NotAllowedError,
    NotFoundError,
    StaleEditError,
)
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MONTH_END = date(2026, 11, 30)


def members_of(uow: MemoryUnitOfWork, pool: str = "workshop") -> dict[str, Member]:
    with uow:
        return {m.id: m for m in uow.pools.members(pool)}


# --- importing a pool ----------------------------------------------------------------------


def test_an_imported_pool_holds_the_scenarios_members_projects_and_period_one(
    uow: MemoryUnitOfWork, workshop: Scenario
) -> None:
    with uow:
        assert uow.pools.get("workshop") == Pool("workshop", PoolSettings(5.0, 0, True))
        assert uow.pools.projects("workshop") == [PoolProject("workshop")]
        assert uow.pools.tasks("workshop") == workshop.tasks
        assert uow.pools.goods("workshop") == workshop.goods
        period = uow.periods.latest("workshop")
        assert period is not None and (period.number, period.state) == (
            1, PeriodState.COLLECTING,
        )
        assert uow.periods.offers("workshop", 1) == workshop.offers
        assert uow.periods.wishes("workshop", 1) == workshop.wishes
    assert list(members_of(uow).values()) == [
        Member("ana", role="coordinator"),
        Member("ben"),
        Member("chiara"),
        Member("dario", capacity=10),
    ]


def test_a_pool_may_be_imported_without_communal_validation(
    store: MemoryStore, workshop: Scenario
) -> None:
    pools.import_scenario(store.unit_of_work(), "trusting", workshop, communal_validation=False)
    with store.unit_of_work() as uow:
        pool = uow.pools.get("trusting")
    assert pool is not None and pool.settings.communal_validation is False
    assert all(m.role == "member" for m in members_of(store.unit_of_work(), "trusting").values())


@pytest.mark.parametrize(
    "name",
    ["", " workshop", "workshop ", "w" * 101, "work\nshop", "work\x00shop", "farm/bakery", "a\\b",
     ".", "..", "\uff0e\uff0e", "farm\uff0fbakery"],
)
def test_a_bad_pool_name_is_refused_and_nothing_changes(
    store: MemoryStore, workshop: Scenario, name: str
) -> None:
    before = store.state
    with pytest.raises(InputError) as refused:
        pools.import_scenario(store.unit_of_work(), name, workshop)
    assert refused.value.path == "pool"
    assert store.state is before
    assert store.state.pools == {}


FULL_WIDTH_DEMO = "\uff44\uff45\uff4d\uff4f"  # "demo" in full-width letters


@pytest.mark.parametrize("taken", ["Demo", "DEMO", FULL_WIDTH_DEMO, "\uff24emo"])
def test_a_pool_name_differing_only_in_case_or_look_alikes_is_taken(
    store: MemoryStore, workshop: Scenario, taken: str
) -> None:
    accounts.sign_up(store.unit_of_work(), "ana", "ana@workshop.example", "ana at the bench",
                     mode="open")
    pools.import_scenario(store.unit_of_work(), "demo", workshop)
    before = store.state
    with pytest.raises(ConflictError, match="cannot be used; choose another"):
        pools.import_scenario(store.unit_of_work(), taken, workshop)
    with pytest.raises(ConflictError, match="cannot be used; choose another"):
        membership.found_pool(store.unit_of_work(), taken, "ana")
    assert store.state is before


def test_a_pool_name_is_kept_in_its_normal_form(store: MemoryStore, workshop: Scenario) -> None:
    """A full-width name is stored as the plain letters it looks like, so its address is the
    one people type."""
    assert pools.import_scenario(store.unit_of_work(), FULL_WIDTH_DEMO, workshop).pool == "demo"
    assert pools.check_pool_name("Caf\u0065\u0301") == "Caf\u00e9"


def test_a_long_printable_pool_name_is_fine(store: MemoryStore, workshop: Scenario) -> None:
    name = "Gemeinschaftsgarten Süd - Werkstatt " + "w" * 64
    assert len(name) == 100
    assert pools.import_scenario(store.unit_of_work(), name, workshop).pool == name


def test_an_unknown_coordinator_is_refused_and_nothing_changes(
    store: MemoryStore, workshop: Scenario
) -> None:
    before = store.state
    with pytest.raises(
        ScenarioError, match="coordinators\\[1\\]: no participant 'zoe' in the scenario"
    ):
        pools.import_scenario(store.unit_of_work(), "workshop", workshop,
                              coordinators=["ana", "zoe"])
    assert store.state is before


# --- adding members ------------------------------------------------------------------------


def test_a_new_member_may_offer_and_is_cleared_with_the_pool(uow: MemoryUnitOfWork) -> None:
    added = pools.add_member(uow, "workshop", Member("emil", capacity=5))
    assert members_of(uow)["emil"] == added == Member("emil", capacity=5)
    collecting.make_offer(
        uow, "workshop", Offer(participant="emil", task="paint", hours=8, min_weight=0.5)
    )
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert TaskAssignment("emil", "paint", 5.0) in plan.assignments
    assert "emil" in plan.shares


def test_adding_a_member_twice_is_refused(store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    before = store.state
    with pytest.raises(ConflictError, match="'ben' is a member of pool 'workshop' already"):
        pools.add_member(uow, "workshop", Member("ben"))
    assert store.state is before


@pytest.mark.parametrize(
    ("member", "field"),
    [
        (Member(""), "participant"),
        (Member("emil", capacity=-1), "capacity"),
        (Member("emil", capacity=float("inf")), "capacity"),
        (Member("emil", capacity=float("nan")), "capacity"),
        (Member("emil", role="admin"), "role"),  # type: ignore[arg-type]
        # wrong types from loosely typed callers are refused too, not stored to break clears
        (Member(7), "participant"),  # type: ignore[arg-type]
        (Member("emil", capacity=True), "capacity"),
        (Member("emil", capacity="8"), "capacity"),  # type: ignore[arg-type]
        (Member("emil", exempt="yes"), "exempt"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_new_member_is_refused_naming_the_field(
    store: MemoryStore, uow: MemoryUnitOfWork, member: Member, field: str
) -> None:
    before = store.state
    with pytest.raises(InputError) as refused:
        pools.add_member(uow, "workshop", member)
    assert refused.value.path == field
    assert store.state is before


def test_a_member_cannot_be_added_to_an_unknown_pool(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(NotFoundError, match="no pool 'garage'"):
        pools.add_member(uow, "garage", Member("emil"))
    assert store.state is before


# --- updating members ------------------------------------------------------------------------


def test_updating_a_members_capacity_leaves_the_rest_as_it_was(uow: MemoryUnitOfWork) -> None:
    pools.update_member(uow, "workshop", "ana", capacity=3)
    assert members_of(uow)["ana"] == Member("ana", capacity=3, role="coordinator", version=2)
    pools.update_member(uow, "workshop", "dario", capacity=None)
    assert members_of(uow)["dario"] == Member("dario", version=2)


def test_a_lower_capacity_limits_the_members_assignment(uow: MemoryUnitOfWork) -> None:
    pools.update_member(uow, "workshop", "ana", capacity=3)
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert sum(a.hours for a in plan.assignments if a.participant == "ana") == 3.0


def test_an_exempt_member_is_charged_nothing_and_the_others_carry_it(
    uow: MemoryUnitOfWork,
) -> None:
    pools.update_member(uow, "workshop", "dario", exempt=True)
    assert members_of(uow)["dario"] == Member("dario", capacity=10, exempt=True, version=2)
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert plan.shares["dario"] == 0.0
    assert plan.allocations[-1].wish == "dario_bike"  # he still gets his bicycle
    assert sum(plan.shares.values()) == pytest.approx(plan.weighted_effort)


def test_a_member_made_coordinator_may_accept_unassigned_work(uow: MemoryUnitOfWork) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    log = work.log_work(uow, "workshop", "dario", "paint", 2, now=NOW)
    with pytest.raises(NotAllowedError):
        work.confirm_work(uow, "workshop", log.id, by="ben")
    role: Role = "coordinator"
    pools.update_member(uow, "workshop", "ben", role=role)
    assert members_of(uow)["ben"].role == "coordinator"
    assert work.confirm_work(uow, "workshop", log.id, by="ben").accepted_by == "ben"
    pools.update_member(uow, "workshop", "ana", role="member")
    log = work.log_work(uow, "workshop", "dario", "paint", 1, now=NOW)
    with pytest.raises(NotAllowedError, match="'ana' is not one"):
        work.confirm_work(uow, "workshop", log.id, by="ana")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": -2.0}, "capacity"),
        ({"capacity": float("inf")}, "capacity"),
        ({"role": "owner"}, "role"),
        ({"capacity": True}, "capacity"),
        ({"capacity": "8"}, "capacity"),
        ({"exempt": 1}, "exempt"),
    ],
)
def test_a_bad_update_is_refused_naming_the_field(
    store: MemoryStore, uow: MemoryUnitOfWork, change: dict[str, object], field: str
) -> None:
    before = store.state
    with pytest.raises(InputError) as refused:
        pools.update_member(uow, "workshop", "ben", **change)  # type: ignore[arg-type]
    assert refused.value.path == field
    assert store.state is before
    periods.clear_period(uow, "workshop", now=NOW)  # the pool still clears


def test_an_unknown_member_is_not_updated_or_removed(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(NotFoundError, match="no participant 'zoe' in pool 'workshop'"):
        pools.update_member(uow, "workshop", "zoe", capacity=3)
    with pytest.raises(NotFoundError, match="no participant 'zoe' in pool 'workshop'"):
        pools.remove_member(uow, "workshop", "zoe")
    assert store.state is before


@pytest.mark.parametrize("step", ["step down", "leave"])
def test_the_last_coordinator_cannot_step_down_or_leave(
    store: MemoryStore, uow: MemoryUnitOfWork, step: str
) -> None:
    """Without a coordinator nobody could clear the pool's periods or name a new one."""
    before = store.state
    with pytest.raises(ConflictError, match="'ana' is the last coordinator of pool 'workshop'"):
        if step == "leave":
            pools.remove_member(uow, "workshop", "ana")
        else:
            pools.update_member(uow, "workshop", "ana", role="member")
    assert store.state is before
    pools.update_member(uow, "workshop", "ben", role="coordinator")
    if step == "leave":
        assert not pools.remove_member(uow, "workshop", "ana").active
    else:
        assert pools.update_member(uow, "workshop", "ana", role="member").role == "member"
    with pytest.raises(ConflictError, match="'ben' is the last coordinator"):
        pools.remove_member(uow, "workshop", "ben")
    assert pools.update_member(uow, "workshop", "ben", capacity=4).role == "coordinator"


# --- removing members ------------------------------------------------------------------------


def test_a_member_who_leaves_takes_their_offers_and_wishes_along(uow: MemoryUnitOfWork) -> None:
    gone = pools.remove_member(uow, "workshop", "ben")
    assert gone == Member("ben", active=False, version=2)
    assert members_of(uow)["ben"] == gone
    with uow:
        assert all(o.participant != "ben" for o in uow.periods.offers("workshop", 1))
        assert all(w.participant != "ben" for w in uow.periods.wishes("workshop", 1))
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert "ben" not in plan.shares
    assert plan.production["bicycle"] == 2  # ana's and dario's


def test_a_member_who_left_keeps_their_balance_in_the_books(uow: MemoryUnitOfWork) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    work.log_work(uow, "workshop", "ben", "assemble", 6, confirmed_by="ana", now=NOW)
    periods.settle_period(uow, "workshop", on=MONTH_END)
    held = books.balances(uow, "workshop")
    pools.remove_member(uow, "workshop", "ben")
    assert books.balances(uow, "workshop") == held
    assert held[participant_account("ben")] == Decimal(0)  # 6 hours done, 2 bicycles at 3
    assert [line.amount for line in books.participant_statement(uow, "workshop", "ben")] == [
        Decimal(-6), Decimal(6),
    ]


def test_a_member_who_left_without_ever_being_posted_to_drops_off_the_balances(
    uow: MemoryUnitOfWork,
) -> None:
    pools.add_member(uow, "workshop", Member("emil"))
    assert participant_account("emil") in books.balances(uow, "workshop")
    pools.remove_member(uow, "workshop", "emil")
    assert list(books.balances(uow, "workshop")) == [
        participant_account(p) for p in ("ana", "ben", "chiara", "dario")
    ] + [POOL]


def test_removing_a_member_twice_is_refused(store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    pools.remove_member(uow, "workshop", "dario")
    before = store.state
    with pytest.raises(NotFoundError, match="no participant 'dario' in pool 'workshop'"):
        pools.remove_member(uow, "workshop", "dario")
    assert store.state is before


def test_a_member_who_left_may_be_welcomed_back_with_new_settings(
    uow: MemoryUnitOfWork,
) -> None:
    pools.remove_member(uow, "workshop", "dario")
    back = pools.add_member(uow, "workshop", Member("dario", capacity=4))
    assert members_of(uow)["dario"] == back == Member("dario", capacity=4, version=3)
    collecting.make_offer(
        uow, "workshop", Offer(participant="dario", task="paint", hours=4, min_weight=1.0)
    )


def test_a_member_leaving_a_cleared_period_is_charged_for_it_and_the_next_period_clears(
    uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    pools.remove_member(uow, "workshop", "dario")
    periods.settle_period(uow, "workshop", on=MONTH_END)
    assert books.balances(uow, "workshop")[participant_account("dario")] == Decimal(-3)
    with uow:
        assert all(o.participant != "dario" for o in uow.periods.offers("workshop", 2))
        assert all(w.participant != "dario" for w in uow.periods.wishes("workshop", 2))
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert "dario" not in plan.shares


# --- two coordinators at once (optimistic locking) -------------------------------------------


def test_of_two_coordinators_editing_one_member_the_later_is_told_to_reload(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    seen = members_of(uow)["dario"]  # both coordinators open dario's settings at version 1
    pools.update_member(uow, "workshop", "dario", capacity=4, version=seen.version)
    before = store.state
    with pytest.raises(StaleEditError, match=r"member 'dario' was changed by someone else"
                       r" meanwhile \(it is at version 2, the edit was made from version 1\)"):
        pools.update_member(uow, "workshop", "dario", role="coordinator", version=seen.version)
    assert store.state is before
    assert members_of(uow)["dario"] == Member("dario", capacity=4, version=2)
    # reloaded, the second coordinator's edit goes through on top of the first one's
    pools.update_member(uow, "workshop", "dario", role="coordinator", version=2)
    assert members_of(uow)["dario"] == Member("dario", capacity=4, role="coordinator", version=3)


def test_a_member_is_not_removed_on_the_strength_of_an_old_version(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    pools.update_member(uow, "workshop", "ben", role="coordinator")
    before = store.state
    with pytest.raises(StaleEditError):
        pools.remove_member(uow, "workshop", "ben", version=1)
    assert store.state is before
    assert pools.remove_member(uow, "workshop", "ben", version=2).active is False


def test_a_stale_edit_is_a_conflict(uow: MemoryUnitOfWork) -> None:
    """Entrypoints answer it as they answer any conflict: 409, exit code 2."""
    pools.update_member(uow, "workshop", "ben", capacity=1)
    with pytest.raises(ConflictError):
        pools.update_member(uow, "workshop", "ben", capacity=2, version=1)


# --- the pool's settings ---------------------------------------------------------------------


def test_a_coordinator_opens_the_pool_to_anyone_and_the_version_counts_it(
    uow: MemoryUnitOfWork,
) -> None:
    changed = pools.update_settings(uow, "workshop", admission="open", public=True, version=1)
    assert changed == Pool("workshop", PoolSettings(5.0, 0, True, "open", True), version=2)
    with uow:
        assert uow.pools.get("workshop") == changed
        entry = uow.audit.entries("workshop")[0]
    assert (entry.action, entry.detail) == ("pool.settings", {"admission": "open", "public": True})


def test_settings_changed_meanwhile_refuse_an_edit_from_before(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    pools.update_settings(uow, "workshop", max_weight=8.0, version=1)
    before = store.state
    with pytest.raises(StaleEditError, match="the settings of pool 'workshop' was changed"):
        pools.update_settings(uow, "workshop", communal_validation=False, version=1)
    assert store.state is before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # one rule for a pool's max weight (domain/bounds.py): 1 to 1000, as founding a pool
        ({"max_weight": 0.0}, "max_weight: must be a finite number >= 1, got 0.0"),
        ({"max_weight": float("inf")}, "max_weight: must be a finite number >= 1, got inf"),
        ({"max_weight": 1001.0}, "max_weight: must be a finite number <= 1000, got 1001.0"),
        ({"public": "yes"}, "public: must be true or false, got 'yes'"),
        ({"admission": "anyone"}, "admission: must be 'open' or 'approval', got 'anyone'"),
    ],
)
def test_bad_settings_are_refused_by_name_and_nothing_changes(
    store: MemoryStore, uow: MemoryUnitOfWork, change: dict[str, object], message: str
) -> None:
    before = store.state
    with pytest.raises(InputError, match=re.escape(message)):
        pools.update_settings(uow, "workshop", **change)  # type: ignore[arg-type]
    assert store.state is before
