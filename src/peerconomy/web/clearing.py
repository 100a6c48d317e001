"""Clearing in the background, so that a coordinator's page can show progress while a large
pool clears: one job per pool, run in a thread of this process.

The service locks the pool while it clears, so two processes (or a job and the API) cannot
clear one period twice; this registry only keeps one process from starting a second job for a
pool whose first is still running, and remembers how the last one ended until it is shown.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from peerconomy.domain.refusal import Refusal
from peerconomy.services.errors import ConflictError

__all__ = ["ClearingJob", "ClearingJobs", "JobState"]

JobState = Literal["running", "done", "failed"]
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClearingJob:
    """One pool's clearing: when it started, how it stands, and why it failed."""

    pool: str
    started: float
    """``time.monotonic()`` when it started."""
    state: JobState = "running"
    message: str = ""
    finished: float | None = None

    def seconds(self) -> float:
        """How long it ran (so far)."""
        return (self.finished or time.monotonic()) - self.started


class ClearingJobs:
    """The clearing jobs of one application, by pool."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, ClearingJob] = {}

    def start(self, pool: str, clear: Callable[[], object]) -> ClearingJob:
        """Run ``clear`` in a thread as ``pool``'s job; refused while one is running."""
        with self._lock:
            running = self._jobs.get(pool)
            if running is not None and running.state == "running":
                raise ConflictError(f"pool {pool!r} is being cleared already")
            job = self._jobs[pool] = ClearingJob(pool, time.monotonic())
        threading.Thread(
            target=self._run, args=(job, clear), name=f"clear {pool}", daemon=True
        ).start()
        return job

    def _run(self, job: ClearingJob, clear: Callable[[], object]) -> None:
        try:
            clear()
        except Refusal as error:
            self._finish(job, "failed", str(error))
        except Exception as error:  # pragma: no cover - a bug, logged, shown as a failure
            _log.exception("clearing pool %r failed", job.pool)
            self._finish(job, "failed", f"{type(error).__name__}: {error}")
        else:
            self._finish(job, "done")

    def _finish(self, job: ClearingJob, state: JobState, message: str = "") -> None:
        with self._lock:
            if self._jobs.get(job.pool) is job:
                self._jobs[job.pool] = replace(
                    job, state=state, message=message, finished=time.monotonic()
                )

    def get(self, pool: str) -> ClearingJob | None:
        """The pool's job, running or finished (None: none since the last was shown)."""
        with self._lock:
            return self._jobs.get(pool)

    def forget(self, pool: str) -> None:
        """Drop a finished job (once its outcome has been shown)."""
        with self._lock:
            job = self._jobs.get(pool)
            if job is not None and job.state != "running":
                del self._jobs[pool]
