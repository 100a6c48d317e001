"""Connected components of a bipartite graph, by union-find in one pass over the edges.

The clearing cuts each market into the parts that share no row or column (wishes and goods
linked by alternatives; participants and tasks linked by offers) and clears each alone. A
pool of a town has a million rows and five million edges; scipy's ``connected_components``
first builds the symmetric sparse matrix of such a graph, which costs ten times the labelling
itself. This labels the components the same way (numbered in order of their smallest node,
rows first, then columns), straight from the edge lists.

>>> label, count = bipartite_components(3, 2, np.array([0, 2]), np.array([1, 1]))
>>> label.tolist(), count  # rows 0 and 2 share column 1; row 1 and column 0 stand alone
([0, 1, 0, 2, 0], 3)
"""

from __future__ import annotations

import numpy as np

from peerconomy.mechanisms import _jit
from peerconomy.mechanisms._jit import kernel
from peerconomy.mechanisms.arrays import IntArray

__all__ = ["bipartite_components"]



def bipartite_components(
    n_rows: int, n_cols: int, edge_row: IntArray, edge_col: IntArray
) -> tuple[IntArray, int]:
    """A component label per node (rows ``0..n_rows-1``, then columns), and the number of
    components; labels are numbered in order of each component's smallest node."""
    with _jit.sized(len(edge_row)):
        label, count = _jit.pick(_label)(
            n_rows + n_cols,
            np.ascontiguousarray(edge_row, dtype=np.int64),
            np.ascontiguousarray(edge_col, dtype=np.int64) + n_rows,
        )
    return label, int(count)


@kernel()
def _root(parent: IntArray, node: int) -> int:
    while parent[node] != node:
        parent[node] = parent[parent[node]]  # path halving
        node = parent[node]
    return node


@kernel()
def _label(n: int, a: IntArray, b: IntArray) -> tuple[IntArray, int]:
    parent = np.arange(n, dtype=np.int64)
    for k in range(len(a)):
        x, y = _root(parent, a[k]), _root(parent, b[k])
        if x < y:  # the smaller node stays the root, so each root is its component's least
            parent[y] = x
        elif y < x:
            parent[x] = y
    label = np.empty(n, dtype=np.int64)
    count = 0
    for node in range(n):
        root = _root(parent, node)
        if root == node:
            label[node] = count
            count += 1
        else:
            label[node] = label[root]  # root < node: labelled already
    return label, count
