"""What "the shares add up to the weighted effort" means once refunds may take a share below
zero (docs/design.md): shared by the mechanism's and the clearing's tests."""

from __future__ import annotations

import math

__all__ = ["adds_up"]


def adds_up(shares: list[float], total: float) -> bool:
    """``fsum(shares) == total`` exactly; or, where a refund took a share below zero and no
    float value of one share can make the sum exact (the shares cancel, each with a coarser
    float step than the total's), within a step of the finest share (docs/design.md)."""
    if math.fsum(shares) == total:
        return True
    if min(shares, default=0.0) >= 0:
        return False
    step = min(math.ulp(s) for s in shares if s != 0)  # the finest share's float step
    return step > math.ulp(total) and abs(math.fsum(shares) - total) <= step
