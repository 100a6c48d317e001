"""The engine's compiled kernels, and their Python source run as it is where compiling costs more.

Every kernel is a numba function, compiled to machine code on first use and cached on disk
(``cache=True``). Compiling the ones a clearing needs takes 20 to 60 seconds, which a fresh
install would otherwise spend on its first clear of a ten-person pool. So a small problem runs
the kernels' own Python source, *interpreted*: the same statements on the same numpy arrays,
hence the same result (``tests/mechanisms/test_jit.py`` holds the two to it), about a hundred
times slower per step, which on a small pool is a few milliseconds. A kernel runs compiled once
it has been compiled or loaded from the cache in this process (``warm_up.warm_up`` does all of
them ahead of time, as ``peerconomy warm-up`` and the container build do), and is compiled
first, once, with a log line saying so, when the problem is too large to interpret or the
process has spent a few seconds interpreting already (a simulation, a busy server).

A kernel's interpreted twin is its ``py_func`` with globals in which every other kernel is
replaced by its own twin, so a call from one kernel to another stays interpreted, and every
numba intrinsic (code only the compiler can run) by a Python stand-in registered here.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import threading
import time
import types
from collections.abc import Callable, Iterator
from typing import Any, Literal

import numba
from numba.core.dispatcher import Dispatcher

__all__ = [
    "INTERPRET_UP_TO",
    "Mode",
    "compiled_kernels",
    "engine",
    "interpreted",
    "kernel",
    "kernels",
    "pick",
    "sized",
    "stand_in",
]

Mode = Literal["auto", "compiled", "interpreted"]

INTERPRET_UP_TO = 4_000
"""The largest problem (arcs of a market, edges of a graph) that runs interpreted while its
kernels are not compiled; above it they are compiled first (about 0.3 s interpreted at this
size, against 20 to 60 s to compile)."""

INTERPRET_FOR = 3.0
"""Seconds a process spends in interpreted kernels before it compiles them after all: a
simulation or a busy server clearing small pools again and again is better off compiled."""

_log = logging.getLogger("peerconomy.engine")
_mode: contextvars.ContextVar[Mode] = contextvars.ContextVar("engine_mode", default="auto")
_size: contextvars.ContextVar[int] = contextvars.ContextVar("engine_size", default=0)
_lock = threading.RLock()
_kernels: list[Dispatcher] = []
_stand_ins: dict[int, Callable[..., Any]] = {}
_twins: dict[int, Callable[..., Any]] = {}
_twin_globals: dict[int, dict[str, Any]] = {}
_announced = False
_interpreted_seconds = 0.0


def kernel(*, inline: bool = False) -> Callable[[Callable[..., Any]], Any]:
    """``numba.njit`` as every kernel of the engine uses it (cached on disk, the GIL released),
    registered for :func:`kernels`; ``inline`` inlines it into the kernels that call it."""

    def compile_lazily(function: Callable[..., Any]) -> Any:
        dispatcher = numba.njit(cache=True, nogil=True, inline="always" if inline else "never")(
            function
        )
        with _lock:
            _kernels.append(dispatcher)
        return dispatcher

    return compile_lazily


def stand_in(intrinsic: Any, python: Callable[..., Any]) -> None:
    """Run ``python`` wherever an interpreted kernel calls the numba ``intrinsic``."""
    with _lock:
        _stand_ins[id(intrinsic)] = python


def kernels() -> tuple[Dispatcher, ...]:
    """Every kernel defined so far (those of the modules imported)."""
    with _lock:
        return tuple(_kernels)


def compiled_kernels() -> tuple[Dispatcher, ...]:
    """The kernels with machine code in this process (compiled, or loaded from the cache)."""
    return tuple(d for d in kernels() if d.signatures)


@contextlib.contextmanager
def engine(mode: Mode) -> Iterator[None]:
    """Within the block, kernels run as ``mode`` says: ``"compiled"`` always (compiling where
    needed), ``"interpreted"`` always, or ``"auto"`` (the default; see the module docstring)."""
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)


@contextlib.contextmanager
def sized(size: int) -> Iterator[None]:
    """Within the block, :func:`pick` chooses for a problem of ``size`` (arcs or edges)."""
    token = _size.set(size)
    try:
        yield
    finally:
        _size.reset(token)


def pick(dispatcher: Any) -> Callable[..., Any]:
    """The kernel to call now: compiled or its interpreted twin, by the mode and the size."""
    mode = _mode.get()
    if mode == "interpreted":
        return interpreted(dispatcher)
    if mode == "compiled" or dispatcher.signatures:
        return dispatcher  # type: ignore[no-any-return]
    if _size.get() <= INTERPRET_UP_TO and _interpreted_seconds < INTERPRET_FOR:
        return _timed(interpreted(dispatcher))
    _announce()
    return dispatcher  # type: ignore[no-any-return]


def _timed(twin: Callable[..., Any]) -> Callable[..., Any]:
    """``twin``, adding the time it takes to the process's interpreted seconds."""

    @functools.wraps(twin)
    def run(*args: Any) -> Any:
        global _interpreted_seconds
        started = time.perf_counter()
        try:
            return twin(*args)
        finally:
            with _lock:
                _interpreted_seconds += time.perf_counter() - started

    return run


def _announce() -> None:
    global _announced
    with _lock:
        if _announced:
            return
        _announced = True
    _log.warning(
        "compiling the clearing engine: once, then cached (this may take a minute the "
        "first time; `peerconomy warm-up` does it ahead)"
    )


def interpreted(dispatcher: Any) -> Callable[..., Any]:
    """The kernel's Python source as a plain function that calls only interpreted kernels."""
    with _lock:
        twin = _twins.get(id(dispatcher))
        if twin is None:
            source = dispatcher.py_func
            twin = types.FunctionType(
                source.__code__,
                _globals_for(source.__globals__),
                source.__name__,
                source.__defaults__,
                source.__closure__,
            )
            twin.__kwdefaults__ = source.__kwdefaults__
            twin.__doc__ = source.__doc__
            _twins[id(dispatcher)] = twin
        return twin


def _globals_for(module_globals: dict[str, Any]) -> dict[str, Any]:
    """A copy of a kernel module's globals, its kernels and intrinsics swapped for their twins
    (one copy per module, shared by its kernels, so that mutual calls resolve)."""
    swapped = _twin_globals.get(id(module_globals))
    if swapped is None:
        swapped = dict(module_globals)
        _twin_globals[id(module_globals)] = swapped
        for name, value in module_globals.items():
            if isinstance(value, Dispatcher):
                swapped[name] = interpreted(value)
            elif id(value) in _stand_ins:
                swapped[name] = _stand_ins[id(value)]
    return swapped
