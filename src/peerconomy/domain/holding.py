"""A holding: units of a good that lasts (``tenure`` > 1), won in one period and held for the
next ones, at the premium locked when they were won (docs/design.md, "Goods that last").

The pool keeps its holdings from period to period: settling a period makes a holding of each
unit won of a lasting good (``periods_left``: the periods still to come, ``tenure - 1``, the
next one included), counts the others down, and ends those with none left or whose holder
gave notice (the units go back to the next period's auction).

>>> h = Holding("seaside", 1, "ana", "flat_b_seaview", 1, 12.0, won_in=1, periods_left=11)
>>> h.counted_down().periods_left, h.ends_after_this_period, h.with_notice().ends_after_this_period
(10, False, True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from peerconomy.domain.scenario import Holding as HeldUnits

__all__ = ["Holding"]


@dataclass(frozen=True, slots=True)
class Holding:
    """Units of ``good`` that ``participant`` holds in pool ``pool`` (``id``: the pool's
    number for it, 0 until stored), won in period ``won_in`` at ``premium`` per unit (stage-1
    hours), held for ``periods_left`` periods, the pool's current one included;
    ``notice_given``: the holder gave the units back, and the holding ends after the current
    period."""

    pool: str
    id: int
    participant: str
    good: str
    quantity: int
    premium: float
    won_in: int
    periods_left: int
    notice_given: bool = False

    @property
    def ends_after_this_period(self) -> bool:
        """Whether the current period is the holding's last."""
        return self.notice_given or self.periods_left <= 1

    def counted_down(self) -> Holding:
        """The holding a period later."""
        return replace(self, periods_left=self.periods_left - 1)

    def with_notice(self) -> Holding:
        """The holding once its holder gave notice."""
        return replace(self, notice_given=True)

    def in_scenario(self) -> HeldUnits:
        """The units as the scenario holds them this period."""
        return HeldUnits(participant=self.participant, good=self.good,
                         quantity=self.quantity, premium=self.premium)
