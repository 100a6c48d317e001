"""The memory store's shifts: a pool's shifts by id, the shifts offers name, placements,
swap proposals and who follows which project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from peerconomy.domain.shift_exchange import SwapProposal
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

    def placed_pools(self, first: date, last: date) -> list[str]:
        found = set()
        for (pool, _), placed in self._s.placements.items():
            shifts = self._s.shifts.get(pool, {})
            if any((s := shifts.get(id)) is not None and not s.cancelled
                   and first <= s.day <= last for id, _ in placed):
                found.add(pool)
        return sorted(found)

    def add_placements(self, pool: str, number: int, placed: Sequence[tuple[int, str]]) -> None:
        self._s.placements.setdefault((pool, number), []).extend(placed)

    def remove_placements(self, pool: str, number: int, *, shift: int | None = None,
                          participant: str | None = None) -> list[tuple[int, str]]:
        kept = self._s.placements.get((pool, number), [])

        def chosen(p: tuple[int, str]) -> bool:
            return shift in (None, p[0]) and participant in (None, p[1])

        self._s.placements[(pool, number)] = [p for p in kept if not chosen(p)]
        return sorted(p for p in kept if chosen(p))

    def add_swap(self, pool: str, swap: SwapProposal) -> SwapProposal:
        kept = self._s.swaps.setdefault(pool, {})
        stored = replace(swap, id=max(kept, default=0) + 1)
        kept[stored.id] = stored
        return stored

    def get_swap(self, pool: str, id: int) -> SwapProposal | None:
        return self._s.swaps.get(pool, {}).get(id)

    def swaps(self, pool: str, *, participant: str | None = None) -> list[SwapProposal]:
        return [s for _, s in sorted(self._s.swaps.get(pool, {}).items())
                if participant in (None, s.proposer, s.to)]

    def put_swap(self, pool: str, swap: SwapProposal) -> None:
        kept = self._s.swaps.get(pool, {})
        if swap.id not in kept:
            raise ValueError(f"no swap {swap.id} to replace")
        kept[swap.id] = swap

    def followers(self, pool: str, project: str) -> list[str]:
        return sorted(who for p, who in self._s.follows.get(pool, []) if p == project)

    def followed(self, pool: str, participant: str) -> list[str]:
        return sorted(p for p, who in self._s.follows.get(pool, []) if who == participant)

    def set_following(self, pool: str, project: str, participant: str,
                      following: bool) -> None:
        kept = [f for f in self._s.follows.get(pool, []) if f != (project, participant)]
        self._s.follows[pool] = [*kept, (project, participant)] if following else kept
