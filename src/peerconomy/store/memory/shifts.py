"""The memory store's shifts: a pool's shifts by id, the shifts offers name, placements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from peerconomy.domain.shifts import Shift
from peerconomy.store.memory.state import Repository

__all__ = ["MemoryShiftRepository"]


class MemoryShiftRepository(Repository):
    """:class:`~peerconomy.services.ports.ShiftRepository` in memory."""

    def add(self, pool: str, shifts: Sequence[Shift]) -> list[Shift]:
        kept = self._s.shifts.setdefault(pool, {})
        last = max(kept, default=0)
        stored = [replace(s, id=last + n) for n, s in enumerate(shifts, start=1)]
        for s in stored:
            kept[s.id] = s
        return stored

    def get(self, pool: str, id: int) -> Shift | None:
        return self._s.shifts.get(pool, {}).get(id)

    def of_pool(self, pool: str, *, task: str | None = None) -> list[Shift]:
        return sorted((s for s in self._s.shifts.get(pool, {}).values()
                       if task in (None, s.task)), key=lambda s: (s.day, s.start, s.id))

    def put(self, pool: str, shift: Shift) -> None:
        kept = self._s.shifts.get(pool, {})
        if shift.id not in kept:
            raise ValueError(f"no shift {shift.id} to replace")
        kept[shift.id] = shift

    def availability(self, pool: str, number: int) -> dict[tuple[str, str], tuple[int, ...]]:
        return dict(sorted(self._s.offer_shifts.get((pool, number), {}).items()))

    def set_availability(self, pool: str, number: int, participant: str, task: str,
                         shifts: Sequence[int] | None) -> None:
        named = self._s.offer_shifts.setdefault((pool, number), {})
        if shifts:
            named[(participant, task)] = tuple(sorted(set(shifts)))
        else:
            named.pop((participant, task), None)

    def placements(self, pool: str, number: int) -> list[tuple[int, str]]:
        return sorted(self._s.placements.get((pool, number), []))

    def add_placements(self, pool: str, number: int, placed: Sequence[tuple[int, str]]) -> None:
        self._s.placements.setdefault((pool, number), []).extend(placed)

    def remove_placements(self, pool: str, number: int, *, shift: int | None = None
                          ) -> list[tuple[int, str]]:
        kept = self._s.placements.get((pool, number), [])
        gone = sorted(p for p in kept if shift in (None, p[0]))
        self._s.placements[(pool, number)] = [p for p in kept if shift not in (None, p[0])]
        return gone
