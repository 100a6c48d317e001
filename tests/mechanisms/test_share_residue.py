"""Where stage 3's rounding residue goes (``shares._settle_residue``): the largest share takes
it; where its float step is too coarse, the shares nearest zero are tried; among equal shares
the first (the participants are in id order) takes it; and where no one share can make the sum
exact, the nearest sum is kept. The shares here are everyday numbers: refunds take shares
below zero, and the shares then cancel down to a total with a finer float step than theirs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from peerconomy.mechanisms.shares import _settle_residue


def settled(shares: list[float], total: float) -> list[float]:
    share = np.array(shares, dtype=np.float64)
    _settle_residue(share, total, np.ones(len(share), dtype=bool))
    return share.tolist()


def changed(before: list[float], after: list[float]) -> list[int]:
    return [i for i, (b, a) in enumerate(zip(before, after, strict=True)) if b != a]


def nearest_by_share(shares: list[float], total: float, k: int) -> float:
    """Brute force: the least distance of the sum from ``total`` that setting share ``k`` to
    any float within 32 steps of the value that would close the gap can reach."""
    trial = list(shares)
    candidate = shares[k] + (total - math.fsum(shares))
    for _ in range(32):
        candidate = math.nextafter(candidate, -math.inf)
    nearest = math.inf
    for _ in range(65):
        trial[k] = candidate
        nearest = min(nearest, abs(math.fsum(trial) - total))
        candidate = math.nextafter(candidate, math.inf)
    return nearest


def test_a_residue_the_largest_share_cannot_take_goes_to_the_share_nearest_zero() -> None:
    # 21.0's float step is twice the total's: no value of it makes the sum 9.0 exactly. The
    # shares nearest zero are the three -9.3s, finer than 15.9: the first of them takes it
    before = [15.9, -9.3, -9.3, -9.3, 21.0]
    after = settled(before, 9.0)
    assert math.fsum(after) == 9.0
    assert changed(before, after) == [1]
    assert after[1] == -9.299999999999999


def test_of_equal_largest_shares_the_first_takes_the_residue() -> None:
    # five shares of 37.0: the first (Ana before Ben in id order) takes it, whatever sort the
    # machine's numpy would use
    before = [1.0, 1.0, -0.38, 1.0, 37.0, 1.0, 1.0, 37.0, 1.0, 37.0, 37.0, 37.0, -0.38]
    after = settled(before, 190.24000000000004)
    assert math.fsum(after) == 190.24000000000004
    assert changed(before, after) == [4]


def test_of_equal_shares_nearest_zero_the_first_takes_the_residue() -> None:
    before = [10.2, 10.2, -4.98, -4.98, -4.98]
    after = settled(before, 5.46)
    assert math.fsum(after) == 5.46
    assert changed(before, after) == [2]


@pytest.mark.parametrize(
    ("before", "total"),
    [
        ([2.0, 2.0, -4.7, -4.7, 2.0, 2.0, 2.0], 0.6),
        ([-7.44, -7.44, -7.44, 12.0, 12.0], 1.68),
        ([-9.8, 22.74, -9.8, -9.8, 22.74, -9.8], 6.28),
        ([-3.55, 3.2, -9.79, 1.5, 2.61, 2.0, -1.0, -3.0, 8.7], 0.67),
    ],
)
def test_where_no_one_share_makes_the_sum_exact_the_nearest_sum_is_kept(
    before: list[float], total: float
) -> None:
    after = settled(before, total)
    by_share = [nearest_by_share(before, total, k) for k in range(len(before))]
    assert min(by_share) > 0  # no float value of any one share makes the sum exact
    assert abs(math.fsum(after) - total) == min(by_share)
    # one share moved: the first of those tried (the largest, then the nearest zero, ties by
    # position) that reaches the nearest sum
    positions = range(len(before))
    tried = [max(positions, key=lambda i: before[i]),
             *sorted(positions, key=lambda i: abs(before[i]))]
    assert changed(before, after) == [next(k for k in tried if by_share[k] == min(by_share))]
