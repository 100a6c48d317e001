"""The premium refund's promise on whole clearings: on random unit auctions (households
bidding for flats, one wish each), a household that scales its bids gains, in full (the
flat's value less its share), at most the change in the period's premiums over the number
of households (docs/design.md, "Stage 3: costs and shares")."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import peerconomy


def pool(values: list[list[int]], upkeep: list[int], fixed: int,
         bids: list[list[float]]) -> dict[str, Any]:
    """Households ``h0…`` bidding ``bids`` for flats ``f0…`` (auction, one each), a caretaker
    who offers all the upkeep at weight 1 (so the weights are the estimates)."""
    households = [f"h{i}" for i in range(len(values))]
    return {
        "format": "peerconomy-scenario/1",
        "participants": [{"id": h} for h in households] + [{"id": "care", "exempt": False}],
        "projects": [{"id": "house"}],
        "tasks": [{"id": "upkeep", "project": "house", "fixed_hours": fixed}],
        "goods": [{"id": f"f{g}", "project": "house", "model": "auction", "capacity": 1,
                   "recipe": {"upkeep": hours}} for g, hours in enumerate(upkeep)],
        "offers": [{"participant": "care", "task": "upkeep", "hours": 1000,
                    "min_weight": 1.0}],
        "wishes": [{"participant": h, "id": f"w{h}",
                    "alternatives": [{"good": f"f{g}", "max_cost": bid}
                                     for g, bid in enumerate(bids[i]) if bid > 0]}
                   for i, h in enumerate(households) if any(b > 0 for b in bids[i])],
    }


def outcome(plan: dict[str, Any], who: str, values: list[int]) -> float:
    """The household's full-term utility: the value of the flat it got, less its share."""
    got = sum(values[int(a["good"][1:])] for a in plan["allocations"]
              if a["participant"] == who)
    return got - plan["shares"][who]


def premiums(plan: dict[str, Any]) -> float:
    return sum(g["premium"] * g["allocated"] for g in plan["goods"].values())


@st.composite
def auctions(draw: st.DrawFn) -> dict[str, Any]:
    n_flats = draw(st.integers(1, 3))
    n = draw(st.integers(2, 7))
    upkeep = draw(st.lists(st.integers(1, 6), min_size=n_flats, max_size=n_flats))
    values = [draw(st.lists(st.integers(0, 24), min_size=n_flats, max_size=n_flats))
              for _ in range(n)]
    return {"values": values, "upkeep": upkeep, "fixed": draw(st.integers(0, 6)),
            "who": draw(st.integers(0, n - 1)),
            "scale": draw(st.sampled_from([0.5, 0.8, 0.95, 1.05, 1.25, 2.0, 2.5]))}


@settings(max_examples=120, deadline=None)
@given(case=auctions())
def test_a_misreport_gains_at_most_the_change_in_premiums_over_n(case: dict[str, Any]) -> None:
    values, upkeep, who = case["values"], case["upkeep"], case["who"]
    truthful = [[float(v) for v in row] for row in values]
    shaded = [row[:] for row in truthful]
    shaded[who] = [round(v * case["scale"], 6) for v in truthful[who]]
    honest = peerconomy.clear(pool(values, upkeep, case["fixed"], truthful))
    lying = peerconomy.clear(pool(values, upkeep, case["fixed"], shaded))
    assert set(honest["weights"].values()) <= {1.0} and set(lying["weights"].values()) <= {1.0}
    n = len(values) + 1  # the households and the caretaker share the refund
    me = f"h{who}"
    gain = outcome(lying, me, values[who]) - outcome(honest, me, values[who])
    assert gain <= (premiums(lying) - premiums(honest)) / n + 1e-9
    # the winner pays the auction's price, and the refunds are equal
    for plan in (honest, lying):
        assert len(set(plan["refunds"].values())) == 1
        for a in plan["allocations"]:
            good = plan["goods"][a["good"]]
            assert a["cost"] == good["unit_cost"] == upkeep[int(a["good"][1:])] + good["premium"]
