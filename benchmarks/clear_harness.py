"""What every measurement of ``benchmarks/clear.py`` shares: running a worker in a fresh
process of the script (so its peak RSS is its own), reading a process's memory, and the
figures' format in the tables."""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def fmt(x: Any, spec: str = ".3f") -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def high_water_mb() -> float:
    """This process's peak RSS since it started (VmHWM: unlike ``ru_maxrss``, not inherited
    from the parent that forked it)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return rss_mb()  # pragma: no cover - not Linux


SCRIPT = Path(__file__).with_name("clear.py")


def run_fresh(*arguments: str) -> dict[str, Any]:
    """Run ``clear.py`` with these arguments (a ``--worker``) in a fresh process; the JSON it
    prints last, or ``{"error": ...}`` with the last line it wrote to stderr."""
    done = subprocess.run([sys.executable, str(SCRIPT), *arguments],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["(no message)"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
