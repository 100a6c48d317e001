"""The flow core both markets share: a transportation problem with its extreme competitive duals.

(Interface fixed; the solver body is being written.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Market:
    """Rows supply units along arcs to columns; each unit on arc e is worth ``arc_value[e]``.

    Maximise total value subject to: a row sends at most ``row_supply``, a column takes at most
    ``col_capacity`` (``inf`` allowed), an arc carries at most ``arc_capacity`` (``inf`` allowed).
    Sending nothing is always allowed (worth 0).
    """

    row_supply: FloatArray
    col_capacity: FloatArray
    arc_row: IntArray
    arc_col: IntArray
    arc_value: FloatArray
    arc_capacity: FloatArray


@dataclass(frozen=True)
class Clearing:
    """An optimal flow and the column prices (duals of the column capacities), all >= 0."""

    flow: FloatArray
    col_price: FloatArray


def solve(market: Market, prices: Literal["min", "max"] = "min") -> Clearing:
    """Optimal flow and the least (``"min"``) or greatest (``"max"``) optimal column prices."""
    raise NotImplementedError
