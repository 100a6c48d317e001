"""The flow core where every row has one arc: columns clear apart, greedily (private).

Used by :mod:`peerconomy.mechanisms.flow` on its fast path (integer amounts, ranks that
break ties) when each row that has arcs with room has just one: a million participants
offering on a single task, say. Then the columns share no row, and each clears alone:

Flow. A column takes its rows by value, highest first, and among equal values the earlier row
first, each up to its arc's room, until the column is full: the most value, and among plans of
that value the one that serves earlier rows more (the module ``flow``'s tie rule), which is the
one cost scaling finds with the ranks in the costs. Amounts are integers in float64 below
``2**52``, so the running sums are exact.

Duals. The distances ``extreme_distances`` would return over the residual graph of that flow
(value costs ``-step * V_e``, in the same units), written down directly. A row reaches only
its own column, so the paths are short:

* least prices, from T: a column is reached at 0 from T when it carries flow, and at
  ``-step * V_e`` through each of its rows with room left on its arc (such a row has
  supply left, so T reaches it at 0); its label is the least of these. A row is at 0 when it
  has supply left, else at its column's label plus ``step * V_e`` (through its arc's flow).
* greatest prices, to T: a column is at 0 when it has room (in the flow, or in truth:
  ``cut``), and at ``step * V_e`` through each row that it serves (which stays out at 0);
  its label is the least of these. Row labels are not used on this side (all 0 here).

A column nobody reaches keeps ``UNREACHED``, as there.
"""

from __future__ import annotations

import numpy as np

from peerconomy.mechanisms._flow_scaling import UNREACHED
from peerconomy.mechanisms.arrays import BoolArray, FloatArray, IntArray


def clear(
    row_of_arc: IntArray,
    arc_col: IntArray,
    amount: FloatArray,
    units: IntArray,
    row_supply: FloatArray,
    col_room: FloatArray,
    cut: BoolArray,
    step: int,
    maximal: bool,
) -> tuple[IntArray, FloatArray]:
    """Distances (rows, columns, then T, as ``extreme_distances``) and the flow on each arc.

    Arc ``k`` is row ``row_of_arc[k]``'s only arc (a permutation of the rows), into column
    ``arc_col[k]``, with room ``amount[k]`` (at most the row's supply) and integer value
    ``units[k] >= 0``; column ``c`` takes at most ``col_room[c]``, and has room in truth
    beyond that where ``cut[c]``.
    """
    n_rows, n_cols = len(row_supply), len(col_room)
    top = int(units.max()) if len(units) else 0
    if n_cols * (top + 1) * max(n_rows, 1) < 2**62:
        # one key, unique per arc (rows are): column, then value down, then market order
        order = np.argsort((arc_col * (top + 1) + (top - units)) * n_rows + row_of_arc)
    else:
        order = np.lexsort((row_of_arc, -units, arc_col))
    col = arc_col[order]
    room = amount[order]
    # what the rows before each one in its column take, were all served in full
    ahead = np.cumsum(room) - room
    start = np.ones(len(col), dtype=bool)
    start[1:] = col[1:] != col[:-1]
    ahead -= ahead[np.maximum.accumulate(np.where(start, np.arange(len(col)), 0))]
    carried = np.empty(len(order), dtype=np.float64)
    carried[order] = np.clip(col_room[col] - ahead, 0.0, room)
    col_flow = np.bincount(arc_col, weights=carried, minlength=n_cols)
    col_dist = np.full(n_cols, UNREACHED, dtype=np.int64)
    row_dist = np.zeros(n_rows, dtype=np.int64)
    if maximal:
        served = carried > 0.0
        least = np.full(n_cols, UNREACHED, dtype=np.int64)
        np.minimum.at(least, arc_col[served], step * units[served])
        col_dist = np.where((col_flow < col_room) | cut, 0, least)
    else:
        open_ = carried < amount
        np.minimum.at(col_dist, arc_col[open_], -step * units[open_])
        col_dist[col_flow > 0.0] = np.minimum(col_dist[col_flow > 0.0], 0)
        full = carried == row_supply[row_of_arc]
        row_dist[row_of_arc[full]] = col_dist[arc_col[full]] + step * units[full]
    return np.concatenate([row_dist, col_dist, np.zeros(1, dtype=np.int64)]), carried
