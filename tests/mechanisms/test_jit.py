"""Interpreted kernels give exactly what compiled ones give, and the engine picks between them
by the problem's size and what is compiled already.

A fresh install clears a small pool on the kernels' Python source, so that its first clear
needs no compiling (``mechanisms/_jit.py``); that path must be the same mechanism, to the last
bit of every flow and price.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import market, markets

from peerconomy.mechanisms import _jit
from peerconomy.mechanisms._flow_unit import _prefetch
from peerconomy.mechanisms.components import bipartite_components
from peerconomy.mechanisms.flow import Clearing, Market, solve

Prices = Literal["min", "max"]
SAME = settings(max_examples=150, deadline=None)


def both_ways(run: Callable[[], Any]) -> tuple[Any, Any]:
    with _jit.engine("interpreted"):
        interpreted = run()
    with _jit.engine("compiled"):
        compiled = run()
    return interpreted, compiled


def assert_same_clearing(a: Clearing, b: Clearing) -> None:
    np.testing.assert_array_equal(a.flow, b.flow)
    np.testing.assert_array_equal(a.col_price, b.col_price)


def unit_rows(n_rows: int, n_cols: int, seed: int, values: str) -> Market:
    """Rows of one unit each over a few columns: the auction kernel's market; ``values``
    "integers" (its fast path), "cents" or "thirds" (no decimal grid: the fallback)."""
    rng = np.random.default_rng(seed)
    arcs = []
    for i in range(n_rows):
        for j in rng.choice(n_cols, size=min(3, n_cols), replace=False):
            v = int(rng.integers(0, 30))
            value = {"integers": float(v), "cents": v / 100, "thirds": v / 3}[values]
            arcs.append((i, int(j), value, 1.0))
    return market([1.0] * n_rows, [float(rng.integers(1, 4)) for _ in range(n_cols)], arcs)


@SAME
@given(m=markets(), prices=st.sampled_from(["min", "max"]))
def test_an_interpreted_clearing_is_the_compiled_one(m: Market, prices: Prices) -> None:
    assert_same_clearing(*both_ways(lambda: solve(m, prices)))


@SAME
@given(
    m=markets(integral=True, max_rows=8, parallel_arcs=True),
    prices=st.sampled_from(["min", "max"]),
)
def test_an_interpreted_clearing_of_whole_units_is_the_compiled_one(
    m: Market, prices: Prices
) -> None:
    assert_same_clearing(*both_ways(lambda: solve(m, prices)))


@pytest.mark.parametrize("values", ["integers", "cents", "thirds"])
@pytest.mark.parametrize("prices", ["min", "max"])
def test_a_crowd_of_unit_wishers_clears_the_same_both_ways(values: str, prices: Prices) -> None:
    m = unit_rows(n_rows=300, n_cols=12, seed=7, values=values)
    interpreted, compiled = both_ways(lambda: solve(m, prices))
    assert_same_clearing(interpreted, compiled)
    assert compiled.flow.sum() > 0  # a real clearing, not two empty ones


def test_the_components_of_a_graph_are_labelled_the_same_both_ways() -> None:
    rng = np.random.default_rng(3)
    rows, cols = rng.integers(0, 40, 60), rng.integers(0, 25, 60)
    (label_i, count_i), (label_c, count_c) = both_ways(
        lambda: bipartite_components(40, 25, rows, cols)
    )
    np.testing.assert_array_equal(label_i, label_c)
    assert count_i == count_c > 1


@_jit.kernel()
def _double(x):  # type: ignore[no-untyped-def]
    return 2 * x


@_jit.kernel()
def _triple(x):  # type: ignore[no-untyped-def]
    return 3 * x


ANNOUNCEMENT = (
    "compiling the clearing engine: once, then cached (this may take a minute the "
    "first time; `peerconomy warm-up` does it ahead)"
)


def test_the_engine_interprets_small_problems_compiles_large_ones_and_says_so_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_jit, "_announced", False)
    monkeypatch.setattr(_jit, "_interpreted_seconds", 0.0)
    assert not _double.signatures  # nothing compiled it yet
    with _jit.engine("auto"), caplog.at_level(logging.WARNING, "peerconomy.engine"):
        with _jit.sized(_jit.INTERPRET_UP_TO):
            small = _jit.pick(_double)
        with _jit.sized(_jit.INTERPRET_UP_TO + 1):
            large = _jit.pick(_double)
            assert _jit.pick(_double) is large
        assert small.__wrapped__ is _jit.interpreted(_double)  # type: ignore[attr-defined]
        assert large is _double
        assert small(21) == large(21) == 42  # the call compiles it
        with _jit.sized(1):
            assert _jit.pick(_double) is _double  # compiled now, so small problems use it too
    assert [r.getMessage() for r in caplog.records] == [ANNOUNCEMENT]


def test_a_process_that_has_interpreted_long_enough_compiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_jit, "_interpreted_seconds", 0.0)
    with _jit.engine("auto"), _jit.sized(1):
        twin = _jit.pick(_triple)
        assert twin(2) == 6
        spent = _jit._interpreted_seconds
        assert spent > 0.0  # the call was timed
        monkeypatch.setattr(_jit, "_interpreted_seconds", _jit.INTERPRET_FOR - 1e-9)
        assert _jit.pick(_triple) is not _triple
        monkeypatch.setattr(_jit, "_interpreted_seconds", _jit.INTERPRET_FOR)
        assert _jit.pick(_triple) is _triple


def test_a_chosen_mode_overrides_the_size() -> None:
    with _jit.engine("interpreted"), _jit.sized(10**9):
        assert _jit.pick(_double) is _jit.interpreted(_double)
    with _jit.engine("compiled"), _jit.sized(0):
        assert _jit.pick(_double) is _double


def test_an_interpreted_kernel_calls_only_interpreted_kernels() -> None:
    from peerconomy.mechanisms import _flow_unit

    twin = _jit.interpreted(_flow_unit.auction)
    assert twin.__globals__["_heap_pop"] is _jit.interpreted(_flow_unit._heap_pop)
    assert twin.__globals__["_prefetch"] is not _prefetch
    assert twin.__globals__["_prefetch"](np.zeros(3), 1) is None
    assert not isinstance(twin, type(_flow_unit.auction))


def test_every_kernel_is_registered() -> None:
    from peerconomy.mechanisms import _flow_auction, _flow_scaling, _flow_ssp, _flow_unit, flow

    registered = set(map(id, _jit.kernels()))
    for module in (_flow_auction, _flow_scaling, _flow_ssp, _flow_unit, flow):
        for value in vars(module).values():
            if isinstance(value, type(flow._decimals)):
                assert id(value) in registered, value


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("example", ["farm", "workshop", "seaside_flats", "demo"])
def test_a_fresh_process_clears_an_example_pool_without_compiling_anything(example: str) -> None:
    """What makes a new install's first clear quick: nothing waits on the compiler."""
    script = (
        "import json, sys\n"
        "from peerconomy.domain.clearing import clear\n"
        "from peerconomy.mechanisms import _jit\n"
        "plan = clear(json.loads(open(sys.argv[1]).read()))\n"
        "print(len(_jit.kernels()), len(_jit.compiled_kernels()), len(plan['shares']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(EXAMPLES / f"{example}.json")],
        capture_output=True, text=True, check=True,
    )
    registered, compiled, shares = map(int, done.stdout.split())
    assert registered > 20 and shares > 0
    assert compiled == 0
