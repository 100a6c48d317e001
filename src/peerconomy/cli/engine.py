"""``peerconomy warm-up``: compile the clearing engine now, not on a large pool's first clear."""

from __future__ import annotations

import time

from peerconomy.cli.common import terminal


def warm_up() -> None:
    """Compile the clearing engine's kernels (or load them from numba's cache) and say so.

    A small pool clears at once without them; a large one would compile them on its first
    clear, which takes up to a minute. Run this once after installing or upgrading, as the
    container image does when it is built; later runs load the cache in about a second.
    """
    console = terminal()
    started = time.perf_counter()
    console.print("Compiling the clearing engine (or loading it from the cache):")
    from peerconomy.mechanisms.warm_up import warm_up as compile_kernels

    compile_kernels(lambda name: console.print(f"  {name}…", highlight=False))
    console.print(
        f"[green]✓[/green] the clearing engine is ready "
        f"({time.perf_counter() - started:.1f} s)"
    )
