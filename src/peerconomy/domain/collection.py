"""Pausing Python's cyclic garbage collector around work that makes many acyclic objects.

A big scenario makes a few hundred thousand objects and a big plan as many dicts, none of
them cyclic garbage; the collector's passes over them would take much of the time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_collection"]


@contextmanager
def paused_collection() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its state after, also on error."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
