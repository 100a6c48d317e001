"""What one simulated period brought: the record a pool model keeps of its last period, and
what the metrics read of a pool (:class:`Pool`), so that they need not know the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from peerconomy.domain.plan import ClearedPlan
from peerconomy.mechanisms.arrays import BoolArray, FloatArray
from peerconomy.sim.misreport import Gains

__all__ = ["PeriodOutcome", "Pool"]


@dataclass(frozen=True)
class PeriodOutcome:
    """What one period brought each member (arrays in the members' order) and the plan."""

    number: int
    plan: ClearedPlan
    values: FloatArray
    """(members, goods): what a unit of each good was worth to each member this period."""
    bundles: FloatArray
    """(members, goods): units allocated to each member."""
    delivered: FloatArray
    """(goods,): the part of each good's allocated units actually made: the least, over the
    tasks in its recipe, of the hours done over the hours needed (hours nobody was assigned
    or somebody fell short of leave goods unmade)."""
    goods_cost: FloatArray
    """What each member was charged for their goods (the allocations' costs)."""
    benefit: FloatArray
    """What the goods each member received (allocated and made) were worth to them."""
    hours: FloatArray
    """Hours each member worked."""
    disutility: FloatArray
    """What those hours cost each member (their disutility)."""
    shares: FloatArray
    credits: FloatArray
    balances: FloatArray
    """Each member's balance in the ledger after settling."""
    wished_units: int
    offers: int
    gains: Gains = field(default_factory=Gains)


class Pool(Protocol):
    """A simulated pool as the metrics read it after a period (:class:`~.model.PoolModel`)."""

    @property
    def goods(self) -> Sequence[str]:
        """The goods' ids, in the order of the outcome's columns."""

    @property
    def tasks(self) -> Sequence[str]:
        """The tasks' ids."""

    @property
    def scarce(self) -> BoolArray:
        """Which goods are scarce."""

    @property
    def outcome(self) -> PeriodOutcome | None:
        """The last period's outcome (None before the first)."""
