"""Running pieces of work as Ray tasks: the runner the federation's clearing and the
simulator's sweep use when asked for Ray.

Ray is started on first use: ``ray.init(address=address)`` where an address is given (an
existing cluster, e.g. ``ray://head:10001`` or ``auto``), else a local Ray with as many
CPUs as the machine has. A process that already runs Ray (``ray.is_initialized()``) keeps
it, and it stays up for further calls until the process ends or calls ``ray.shutdown()``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["ensure_ray", "on_ray", "unordered"]


def ensure_ray(address: str | None = None) -> None:
    """Start (or join) Ray unless this process already has it."""
    import ray

    if not ray.is_initialized():
        ray.init(
            address=address,
            include_dashboard=False,
            logging_level=logging.WARNING,
            log_to_driver=False,
        )


def on_ray(
    address: str | None = None,
) -> Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]:
    """A runner that calls ``function(*job)`` for every job as a Ray task; results in order."""
    ensure_ray(address)

    def run(function: Callable[..., Any], jobs: Sequence[tuple[Any, ...]]) -> list[Any]:
        import ray

        if not jobs:
            return []
        remote = ray.remote(function)
        return list(ray.get([remote.remote(*job) for job in jobs]))

    return run


def unordered(
    function: Callable[..., Any], jobs: Sequence[tuple[Any, ...]], address: str | None = None
) -> Iterator[tuple[int, Any]]:
    """``(index, function(*jobs[index]))`` as each Ray task finishes, in the order they do."""
    import ray

    ensure_ray(address)
    remote = ray.remote(function)
    pending = {remote.remote(*job): i for i, job in enumerate(jobs)}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            yield pending.pop(ref), ray.get(ref)
