"""A period's distribution and packing lists, read from the store
(:func:`peerconomy.domain.distribution.distribution` builds them), and their CSV.

The lists are of a period with a plan (cleared, or settled and closed since): its
allocations, the pool's goods and pick-up points, and the members' choices as they are now
(a member who changes their point moves to that point's list, also for an earlier period's
plan).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Final

from peerconomy.domain.distribution import Distribution, Parcel, distribution
from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.plan import ClearedPlan
from peerconomy.ledger.export import csv_text
from peerconomy.services import lookup
from peerconomy.services.errors import NotFoundError
from peerconomy.services.ports import UnitOfWork

__all__ = ["CSV_COLUMNS", "NO_POINT", "MyPickup", "my_pickup", "period_distribution", "to_csv"]

CSV_COLUMNS: Final = ("pickup_point", "pickup_point_name", "participant", "name", "good",
                      "quantity", "picked_up")
"""The CSV's header: one row per member and good; ``picked_up`` is left empty, to tick."""
NO_POINT: Final = "no pick-up point chosen"
"""The CSV's ``pickup_point_name`` of the members who chose none (``pickup_point`` empty)."""


def period_distribution(uow: UnitOfWork, pool: str, number: int | None = None
                        ) -> tuple[int, Distribution]:
    """The number of the period and its lists: of period ``number``, or (None) of the latest
    period with a plan (the current one once cleared, else the one before); NotFoundError for
    a period the pool does not have or one without a plan."""
    with uow:
        lookup.pool(uow, pool)
        if number is None:
            current = lookup.current_period(uow, pool).number
            number = current if uow.periods.plan(pool, current) or current == 1 else current - 1
        if uow.periods.get(pool, number) is None:
            raise NotFoundError("period", number, pool)
        plan = uow.periods.plan(pool, number)
        if plan is None:
            raise NotFoundError("plan of period", number, pool)
        return number, distribution(plan.data, uow.pools.members(pool),
                                    uow.pools.pickup_points(pool), uow.pools.goods(pool))


@dataclass(frozen=True, slots=True)
class MyPickup:
    """Where a member collects their goods and what they take home this period."""

    point: PickupPoint | None
    """The point they chose (None: none yet)."""
    parcel: Parcel | None
    """What the current period's plan gives them (None: no plan yet, or nothing)."""
    points: list[PickupPoint]
    """The pool's active points, to choose from."""


def my_pickup(uow: UnitOfWork, pool: str, participant: str) -> MyPickup:
    """``participant``'s pick-up point and what they take home in the current period."""
    with uow:
        member = lookup.member(uow, pool, participant)
        period = lookup.current_period(uow, pool)
        points = uow.pools.pickup_points(pool)
        chosen = next((p for p in points if p.id == member.pickup_point), None)
        plan = uow.periods.plan(pool, period.number)
        parcel = None
        if plan is not None:
            own = [a for a in plan.data.allocations if a.participant == participant]
            if own:
                lists = distribution(ClearedPlan(allocations=tuple(own)), [member],
                                     points, uow.pools.goods(pool))
                parcel = lists.of(participant)[1]
    return MyPickup(chosen, parcel, [p for p in points if p.active])


def to_csv(lists: Distribution) -> str:
    """The lists as CSV: a header row (:data:`CSV_COLUMNS`), then one row per member and
    good, list by list; text a spreadsheet would take for a formula is quoted as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for point, parcel, good, units in lists.rows():
        writer.writerow([
            csv_text(point.id) if point else "", csv_text(point.name) if point else NO_POINT,
            csv_text(parcel.participant), csv_text(parcel.name), csv_text(good), units, ""])
    return out.getvalue()
