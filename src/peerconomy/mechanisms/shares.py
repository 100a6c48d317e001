"""Stage 3 of a period: what each good costs and what each participant's share is.

Problem. Once the task weights ``W`` are known, the period's work is worth its weighted
effort ``E_w = sum_t W_t * hours_t``, and that is exactly what the participants' shares must
add up to: nothing more (no profit), nothing less (no unpaid work).

Rules (docs/design.md, "Stage 3: costs and shares"). A good's weighted effort per unit is
``e_g = sum_t recipe[g, t] * W_t``. A unit of an ``effort`` or ``auction`` good is charged
``beta * (e_g + premium_g)``; every unit of a project's ``flat_allocation`` goods is charged
the same, ``beta`` times their mean ``e_g``; where ``beta = E_A / (E_A + P)``, ``E_A`` being
the weighted effort of all those units and ``P`` their premiums. So a premium makes the scarce
good dearer and every other unit cheaper (relative cost): it never credits the producers. The
weighted effort of ``flat_rate`` goods and of fixed task hours is the pool's overhead, shared
evenly by the participants who are not exempt. An exempt participant's charges are carried by
the others in proportion to their shares (evenly if those are all 0; and if everyone is exempt,
everyone carries evenly, since the work has to be shared by someone).

Guarantee. ``math.fsum(share) == weighted_effort``: the last rounding residue goes to the
largest share.

Example. The workshop: a bicycle takes 3 hours and a motorcycle 9, all at weight 1; Ana takes
a bicycle and Ben a motorcycle. ``E_w = 12``, no premiums, so ``beta = 1``: Ana's share is 3,
Ben's 9, three times as much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from peerconomy.mechanisms.arrays import FloatArray, IntArray
from peerconomy.mechanisms.goods import AUCTION, EFFORT, FLAT_ALLOCATION, FLAT_RATE

__all__ = ["Charges", "charge"]


@dataclass(frozen=True)
class Charges:
    """Final unit cost per good, cost per allocation, share per participant, and ``E_w``."""

    unit_cost: FloatArray
    allocation_cost: FloatArray
    share: FloatArray
    weighted_effort: float


def charge(
    *,
    weight: FloatArray,
    hours: FloatArray,
    fixed_hours: FloatArray,
    recipe_good: IntArray,
    recipe_task: IntArray,
    recipe_hours: FloatArray,
    good_model: IntArray,
    good_project: IntArray,
    premium: FloatArray,
    alloc_participant: IntArray,
    alloc_good: IntArray,
    alloc_units: IntArray,
    exempt: NDArray[np.bool_],
) -> Charges:
    """Costs and shares from the task weights (per task; any finite value where no hours)."""
    n_goods = len(good_model)
    n_participants = len(exempt)
    effort = np.bincount(
        recipe_good, weights=recipe_hours * weight[recipe_task], minlength=n_goods
    ).astype(np.float64)
    units = np.bincount(alloc_good, weights=alloc_units, minlength=n_goods)
    weighted_effort = math.fsum((weight * hours)[hours > 0])

    is_flat_allocation = good_model == FLAT_ALLOCATION
    charged = (good_model == EFFORT) | (good_model == AUCTION) | is_flat_allocation
    effort_charged = math.fsum(units[charged] * effort[charged])
    premiums = math.fsum(units[good_model == AUCTION] * premium[good_model == AUCTION])
    beta = effort_charged / (effort_charged + premiums) if effort_charged + premiums > 0 else 1.0

    raw = np.where(good_model == AUCTION, effort + premium, effort)
    if is_flat_allocation.any():
        projects = good_project[is_flat_allocation]
        n_projects = int(good_project.max()) + 1
        project_units = np.bincount(
            projects, weights=units[is_flat_allocation], minlength=n_projects
        )
        project_effort = np.bincount(
            projects, weights=(units * effort)[is_flat_allocation], minlength=n_projects
        )
        mean = np.divide(
            project_effort, project_units, out=np.full(n_projects, np.nan), where=project_units > 0
        )
        raw[is_flat_allocation] = np.where(
            np.isnan(mean[projects]), effort[is_flat_allocation], mean[projects]
        )
    unit_cost = np.where(good_model == FLAT_RATE, 0.0, beta * raw)
    allocation_cost: FloatArray = unit_cost[alloc_good] * alloc_units.astype(np.float64)

    own = np.bincount(alloc_participant, weights=allocation_cost, minlength=n_participants)
    overhead = math.fsum((units * effort)[good_model == FLAT_RATE]) + math.fsum(
        (weight * fixed_hours)[fixed_hours > 0]
    )
    share = np.zeros(n_participants, dtype=np.float64)
    if n_participants:
        carriers = ~exempt if (~exempt).any() else np.ones(n_participants, dtype=bool)
        share[carriers] = own[carriers] + overhead / carriers.sum()
        carried = math.fsum(own[~carriers])
        base = math.fsum(share[carriers])
        if base > 0:
            share[carriers] += carried * share[carriers] / base
        else:
            share[carriers] += carried / carriers.sum()
        _settle_residue(share, weighted_effort, carriers)
    return Charges(
        unit_cost=unit_cost,
        allocation_cost=allocation_cost,
        share=share,
        weighted_effort=weighted_effort,
    )


def _settle_residue(share: FloatArray, total: float, carriers: NDArray[np.bool_]) -> None:
    """Give the rounding residue to one carrier's share so that ``fsum(share) == total``.

    The residue goes to the largest share, then that share is stepped a float at a time
    until the correctly rounded sum lands on ``total``. Where rounding ties make that
    impossible for one share, the next largest is tried.
    """
    for k in np.argsort(-np.where(carriers, share, -np.inf), kind="stable")[: int(carriers.sum())]:
        share[k] += total - math.fsum(share)
        for _ in range(8):
            current = math.fsum(share)
            if current == total:
                return
            share[k] = np.nextafter(share[k], np.inf if current < total else -np.inf)
