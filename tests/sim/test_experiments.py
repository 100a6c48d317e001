"""The shipped experiments, each run as configured, bear out their claims, and a run that
breaks the mechanism behind a claim makes its check fail (so the checks can tell)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerconomy.sim import compare, load_config, sweep
from peerconomy.sim.claims import CLAIMS, check
from peerconomy.sim.config import SimulationConfig, with_value
from peerconomy.sim.runner import Comparison

EXPERIMENTS = Path(__file__).parents[2] / "examples" / "simulations"


def runs_of(config: SimulationConfig) -> list[Comparison]:
    return sweep(config) if config.sweep else [compare(config)]


def experiment(name: str) -> SimulationConfig:
    return load_config(EXPERIMENTS / f"{name}.toml")


@pytest.mark.parametrize("path", sorted(EXPERIMENTS.glob("*.toml")), ids=lambda p: p.stem)
def test_each_experiment_bears_out_its_claim(path: Path) -> None:
    config = load_config(path)
    assert config.claim in CLAIMS
    verdict = check(config.claim, runs_of(config))
    assert verdict.holds, verdict.figures
    assert verdict.figures


def test_every_claim_has_an_experiment() -> None:
    shipped = {load_config(path).claim for path in EXPERIMENTS.glob("*.toml")}
    assert shipped == set(CLAIMS)


def test_auction_lowers_other_costs_only_while_there_is_a_premium() -> None:
    """Flats enough for everyone: no premium, so the auction lowers nothing."""
    config = with_value(experiment("a_auction_lowers_costs"), "goods", [
        *[g.model_dump() for g in experiment("a_auction_lowers_costs").goods[:-1]],
        {**experiment("a_auction_lowers_costs").goods[-1].model_dump(), "capacity": 1000},
    ])
    verdict = check("auction_lowers_costs", runs_of(config))
    assert dict(verdict.figures)["premiums raised per period"] == 0
    assert not verdict.holds


def test_fixed_weights_high_enough_leave_nothing_open() -> None:
    """With every task's fixed weight above anyone's disutility and every member offering on
    every task, fixed weights cover all too, and the claim (which needs fixed weights to
    leave hours open) is not borne out."""
    base = with_value(experiment("b_task_weights_cover"), "agents.offers", 3)
    tasks = [{**t.model_dump(), "fixed_weight": 3.5} for t in base.tasks]
    verdict = check("weights_cover_unpopular_tasks", runs_of(with_value(base, "tasks", tasks)))
    assert dict(verdict.figures)["uncovered hours per period, fixed weights"] == 0
    assert not verdict.holds


def test_shading_pays_under_pay_your_bid_but_not_at_the_auctions_prices() -> None:
    verdict = check("truthful_bidding", runs_of(experiment("e_truthful_bidding")))
    figures = dict(verdict.figures)
    assert figures["largest gain from misreporting a bid (auction prices)"] <= 1e-6
    assert figures["mean gain from shading under pay-your-bid"] > 0.1


def test_a_claim_needs_the_rules_it_compares() -> None:
    config = with_value(experiment("a_auction_lowers_costs"), "rules", ["auction"])
    with pytest.raises(ValueError, match="list both under rules"):
        check("auction_lowers_costs", runs_of(config))
