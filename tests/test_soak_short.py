"""The soak of ``benchmarks/soak.py``, short: ``peerconomy serve`` on SQLite under a steady
mix of page views, API reads, offers, wishes and work logs for 20 seconds answers every
request as expected, and afterwards (the work credited) the books balance.

No timing is asserted (the machine running the tests may be busy); the server's memory at the
start and the end is printed, not checked.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from soak import report, run_soak

RATE = 15.0
SECONDS = 20.0


def test_a_short_soak_answers_every_request_and_leaves_the_books_balanced(
    tmp_path: Path,
) -> None:
    result = run_soak(f"sqlite:///{tmp_path / 'soak.db'}", rate=RATE, seconds=SECONDS,
                      members=6, workers=1, log=lambda _: None)
    report(result, f"short soak on SQLite: {RATE:g} req/s for {SECONDS:g} s")
    assert result.requests >= RATE * SECONDS
    assert result.errors == 0, result.error_samples
    assert result.balanced, result.ledger_sums
    assert result.transactions >= 3  # period 1 of both pools settled, with the work credited
