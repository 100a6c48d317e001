"""Compile every kernel a clearing calls, ahead of time, so that no member waits on it.

A small pool runs the kernels interpreted until they are compiled (``_jit``); a large one
compiles them on its first clear, which takes 20 to 60 seconds. :func:`warm_up` clears a few
made-up markets, one down each path of the flow core (the unit auction, cost scaling, the
auction that hands its prices to cost scaling after a price war, the fallback on values with
no decimal grid) and labels a graph's components, all on compiled kernels, so that every
kernel is compiled once and kept in numba's on-disk cache (or, where that cache is already
there, loaded from it in about a second). ``peerconomy warm-up`` runs it; the container image
runs it at build time.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from peerconomy.mechanisms import _jit
from peerconomy.mechanisms.components import bipartite_components
from peerconomy.mechanisms.flow import Market, solve

__all__ = ["warm_up"]

# two sea-view flats and three wishers of one flat each: the unit auction
_UNIT = Market.of([1, 1, 1], [1, 1], [(0, 0, 10, 1), (0, 1, 8, 1), (1, 0, 9, 1), (2, 1, 5, 1)])
# a two-hour task and offers of up to two hours: cost scaling
_HOURS = Market.of([2, 1, 2], [2], [(0, 0, 3, 2), (1, 0, 4, 1), (2, 0, 3.5, 2)])
# fifty people after two cargo bikes worth almost the same: a price war, then cost scaling
_WAR = Market.of([1] * 50, [1, 1], [(i, j, 1000.0 - j, 1) for i in range(50) for j in (0, 1)])
# values in thirds and sevenths, on no decimal grid: the fallback
_THIRDS = Market.of([1, 1, 1], [1, 2], [(0, 0, 1 / 3, 1), (1, 0, 2 / 3, 1), (2, 1, 1 / 7, 1)])


def warm_up(step: Callable[[str], None] = lambda name: None) -> tuple[str, ...]:
    """Compile (or load from the cache) the kernels a clearing calls; ``step`` is told the name
    of each path before it runs. Returns the names of the kernels with machine code after."""
    with _jit.engine("compiled"):
        for name, market in (
            ("the unit auction", _UNIT),
            ("cost scaling", _HOURS),
            ("the auction's warm start", _WAR),
            ("the fallback", _THIRDS),
        ):
            step(name)
            for prices in ("min", "max"):
                solve(market, prices)
        step("connected components")
        bipartite_components(2, 2, np.array([0, 1]), np.array([1, 1]))
    return tuple(
        sorted(f"{d.py_func.__module__}.{d.py_func.__name__}" for d in _jit.compiled_kernels())
    )
