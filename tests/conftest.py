"""What every test shares: the clearing engine compiled before the first test.

A fresh process runs a small pool's kernels interpreted and compiles them once it has spent a
few seconds interpreting (``mechanisms/_jit.py``); in a test run that moment would fall inside
some test, whose time (and hypothesis deadline) would then include the compiler's. So the
kernels are compiled, or loaded from numba's cache, once up front, and the tests run them as a
warmed-up server does. ``tests/mechanisms/test_jit.py`` holds the interpreted kernels to the
compiled ones and clears the examples in fresh processes, where nothing is compiled.
"""

from __future__ import annotations

import pytest

from peerconomy.mechanisms.warm_up import warm_up


@pytest.fixture(scope="session", autouse=True)
def _compiled_engine() -> None:
    warm_up()
