"""A share read in its parts (goods, premiums, overhead, refund), on the seaside flats: two
sea-view flats (effort 7, premium 12) and a garden flat (effort 6, premium 4) among five
households, the premiums (28) coming back as 5.6 each, the overhead 1 each."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.plan import PLAN_FORMAT_V1, ClearedPlan
from peerconomy.domain.scenario import load_scenario_file
from peerconomy.domain.share_parts import ShareParts, share_parts

SEASIDE = Path(__file__).resolve().parents[2] / "examples" / "seaside_flats.json"


@pytest.fixture(scope="module")
def seaside() -> tuple[ClearedPlan, frozenset[str]]:
    scenario = load_scenario_file(SEASIDE)
    return clear_scenario(scenario), frozenset(
        g.id for g in scenario.goods if g.model == "auction")


def test_each_households_share_in_its_parts(
    seaside: tuple[ClearedPlan, frozenset[str]],
) -> None:
    plan, auctioned = seaside
    parts = {who: share_parts(plan, who, auctioned) for who in plan.shares}
    assert parts == {
        "ana": ShareParts(goods=7.0, premiums=12.0, overhead=1.0, refund=5.6, share=14.4),
        "ben": ShareParts(goods=7.0, premiums=12.0, overhead=1.0, refund=5.6, share=14.4),
        "chiara": ShareParts(goods=0.0, premiums=0.0, overhead=1.0, refund=5.6, share=-4.6),
        "dario": ShareParts(goods=6.0, premiums=4.0, overhead=1.0, refund=5.6, share=5.4),
        "emil": ShareParts(goods=0.0, premiums=0.0, overhead=1.0, refund=5.6, share=-4.6),
    }


def test_a_premium_is_a_part_only_where_the_good_was_auctioned(
    seaside: tuple[ClearedPlan, frozenset[str]],
) -> None:
    plan, _ = seaside
    found = share_parts(plan, "ana", frozenset())
    assert found == ShareParts(goods=19.0, premiums=0.0, overhead=1.0, refund=5.6, share=14.4)


def test_a_plan_of_format_1_and_someone_not_in_the_plan_have_no_parts(
    seaside: tuple[ClearedPlan, frozenset[str]],
) -> None:
    plan, auctioned = seaside
    assert share_parts(plan, "zoe", auctioned) is None
    old = ClearedPlan.from_json(  # as stored before the premium refund
        {**{k: v for k, v in plan.to_json().items() if k not in {"refunds", "holdings", "won"}},
         "format": PLAN_FORMAT_V1})
    assert share_parts(old, "ana", auctioned) is None
