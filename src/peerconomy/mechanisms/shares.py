"""Stage 3 of a period: what each good costs, each participant's share and premium refund.

Problem. Once the task weights ``W`` are known, the period's work is worth its weighted
effort ``E_w = sum_t W_t * hours_t``, and that is exactly what the participants' shares must
add up to: nothing more (no profit), nothing less (no unpaid work).

Rules (docs/design.md, "Stage 3: costs and shares"). A good's weighted effort per unit is
``e_g = sum_t recipe[g, t] * W_t``. A unit of an ``auction`` good is charged
``e_g + premium_g``: its taker pays exactly the price its auction found (at the real
weights). A unit of an ``effort`` good is charged ``e_g``; every unit of a project's
``flat_allocation`` goods the same, their mean ``e_g``. The weighted effort of ``flat_rate``
goods and of fixed task hours is the pool's overhead, shared evenly by the participants who
are not exempt. An exempt participant's charges are carried by the others in proportion to
their shares (evenly if those are all 0; and if everyone is exempt, everyone carries evenly,
since the work has to be shared by someone). Then the period's premiums ``P`` (premium times
units, over the auction goods) are given back in equal parts: each carrier's share is lowered
by ``P / N``, ``N`` being the number of carriers; a share may fall below zero. So a premium
makes the scarce good dearer for whoever takes it and lowers everyone's contribution (relative
cost), never credits the producers, and a participant's refund depends on their own bids only
through ``P``.

Held units (goods that last: a unit won earlier and held this period) are made like allocated
ones (their effort is in ``E_w``) and charged to their holder like a unit of their good, but
with the premium locked when they were won instead of this period's: ``e_g + locked premium``
for an auction good. The locked premiums are part of ``P`` and come back like any premium.

Guarantee. ``math.fsum(share) == weighted_effort``: the last rounding residue goes to the
largest share.

Example. The workshop: a bicycle takes 3 hours and a motorcycle 9, all at weight 1; Ana takes
a bicycle and Ben a motorcycle. ``E_w = 12``, no premiums, so no refund: Ana's share is 3,
Ben's 9, three times as much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from peerconomy.mechanisms.arrays import FloatArray, IntArray
from peerconomy.mechanisms.goods import AUCTION, FLAT_ALLOCATION, FLAT_RATE

__all__ = ["Charges", "charge"]


@dataclass(frozen=True)
class Charges:
    """Final unit cost per good, cost per allocation, share and premium refund per
    participant (the share is net of the refund), and ``E_w``."""

    unit_cost: FloatArray
    allocation_cost: FloatArray
    held_cost: FloatArray
    """Per holding: its units times (their good's unit cost without this period's premium,
    plus the premium locked when they were won)."""
    share: FloatArray
    refund: FloatArray
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
    held_participant: IntArray | None = None,
    held_good: IntArray | None = None,
    held_units: IntArray | None = None,
    held_premium: FloatArray | None = None,
) -> Charges:
    """Costs and shares from the task weights (per task; any finite value where no hours);
    ``held_*``: the holdings (participant, good, units, locked premium per unit), if any."""
    n_goods = len(good_model)
    n_participants = len(exempt)
    none = np.zeros(0, dtype=np.int64)
    h_participant = none if held_participant is None else held_participant
    h_good = none if held_good is None else held_good
    h_units = (none if held_units is None else held_units).astype(np.float64)
    h_premium = np.zeros(0) if held_premium is None else held_premium
    effort = np.bincount(
        recipe_good, weights=recipe_hours * weight[recipe_task], minlength=n_goods
    ).astype(np.float64)
    allocated = np.bincount(alloc_good, weights=alloc_units, minlength=n_goods)
    units = allocated + np.bincount(h_good, weights=h_units, minlength=n_goods)
    weighted_effort = math.fsum((weight * hours)[hours > 0])

    is_flat_allocation = good_model == FLAT_ALLOCATION
    is_auction = good_model == AUCTION
    premiums = math.fsum(np.concatenate([
        allocated[is_auction] * premium[is_auction], h_units * h_premium]))

    raw = np.where(is_auction, effort + premium, effort)
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
    unit_cost = np.where(good_model == FLAT_RATE, 0.0, raw)
    allocation_cost: FloatArray = unit_cost[alloc_good] * alloc_units.astype(np.float64)
    held_base = np.where(is_auction, effort, unit_cost)  # without this period's premium
    held_cost: FloatArray = h_units * (held_base[h_good] + h_premium)

    own = np.bincount(alloc_participant, weights=allocation_cost, minlength=n_participants)
    if len(h_participant):
        own = own + np.bincount(h_participant, weights=held_cost, minlength=n_participants)
    overhead = math.fsum((units * effort)[good_model == FLAT_RATE]) + math.fsum(
        (weight * fixed_hours)[fixed_hours > 0]
    )
    share = np.zeros(n_participants, dtype=np.float64)
    refund = np.zeros(n_participants, dtype=np.float64)
    if n_participants:
        carriers = ~exempt if (~exempt).any() else np.ones(n_participants, dtype=bool)
        share[carriers] = own[carriers] + overhead / carriers.sum()
        carried = math.fsum(own[~carriers])
        base = math.fsum(share[carriers])
        if base > 0:
            share[carriers] += carried * share[carriers] / base
        else:
            share[carriers] += carried / carriers.sum()
        refund[carriers] = premiums / carriers.sum()
        share[carriers] -= refund[carriers]
        _settle_residue(share, weighted_effort, carriers)
    return Charges(
        unit_cost=unit_cost,
        allocation_cost=allocation_cost,
        held_cost=held_cost,
        share=share,
        refund=refund,
        weighted_effort=weighted_effort,
    )


def _settle_residue(share: FloatArray, total: float, carriers: NDArray[np.bool_]) -> None:
    """Give the rounding residue to one carrier's share so that ``fsum(share) == total``.

    The residue goes to the largest share, then that share is stepped a float at a time
    until the correctly rounded sum lands on ``total``. Where rounding ties make that
    impossible for one share, the carriers' shares nearest zero are tried, finest first.
    Among equal shares the first carrier is tried first (stable sorts: numpy's default sort
    may order ties differently by version and CPU, and the plan must not).
    Where refunds make shares cancel (a share below zero) and every share has a coarser float
    step than ``total``, no float value of one share may make the sum exact (their sum is a
    multiple of a coarser step than ``total``'s); then the nearest sum found is kept, off by
    at most a step of the share changed.
    """
    indexes = np.flatnonzero(carriers)
    if len(indexes) == 0:
        return
    largest = indexes[np.argsort(-share[indexes], kind="stable")[:1]]
    finest = indexes[np.argsort(np.abs(share[indexes]), kind="stable")[:_TRIES]]
    best: tuple[float, int, float] | None = None
    for k in (int(i) for i in np.concatenate([largest, finest])):
        before = float(share[k])
        share[k] += total - math.fsum(share)
        for _ in range(8):
            current = math.fsum(share)
            if current == total:
                return
            if best is None or abs(current - total) < best[0]:
                best = (abs(current - total), k, float(share[k]))
            share[k] = np.nextafter(share[k], np.inf if current < total else -np.inf)
        share[k] = before
    assert best is not None
    share[best[1]] = best[2]


_TRIES = 8
"""How many of the shares nearest zero the residue may be tried on."""
