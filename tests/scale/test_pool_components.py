"""The federation's clearing cuts the pools into connected components with the clearing's
own union-find, not scipy (issue 18: scipy left the core install): the same components, in
the same order, as scipy's ``connected_components``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from peerconomy.scale.clearing import _components


@st.composite
def pool_graphs(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray]:
    n_pools = draw(st.integers(1, 12))
    edges = draw(st.lists(st.tuples(st.integers(0, n_pools - 1), st.integers(0, n_pools - 1)),
                          max_size=30))
    return (n_pools, np.array([a for a, _ in edges], dtype=np.int64),
            np.array([b for _, b in edges], dtype=np.int64))


def _scipys(n_pools: int, edge_a: np.ndarray, edge_b: np.ndarray) -> list[list[int]]:
    """What the clearing computed with scipy before (its code of a542939)."""
    graph = coo_matrix((np.ones(len(edge_a), dtype=np.int8), (edge_a, edge_b)),
                       shape=(n_pools, n_pools))
    count, label = connected_components(graph, directed=False)
    return [np.flatnonzero(label == c).tolist() for c in range(count)]


@given(pool_graphs())
def test_the_components_are_scipys(graph: tuple[int, np.ndarray, np.ndarray]) -> None:
    n_pools, edge_a, edge_b = graph

    found = _components(n_pools, edge_a, edge_b)

    assert [pools.tolist() for pools in found] == _scipys(n_pools, edge_a, edge_b)


def test_pools_linked_one_way_are_one_component() -> None:
    found = _components(5, np.array([3, 0]), np.array([1, 3]))

    assert [pools.tolist() for pools in found] == [[0, 1, 3], [2], [4]]


def test_the_federation_clears_without_scipy() -> None:
    # numba imports scipy where it is installed, so: a process in which it cannot be
    code = ("import sys; sys.modules['scipy'] = None\n"
            "import numpy as np\n"
            "from peerconomy.scale.clearing import _components\n"
            "print([c.tolist() for c in _components(3, np.array([0]), np.array([2]))])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[[0, 2], [1]]"
