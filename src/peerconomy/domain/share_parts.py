"""What a participant's share is made of, read from a plan: the effort charged for their
goods, the premiums charged for the auction goods they won, their part of the overhead (and
of exempt members' charges), and their refund (docs/design.md, stage 3)::

    share = goods + premiums + overhead - refund

The plan keeps each allocation's cost (``e_g + premium_g`` a unit for an auction good) and
each good's premium; which goods were auctioned the caller says (the plan does not name the
goods' models). Plans of format ``peerconomy-plan/1`` were shared by β and have no refunds:
they have no parts (None), and are shown as they were.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from peerconomy.domain.plan import PLAN_FORMAT_V1, ClearedPlan

__all__ = ["ShareParts", "share_parts"]


@dataclass(frozen=True, slots=True)
class ShareParts:
    """A share's parts, in weighted hours (``share = goods + premiums + overhead - refund``).

    ``overhead`` is what is left: the participant's part of the flat-rate goods and fixed
    hours, and of the exempt members' charges (for an exempt member, less the charges the
    others carry for them)."""

    goods: float
    premiums: float
    overhead: float
    refund: float
    share: float


def share_parts(
    plan: ClearedPlan, participant: str, auctioned: Collection[str]
) -> ShareParts | None:
    """``participant``'s share in ``plan`` in its parts (``auctioned``: the ids of the
    auction goods); None where the plan gives them no share or is of format ``/1``."""
    share = plan.shares.get(participant)
    if share is None or plan.format == PLAN_FORMAT_V1:
        return None
    mine = [a for a in plan.allocations if a.participant == participant]
    premiums = math.fsum(
        a.quantity * plan.goods[a.good].premium
        for a in mine if a.good in auctioned and a.good in plan.goods)
    charged = math.fsum(a.cost for a in mine)
    refund = plan.refunds.get(participant, 0.0)
    return ShareParts(
        goods=charged - premiums,
        premiums=premiums,
        overhead=share + refund - charged,
        refund=refund,
        share=share,
    )
