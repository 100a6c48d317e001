"""The plans a store has read, kept parsed for the next reader: every page shows the latest
plan, and reading and parsing its JSON on every request would cost more than the rest of
the page."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from peerconomy.domain.pool import Plan

__all__ = ["PlanCache"]


class PlanCache:
    """Plans as read from the database, kept parsed for the next reader (thread-safe).

    A plan is never changed once stored, and every page shows the latest one: reading and
    parsing its JSON on every request would cost more than the rest of the page. A reader
    still asks the database for the plan's stamp (input hash and time of clearing, a few
    bytes), and takes the kept plan only if the stamp matches, so a plan that was rolled back
    or replaced by a restore is never served. At most ``max_chars`` of plan JSON are kept, the
    least recently read plans dropped first.
    """

    def __init__(self, max_chars: int = 64_000_000) -> None:
        self._max_chars = max_chars
        self._kept: OrderedDict[tuple[str, int], tuple[Plan, int]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, pool: str, number: int, input_hash: str, cleared_at: datetime) -> Plan | None:
        """The kept plan of that period, if it has this stamp."""
        with self._lock:
            kept = self._kept.get((pool, number))
            if kept is None:
                return None
            plan = kept[0]
            if plan.input_hash != input_hash or plan.cleared_at != cleared_at:
                return None
            self._kept.move_to_end((pool, number))
            return plan

    def put(self, plan: Plan, chars: int) -> None:
        """Keep ``plan``, read from ``chars`` characters of JSON."""
        if chars > self._max_chars:
            return
        with self._lock:
            old = self._kept.pop((plan.pool, plan.period), None)
            if old is not None:
                self._chars -= old[1]
            self._kept[(plan.pool, plan.period)] = (plan, chars)
            self._chars += chars
            while self._chars > self._max_chars:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._chars -= dropped
