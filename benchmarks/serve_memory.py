"""The memory ``peerconomy serve`` needs: its resident set idle and its peak while it clears a
pool, for docs/deploy.md.

Usage::

    python benchmarks/serve_memory.py [--scenario demo|farm] [--warm]

It builds the pool on a SQLite file in a temporary folder (``demo``: ``peerconomy demo
--no-serve``, about thirty people after two periods; ``farm``: ``examples/farm.json``
imported, its coordinator claimed), starts ``peerconomy serve`` (one worker) on it, and reads
``/proc/PID/status`` of the server process:

- after it answers ``/health`` (idle: ``VmRSS``, and ``VmHWM``, the peak so far);
- after the coordinator signs in eight times at once (as many sign-ins as the server has
  threads; each checks the password with argon2, 64 MiB while it works) and the pool's API
  reads have been asked for once each (``VmHWM``);
- after the coordinator clears the pool's period through the API (``VmHWM``, the peak
  resident set of the whole run, clearing included).

The run uses a numba cache folder of its own, empty (the first clear after an install)
unless ``--warm``, which clears once in a server first. A pool of these sizes clears on the
kernels' Python source either way (``mechanisms/_jit.py``), so the two should agree; what
compiling costs is measured by timing ``peerconomy warm-up`` with an empty cache.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
PEERCONOMY = [sys.executable, "-m", "peerconomy"]
SIGN_INS = 8
"""Sign-ins at once: the server's threads (``PEERCONOMY_THREADS``, 8 by default)."""


def status_kb(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` of process ``pid``, in kB."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def call(url: str, method: str = "GET", body: Any = None, token: str | None = None
         ) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            text = answer.read()
            status = int(answer.status)
    except urllib.error.HTTPError as error:
        text, status = error.read(), error.code
    kind = "json" if text[:1] in (b"{", b"[") else "text"
    return status, json.loads(text) if kind == "json" else text


def build(scenario: str, folder: Path, env: dict[str, str]) -> tuple[Path, str, str, str]:
    """The pool's SQLite file, its name, and a coordinator's login and password."""
    db = folder / f"{scenario}.sqlite3"
    if scenario == "demo":
        out = subprocess.run([*PEERCONOMY, "demo", "--no-serve", "--file", str(db)], env=env,
                             capture_output=True, text=True, check=True).stdout
        found = re.search(r"^\s*ana\s+password\s+(\S+)\s+coordinator", out, re.M)
        assert found, out
        return db, "demo", "ana", found.group(1)
    url = f"sqlite:///{db}"
    subprocess.run([*PEERCONOMY, "pool", "import", str(REPOSITORY / "examples" / "farm.json"),
                    "--pool", "farm", "--db", url, "--invitations", str(folder / "inv.csv")],
                   env=env, capture_output=True, text=True, check=True)
    made = subprocess.run([*PEERCONOMY, "user", "create", "coord", "--email",
                           "coord@example.org", "--admin", "--db", url], env=env,
                          capture_output=True, text=True, check=True).stdout
    code = made.strip().rsplit("/reset/", 1)[1]
    return db, "farm", "coord", f"{code}|coordinator password"


def measure(db: Path, pool: str, login: str, password: str, env: dict[str, str]
            ) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*PEERCONOMY, "serve", "--db", f"sqlite:///{db}", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if call(base + "/health")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.2)
        time.sleep(2)
        idle = status_kb(server.pid)  # before anyone signs in
        if "|" in password:  # a one-time link's code: set the password first
            code, password = password.split("|")
            status, _ = call(f"{base}/api/v1/auth/password-reset/{code}", "POST",
                             {"password": password})
            assert status in (200, 204), status
        # sign-ins at once, as many as the server has threads: each checks a password with
        # argon2, which takes 64 MiB while it works
        with ThreadPoolExecutor(SIGN_INS) as pool_of_threads:
            answers = list(pool_of_threads.map(
                lambda _: call(base + "/api/v1/auth/tokens", "POST",
                               {"login": login, "password": password}), range(SIGN_INS)))
        assert all(status == 201 for status, _ in answers), answers
        token = answers[0][1]["token"]
        for path in ("", "/period", "/tasks", "/goods", "/hints", "/ledger/balances"):
            call(f"{base}/api/v1/pools/{pool}{path}", token=token)
        time.sleep(1)
        signed_in = status_kb(server.pid)
        started = time.perf_counter()
        status, plan = call(f"{base}/api/v1/pools/{pool}/period/clear", "POST", token=token)
        assert status == 200, (status, str(plan)[:300])
        seconds = time.perf_counter() - started
        time.sleep(1)
        after = status_kb(server.pid)
    finally:
        server.terminate()
        server.wait(30)
    return {"idle_rss_mb": idle["VmRSS"] / 1024, "idle_hwm_mb": idle["VmHWM"] / 1024,
            "sign_in_hwm_mb": signed_in["VmHWM"] / 1024,
            "after_rss_mb": after["VmRSS"] / 1024, "peak_mb": after["VmHWM"] / 1024,
            "clear_s": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=("demo", "farm"), default="demo")
    parser.add_argument("--warm", action="store_true",
                        help="compile the kernels first (numba's cache filled)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PEERCONOMY_")}
        env.update(XDG_DATA_HOME=str(folder / "data"), NUMBA_CACHE_DIR=str(folder / "numba"),
                   PEERCONOMY_SECRET_KEY="memory", PEERCONOMY_LOG_LEVEL="warning")
        # the pool is built with a cache of its own (the demo clears two periods)
        building = {**env, "NUMBA_CACHE_DIR": str(folder / "numba-build")}
        for run in ("first", "run") if args.warm else ("run",):
            (folder / run).mkdir()
            result = measure(*build(args.scenario, folder / run, building), env)
    cache = "warm" if args.warm else "cold"
    print(f"peerconomy serve, {args.scenario} pool on SQLite, numba cache {cache}: "
          f"idle {result['idle_rss_mb']:.0f} MB RSS (peak so far {result['idle_hwm_mb']:.0f}"
          f" MB); peak after {SIGN_INS} sign-ins at once {result['sign_in_hwm_mb']:.0f} MB;"
          f" clearing took {result['clear_s']:.1f} s, peak {result['peak_mb']:.0f} MB,"
          f" {result['after_rss_mb']:.0f} MB RSS after")


if __name__ == "__main__":
    main()
