"""A new user's first run, measured: install, help, the first clear, the demo serving.

Usage::

    python benchmarks/first_run.py [--source DIR] [--venv DIR] [--repeat 5]

In a fresh virtual environment (``--venv``, default a new temporary folder; removed after
unless given) it runs what the README's quick start and a new user do, in order, each timed
from the moment the command starts:

- ``pip install SOURCE`` (the repository, default the one this script is in), and the size
  of the environment after it (``du``; issue 18's target: at most 450 MB);
- ``peerconomy --help`` and the help of a few commands that clear nothing (target 0.4 s),
  the median of ``--repeat`` runs, beside ``python -c pass`` in the same environment (the
  baseline: what any Python program costs to start here);
- the first ``peerconomy clear examples/farm.json`` after the install, nothing compiled and
  no cache (target 5 s), then the same again;
- ``peerconomy demo`` until its server answers (target 20 s after the install), polling
  ``/health`` every 0.1 s;
- ``peerconomy warm-up``, which compiles the engine for large pools (no target: the
  container image runs it at build time).

It prints one table, each figure with its ratio to the baseline. This is a script, not a
test: the figures depend on the machine (two busy cores make the compile slower).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(argv: list[str], *, cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _median(argv: list[str], repeat: int, *, cwd: Path, env: dict[str, str]) -> float:
    return statistics.median(_run(argv, cwd=cwd, env=env) for _ in range(repeat))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo_serving(peerconomy: str, *, cwd: Path, env: dict[str, str], limit: float) -> float:
    """Seconds from starting ``peerconomy demo`` to its server answering ``/health``."""
    port = _free_port()
    started = time.perf_counter()
    demo = subprocess.Popen(
        [peerconomy, "demo", "--file", str(cwd / "demo.sqlite3"), "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < limit:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                    return time.perf_counter() - started
            except OSError:
                if demo.poll() is not None:
                    raise RuntimeError(f"peerconomy demo exited with {demo.returncode}") from None
                time.sleep(0.1)
        raise RuntimeError(f"peerconomy demo did not serve within {limit:.0f} s")
    finally:
        demo.terminate()
        demo.wait(timeout=30)


def _megabytes(folder: Path) -> float:
    out = subprocess.run(["du", "-sm", str(folder)], check=True, capture_output=True, text=True)
    return float(out.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO, help="What to pip install.")
    parser.add_argument("--venv", type=Path, help="The fresh environment (kept if given).")
    parser.add_argument("--repeat", type=int, default=5, help="Runs of each help command.")
    args = parser.parse_args()

    keep = args.venv is not None
    venv = args.venv or Path(tempfile.mkdtemp(prefix="peerconomy-first-run-"))
    work = Path(tempfile.mkdtemp(prefix="peerconomy-first-run-work-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "PEERCONOMY_"))}
    env["HOME"] = str(work)  # no user-wide cache or data from an earlier run
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        bin_ = venv / "bin"
        python, peerconomy = str(bin_ / "python"), str(bin_ / "peerconomy")
        install = _run(
            [python, "-m", "pip", "install", "--quiet", str(args.source)], cwd=work, env=env
        )
        size = _megabytes(venv)
        shutil.copy(args.source / "examples" / "farm.json", work / "farm.json")
        baseline = _median([python, "-c", "pass"], args.repeat, cwd=work, env=env)
        rows: list[tuple[str, float, str]] = [
            ("pip install (s)", install, ""),
            ("environment (MB)", size, "<= 450"),
            ("python -c pass (s): baseline", baseline, ""),
        ]
        for command in (["--help"], ["user", "--help"], ["db", "--help"], ["pool", "--help"]):
            seconds = _median([peerconomy, *command], args.repeat, cwd=work, env=env)
            rows.append((f"peerconomy {' '.join(command)} (s)", seconds, "<= 0.4"))
        clear = [peerconomy, "clear", "farm.json", "--output", "plan.json"]
        rows.append(("first clear of farm.json (s)", _run(clear, cwd=work, env=env), "<= 5"))
        rows.append(("second clear of farm.json (s)", _run(clear, cwd=work, env=env), ""))
        serving = _demo_serving(peerconomy, cwd=work, env=env, limit=120)
        rows.append(("peerconomy demo until it serves (s)", serving, "<= 20"))
        warm_up = _run([peerconomy, "warm-up"], cwd=work, env=env)
        rows.append(("peerconomy warm-up (s)", warm_up, ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not keep:
            shutil.rmtree(venv, ignore_errors=True)

    print(f"{'measure':<40} {'value':>9} {'x baseline':>11}  target")
    for name, value, target in rows:
        ratio = "" if "(MB)" in name or "baseline" in name else f"{value / baseline:11.1f}"
        print(f"{name:<40} {value:9.2f} {ratio:>11}  {target}")


if __name__ == "__main__":
    main()
