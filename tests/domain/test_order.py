"""Order does not decide (issue 20): the same pool written with its lists in any order gives
the same plan, byte for byte; the seeded draws follow the seed and the ids, not the lists."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_clearing import scenarios
from test_tenure import with_holdings

import peerconomy
from peerconomy.domain.canonical import REORDERED, lots
from peerconomy.domain.scenario_columns import ScenarioColumns

PERMUTED = ("participants", "projects", "tasks", "goods", "offers", "wishes", "holdings")


def text(plan: dict[str, Any]) -> str:
    return json.dumps(plan, ensure_ascii=False)


@st.composite
def reordered(draw: st.DrawFn, scenario: dict[str, Any]) -> dict[str, Any]:
    """The scenario with every list, and every recipe, in another order; only each wish's
    alternatives keep theirs (they are the wisher's preference)."""
    out = copy.deepcopy(scenario)
    for kind in PERMUTED:
        out[kind] = draw(st.permutations(out[kind]))
    for good in out["goods"]:
        good["recipe"] = dict(draw(st.permutations(list(good["recipe"].items()))))
    return out


@settings(max_examples=150, deadline=None)
@given(data=st.data(), base=scenarios())
def test_any_order_of_the_lists_gives_the_same_plan(
    data: st.DataObject, base: dict[str, Any]
) -> None:
    scenario = data.draw(with_holdings(base))
    other = data.draw(reordered(scenario))

    assert text(peerconomy.clear(other)) == text(peerconomy.clear(scenario))


def lottery_pool(wishers: list[str], seed: int) -> dict[str, Any]:
    """One loaf of bread, wished by each of ``wishers`` (listed in this order)."""
    return {
        "format": "peerconomy-scenario/1", "settings": {"seed": seed},
        "participants": [{"id": p} for p in wishers],
        "projects": [{"id": "bakery"}],
        "goods": [{"id": "bread", "project": "bakery", "model": "effort", "capacity": 1}],
        "wishes": [{"participant": p, "id": f"{p}-bread", "alternatives": [{"good": "bread"}]}
                   for p in wishers],
    }


def winner(plan: dict[str, Any]) -> str:
    (allocation,) = plan["allocations"]
    return str(allocation["participant"])


def test_the_last_loaf_goes_to_the_same_member_whichever_order_the_wishes_are_in() -> None:
    people = ["ana", "ben", "chiara", "dario", "emil"]
    for seed in range(20):
        winners = {winner(peerconomy.clear(lottery_pool(order, seed)))
                   for order in (people, people[::-1], people[2:] + people[:2])}

        assert len(winners) == 1


def test_the_lots_are_fair_over_seeds() -> None:
    """Every wisher wins the one loaf for some seed: the seed, not the id alone, decides."""
    people = ["ana", "ben", "chiara", "dario", "emil"]

    won = {winner(peerconomy.clear(lottery_pool(people, seed))) for seed in range(60)}

    assert won == set(people)


def test_a_lot_depends_on_the_seed_the_id_and_what_is_drawn() -> None:
    (a,), (b,), (c,) = (lots(["ana"], 0, b"wish"), lots(["ana"], 1, b"wish"),
                        lots(["ana"], 0, b"participant"))

    assert len({int(a), int(b), int(c)}) == 3
    assert lots(["ana"], 0, b"wish").tolist() == lots(["ana"], 0, b"wish").tolist()


def test_the_canonical_order_reorders_every_list_and_column() -> None:
    """A list or column added to the scenario must be put in the canonical order too."""
    names = {f.name for f in dataclasses.fields(ScenarioColumns)}

    assert names == REORDERED | {"settings"}
