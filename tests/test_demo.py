"""The demo: a valid sample pool with everything it sets out to show, run end to end on the
in-memory store through the services, printing a story that fits a 100-column terminal."""

from __future__ import annotations

import io
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from peerconomy.demo import (
    COORDINATORS,
    POOL_NAME,
    DemoResult,
    add_demo_accounts,
    demo_scenario,
    run_demo,
    simulate_work,
)
from peerconomy.domain.period import PeriodState
from peerconomy.domain.scenario import parse_scenario
from peerconomy.ledger.journal import hours, participant_account
from peerconomy.services import accounts, membership
from peerconomy.services.periods import clear_period
from peerconomy.services.pools import import_scenario
from peerconomy.store.memory import MemoryStore

EXAMPLES = Path(__file__).parents[1] / "examples"
WIDTH = 100


def _run(periods: int = 2, seed: int = 0) -> tuple[DemoResult, str, MemoryStore]:
    store = MemoryStore()
    out = io.StringIO()
    console = Console(file=out, width=WIDTH)
    result = run_demo(store.unit_of_work, console, periods=periods, seed=seed)
    return result, out.getvalue(), store


@pytest.fixture(scope="module")
def demo() -> tuple[DemoResult, str, MemoryStore]:
    return _run()


# --- the scenario --------------------------------------------------------------------------


def test_the_demo_scenario_is_valid_and_the_same_for_a_seed() -> None:
    data = demo_scenario(0)
    parse_scenario(data)
    assert demo_scenario(0) == data
    assert demo_scenario(1) != data
    parse_scenario(demo_scenario(1))


def test_the_pool_has_three_projects_and_about_thirty_named_people() -> None:
    data = demo_scenario()
    assert [p["id"] for p in data["projects"]] == ["farm", "bakery", "workshop"]
    ids = [p["id"] for p in data["participants"]]
    assert 28 <= len(ids) <= 32
    assert all(i.islower() and i.isalpha() for i in ids)
    assert set(COORDINATORS) <= set(ids)
    assert len({p.get("capacity") for p in data["participants"]}) > 3


def test_exactly_one_member_is_exempt() -> None:
    exempt = [p["id"] for p in demo_scenario()["participants"] if p.get("exempt")]
    assert exempt == ["rosa"]


def test_bread_is_one_product_type_made_by_two_projects_and_wished_by_type() -> None:
    data = demo_scenario()
    bread = [g for g in data["goods"] if g.get("product_type") == "bread"]
    assert {g["project"] for g in bread} == {"farm", "bakery"}
    by_type = [
        w
        for w in data["wishes"]
        if any(a.get("product_type") == "bread" for a in w["alternatives"])
    ]
    assert len(by_type) >= 10


def test_the_weekend_bikes_are_auction_goods_wished_beyond_their_capacity() -> None:
    data = demo_scenario()
    scarce = [g for g in data["goods"] if g["model"] == "auction"]
    assert "cargo_bike_weekend" in {g["id"] for g in scarce}
    wished = Counter(a["good"] for w in data["wishes"] for a in w["alternatives"] if "good" in a)
    for good in scarce:
        assert wished[good["id"]] > good["capacity"]
    bids = [a for w in data["wishes"] for a in w["alternatives"] if a.get("good") in wished]
    assert all("max_cost" in a for a in bids if a["good"] in {g["id"] for g in scarce})
    assert any(len(w["alternatives"]) > 1 for w in data["wishes"])


def test_min_weights_differ_across_tasks() -> None:
    data = demo_scenario()
    by_task: dict[str, list[float]] = {}
    for offer in data["offers"]:
        by_task.setdefault(offer["task"], []).append(offer["min_weight"])
    assert min(by_task["milking_at_dawn"]) > 1
    assert min(by_task["baking"]) < 1
    assert len({w for ws in by_task.values() for w in ws}) > 8


def test_examples_demo_json_is_the_scenario_of_seed_0() -> None:
    text = (EXAMPLES / "demo.json").read_text(encoding="utf-8")
    assert json.loads(text) == demo_scenario(0)


def test_a_negative_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="seed: must be >= 0, got -1"):
        demo_scenario(-1)


# --- the simulated work --------------------------------------------------------------------


def test_members_log_and_confirm_their_work_and_a_coordinator_accepts_unassigned_work() -> None:
    store = MemoryStore()
    import_scenario(
        store.unit_of_work(), POOL_NAME, parse_scenario(demo_scenario()), coordinators=COORDINATORS
    )
    clear_period(store.unit_of_work(), POOL_NAME)
    done = simulate_work(store.unit_of_work, POOL_NAME, np.random.default_rng(0))
    with store.unit_of_work() as uow:
        logs = uow.periods.work_logs(POOL_NAME, 1)
        assignments = uow.periods.assignments(POOL_NAME, 1)
    assert all(log.status == "confirmed" for log in logs)
    assert all(log.confirmed_by not in (None, log.participant) for log in logs)
    assert len(done.forgotten) >= 1
    forgetter = done.forgotten[0].participant
    assert forgetter not in {log.participant for log in logs}
    assert done.partly and len(done.partly) < len(done.logs) / 2
    unassigned = [log for log in logs if not log.assigned]
    assert len(unassigned) == 1
    assert unassigned[0].accepted_by in COORDINATORS
    assert len(logs) == len(assignments) - len(done.forgotten) + 1


