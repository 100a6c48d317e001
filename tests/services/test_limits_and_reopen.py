"""Bounded demand and a period that can always be settled or reopened, on the workshop pool
(bicycle: limit 2 per participant; motorcycle: limit 1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import msgspec
import pytest

from peerconomy.domain.period import IllegalTransitionError, PeriodState
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Alternative, Good, ScenarioError, Wish
from peerconomy.services import audit, collecting, periods, pools, work
from peerconomy.services.errors import ConflictError
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def bikes(who: str, wish: str, quantity: int) -> Wish:
    return Wish(participant=who, id=wish, quantity=quantity,
                alternatives=[Alternative(good="bicycle")])


def test_a_wish_beyond_the_goods_limit_is_refused_naming_quantity(
    uow: MemoryUnitOfWork,
) -> None:
    with pytest.raises(ScenarioError) as refused:
        collecting.make_wish(uow, "workshop", bikes("ana", "many", 100_000))
    assert refused.value.path == "wish.quantity"
    assert "must be at most 2" in refused.value.reason
    assert [w.id for w in uow.periods.wishes("workshop", 1)] == [
        "ana_bike", "ben_bikes", "chiara_motorcycle", "dario_bike"]  # nothing stored


def test_many_wishes_get_no_participant_more_than_the_limit(uow: MemoryUnitOfWork) -> None:
    for i in range(5):
        collecting.make_wish(uow, "workshop", bikes("ben", f"more{i}", 2))
    plan = periods.clear_period(uow, "workshop", now=NOW)
    ben = sum(a.quantity for a in plan.data.allocations
              if a.participant == "ben" and a.good == "bicycle")
    assert ben == 2


def test_a_flat_rate_good_gives_one_unit_unless_its_limit_is_set(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    with uow:
        uow.pools.add_goods("workshop", [Good(id="soup", project="workshop", model="flat_rate")])
        uow.commit()
    with pytest.raises(ScenarioError, match="must be at most 1"):
        collecting.make_wish(uow, "workshop", Wish(
            participant="ana", id="soup", quantity=2, alternatives=[Alternative(good="soup")]))


def test_wishes_stored_before_a_limit_are_met_only_up_to_it(uow: MemoryUnitOfWork) -> None:
    # the attack of issue 17: 100,000 flat-rate units, stored before goods had limits
    with uow:
        uow.pools.add_goods("workshop", [Good(id="box", project="workshop", model="flat_rate")])
        uow.periods.put_wish("workshop", 1, Wish(
            participant="ana", id="boxes", quantity=100_000,
            alternatives=[Alternative(good="box")]))
        uow.commit()
    plan = periods.clear_period(uow, "workshop", now=NOW)
    assert plan.data.production["box"] == 1


def test_a_cleared_period_is_reopened_with_its_plan_discarded_and_audited(
    uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    reopened = periods.reopen_period(uow, "workshop", actor="ana")
    assert reopened.state is PeriodState.COLLECTING
    assert uow.periods.plan("workshop", 1) is None
    assert len(uow.periods.wishes("workshop", 1)) == 4  # offers and wishes stay
    entry = audit.audit_log(uow, "workshop")[0]
    assert (entry.action, entry.actor, entry.subject) == ("period.reopen", "ana", "1")
    periods.clear_period(uow, "workshop", now=NOW)  # and it clears again
    assert uow.periods.plan("workshop", 1) is not None


def test_the_preview_is_the_plan_a_clear_keeps_and_reopening_then_clearing_keeps_it_again(
    uow: MemoryUnitOfWork,
) -> None:
    seen = periods.preview_period(uow, "workshop")
    assert seen.period == 1
    assert periods.preview_period(uow, "workshop").plan is seen.plan  # cached by input hash
    first = periods.clear_period(uow, "workshop", now=NOW)
    assert (first.input_hash, first.data) == (seen.input_hash, seen.plan)
    with pytest.raises(IllegalTransitionError):  # only a collecting period is previewed
        periods.preview_period(uow, "workshop")
    periods.reopen_period(uow, "workshop", actor="ana")
    entry = audit.audit_log(uow, "workshop")[0]
    assert entry.detail == {"input_hash": first.input_hash}  # what was withdrawn, on record
    again = periods.clear_period(uow, "workshop", now=NOW)
    assert (again.input_hash, again.data) == (first.input_hash, first.data)


def test_a_changed_wish_changes_the_preview(uow: MemoryUnitOfWork) -> None:
    before = periods.preview_period(uow, "workshop")
    collecting.make_wish(uow, "workshop", bikes("ana", "another", 1))
    after = periods.preview_period(uow, "workshop")
    assert after.input_hash != before.input_hash
    assert after.plan == periods.clear_period(uow, "workshop", now=NOW).data


def test_a_change_to_a_member_not_to_the_period_changes_the_preview(
    uow: MemoryUnitOfWork,
) -> None:
    before = periods.preview_period(uow, "workshop")
    pools.update_member(uow, "workshop", "ana", exempt=True)  # no offer or wish changed
    after = periods.preview_period(uow, "workshop")
    assert after.input_hash != before.input_hash
    assert after.plan.shares != before.plan.shares
    kept = periods.clear_period(uow, "workshop", now=NOW)
    assert (after.input_hash, after.plan) == (kept.input_hash, kept.data)


def test_a_settled_period_is_not_reopened(uow: MemoryUnitOfWork) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    periods.settle_period(uow, "workshop")
    with pytest.raises(ConflictError, match="period 1 of pool 'workshop' is settled, and a"
                       " settled period is never reopened"):
        periods.reopen_period(uow, "workshop")
    assert uow.periods.plan("workshop", 1) is not None
    assert uow.periods.withdrawn_plans("workshop", 1) == []


def test_a_period_with_work_logged_is_not_reopened(uow: MemoryUnitOfWork) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    work.log_work(uow, "workshop", "ana", "assemble", 2.0, now=NOW)
    with pytest.raises(ConflictError, match="work logged"):
        periods.reopen_period(uow, "workshop", actor="ana")
    assert uow.periods.plan("workshop", 1) is not None


def test_a_collecting_period_is_not_reopened(uow: MemoryUnitOfWork) -> None:
    with pytest.raises(IllegalTransitionError):
        periods.reopen_period(uow, "workshop")


def test_the_preview_flags_a_share_above_ten_times_the_median_capacity(
    uow: MemoryUnitOfWork,
) -> None:
    found = periods.preview_period(uow, "workshop")
    assert found.warnings == ()  # dario's capacity 10: no big share
    with uow:
        for member in uow.pools.members("workshop"):
            uow.pools.put_member("workshop", replace(member, capacity=0.5))
        uow.commit()
    warnings = periods.preview_period(uow, "workshop").warnings
    assert [w["kind"] for w in warnings] == ["large_share"]
    assert warnings[0]["median_capacity"] == 0.5
    assert uow.periods.plan("workshop", 1) is None  # a preview stores nothing
    assert uow.periods.get("workshop", 1).state is PeriodState.COLLECTING  # type: ignore[union-attr]


def test_a_plan_with_a_non_finite_number_is_never_stored(
    uow: MemoryUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = periods.clear_scenario

    def poisoned(scenario: object) -> ClearedPlan:
        plan = real(scenario)  # type: ignore[arg-type]
        return msgspec.structs.replace(plan, shares={**plan.shares, "ana": float("nan")})

    monkeypatch.setattr(periods, "clear_scenario", poisoned)
    with pytest.raises(InputError, match=r"plan.shares\['ana'\]: is not a finite number"):
        periods.clear_period(uow, "workshop", now=NOW)
    assert uow.periods.plan("workshop", 1) is None
    assert uow.periods.get("workshop", 1).state is PeriodState.COLLECTING  # type: ignore[union-attr]


def test_the_demo_refuses_600_wishes_of_100000_vegetable_boxes() -> None:
    # the attack of issue 17, reproduced on the demo pool (its boxes: limit 2)
    from peerconomy.demo import demo_scenario
    from peerconomy.domain.scenario import parse_scenario
    from peerconomy.services.pools import import_scenario

    data = demo_scenario(0)
    store = MemoryStore()
    import_scenario(store.unit_of_work(), "demo", parse_scenario(data), coordinators=["ana"])
    uow = store.unit_of_work()
    with uow:
        before = uow.periods.wishes("demo", 1)
    for i in range(600):
        with pytest.raises(ScenarioError) as refused:
            collecting.make_wish(uow, "demo", Wish(
                participant="dario", id=f"boxes{i}", quantity=100_000,
                alternatives=[Alternative(good="vegetable_box")]))
        assert refused.value.path == "wish.quantity"
    with uow:
        assert uow.periods.wishes("demo", 1) == before
    data["wishes"] += [{"participant": "dario", "id": f"boxes{i}", "quantity": 100_000,
                        "alternatives": [{"good": "vegetable_box"}]} for i in range(600)]
    with pytest.raises(ScenarioError, match=r"wishes\[\d+\]\.quantity: must be at most 2"):
        parse_scenario(data)
