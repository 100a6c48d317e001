"""The mechanism tests hold the compiled kernels to their properties, whatever the size of the
example: interpreted kernels (what a small pool runs before anything is compiled) are held to
give the same results in ``test_jit.py``. The kernels are compiled (or loaded from the cache)
once before the first test, so that no example's time includes the compiler's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from peerconomy.mechanisms import _jit
from peerconomy.mechanisms.warm_up import warm_up


@pytest.fixture(scope="session", autouse=True)
def _compiled_engine() -> None:
    warm_up()


@pytest.fixture(autouse=True)
def compiled_kernels(_compiled_engine: None) -> Iterator[None]:
    with _jit.engine("compiled"):
        yield
