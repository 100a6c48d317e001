"""The mechanism tests hold the compiled kernels to their properties, whatever the size of the
example (compiled before the first test: ``tests/conftest.py``); interpreted kernels, what a
small pool runs before anything is compiled, are held to give the same results in
``test_jit.py``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from peerconomy.mechanisms import _jit


@pytest.fixture(autouse=True)
def compiled_kernels() -> Iterator[None]:
    with _jit.engine("compiled"):
        yield