# --- the story, end to end -----------------------------------------------------------------


def test_every_period_settles_and_the_balances_sum_to_exactly_zero(
    demo: tuple[DemoResult, str, MemoryStore],
) -> None:
    result, _, store = demo
    assert [p.number for p in result.periods] == [1, 2]
    for held in result.balances:
        assert sum(held.values(), Decimal(0)) == 0
    with store.unit_of_work() as uow:
        states = [uow.periods.get(POOL_NAME, n).state for n in (1, 2, 3)]  # type: ignore[union-attr]
    assert states == [PeriodState.SETTLED, PeriodState.SETTLED, PeriodState.COLLECTING]


def test_the_scarce_cargo_bike_carries_a_premium_in_period_1(
    demo: tuple[DemoResult, str, MemoryStore],
) -> None:
    cargo = demo[0].plans[0].goods["cargo_bike_weekend"]
    assert cargo.premium > 0
    assert cargo.wished > cargo.allocated == 2


def test_milking_at_dawn_weighs_more_than_a_standard_hour(
    demo: tuple[DemoResult, str, MemoryStore],
) -> None:
    for plan in demo[0].plans:
        assert plan.weights["milking_at_dawn"] > 1
        assert plan.weights["milking_at_dawn"] > plan.weights["harvesting"]


def test_period_2_estimates_are_the_weights_period_1_found(
    demo: tuple[DemoResult, str, MemoryStore],
) -> None:
    first, second = demo[0].periods
    assert first.weight_estimates == {}
    assert second.weight_estimates == first.plan.weights


def test_members_answer_the_hint_board_before_period_2(
    demo: tuple[DemoResult, str, MemoryStore],
) -> None:
    first, second = demo[0].periods
    assert first.hint_board.uncovered and first.hint_board.unmet_wishes
    assert {o.task for o in second.offers_changed} >= {"milking_at_dawn", "fence_mending"}
    assert second.plan.weights["milking_at_dawn"] < first.plan.weights["milking_at_dawn"]


def test_the_member_who_forgot_to_log_ends_at_minus_their_share(
    demo: tuple[DemoResult, str, MemoryStore],
) -> None:
    first = demo[0].periods[0]
    who = first.work.forgotten[0].participant
    assert first.balances[participant_account(who)] == -hours(first.plan.shares[who])


def test_the_output_tells_each_section_within_100_columns(
    demo: tuple[DemoResult, str, MemoryStore],
) -> None:
    _, text, _ = demo
    for section in (
        "Period 1",
        "Period 2",
        "Task weights",
        "milking at dawn",
        "Goods:",
        "premium",
        "Shares are",
        "Work:",
        "Balances after settling period 1",
        "Balances after settling period 2",
        "sum of all balances",
        "hint board",
        "Open hours",
        "Unmet wishes",
        "Still to do",
        "What changed",
    ):
        assert section in " ".join(text.split()), section
    assert "all balances sum to 0.000000" in " ".join(text.split())
    assert max(len(line.rstrip()) for line in text.splitlines()) <= WIDTH


def test_the_demo_is_the_same_for_a_seed_and_differs_between_seeds(
    demo: tuple[DemoResult, str, MemoryStore],
) -> None:
    again, text, _ = _run()
    assert text == demo[1]
    assert again.plans == demo[0].plans and again.balances == demo[0].balances
    other, other_text, _ = _run(periods=1, seed=5)
    assert other_text != text and len(other.periods) == 1
    assert sum(other.balances[0].values(), Decimal(0)) == 0


def test_the_demo_runs_alike_on_a_sqlite_file(
    demo: tuple[DemoResult, str, MemoryStore], tmp_path: Path
) -> None:
    sql = pytest.importorskip("peerconomy.store.sql")
    store = sql.open_store(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    out = io.StringIO()
    result = run_demo(store.unit_of_work, Console(file=out, width=WIDTH), periods=1)
    assert result.plans[0] == demo[0].plans[0]
    assert result.balances[0] == demo[0].balances[0]


def test_the_demo_sign_ins_open_the_pool_with_their_roles() -> None:
    _, _, store = _run(periods=1)
    sign_ins = add_demo_accounts(store.unit_of_work)
    assert [(name, role) for name, _, role in sign_ins] == [
        ("ana", "coordinator"), ("ben", "member"), ("chiara", "member")
    ]
    for name, password, role in sign_ins:
        assert accounts.authenticate(store.unit_of_work(), name, password).name == name
        standing = membership.access(store.unit_of_work(), POOL_NAME, name)
        assert standing.member is not None and standing.member.role == role


def test_the_demo_command_says_what_it_is_doing_before_each_slow_step(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from peerconomy.cli import app

    result = CliRunner().invoke(
        app, ["demo", "--no-serve", "--file", str(tmp_path / "demo.sqlite3")]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0] == "Building the sample pool…"  # before the imports and the pool
    making = lines.index("Making three sign-ins to try it with…")  # before hashing passwords
    assert lines[making + 1].startswith("The demo pool is in ")
