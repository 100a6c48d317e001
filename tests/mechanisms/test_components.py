"""Components of a bipartite graph by union-find: exactly scipy's labels, from edge lists."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from peerconomy.mechanisms.components import bipartite_components


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, int, np.ndarray, np.ndarray]:
    n_rows, n_cols = draw(st.integers(0, 12)), draw(st.integers(0, 12))
    if n_rows == 0 or n_cols == 0:
        return n_rows, n_cols, np.zeros(0, np.int64), np.zeros(0, np.int64)
    edges = draw(st.lists(st.tuples(st.integers(0, n_rows - 1), st.integers(0, n_cols - 1)),
                          max_size=30))
    rows = np.array([r for r, _ in edges], dtype=np.int64)
    cols = np.array([c for _, c in edges], dtype=np.int64)
    return n_rows, n_cols, rows, cols


@given(graphs())
def test_labels_are_scipys(graph: tuple[int, int, np.ndarray, np.ndarray]) -> None:
    n_rows, n_cols, rows, cols = graph
    n = n_rows + n_cols
    matrix = coo_matrix((np.ones(len(rows)), (rows, n_rows + cols)), shape=(n, n))
    count, expected = connected_components(matrix, directed=False)
    label, found = bipartite_components(n_rows, n_cols, rows, cols)
    assert found == count
    assert label.tolist() == expected.tolist()


def test_the_workshop_and_the_flats_are_apart() -> None:
    # wishes 0, 1 want bikes (good 0) and a frame (good 1); wish 2 a flat (good 2)
    label, count = bipartite_components(3, 4, np.array([0, 1, 1, 2]), np.array([0, 0, 1, 2]))
    assert count == 3  # the workshop, the flat, and the good nobody wants (3)
    assert label.tolist() == [0, 0, 1, 0, 0, 1, 2]
