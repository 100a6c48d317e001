"""The SQL store's shifts: a pool's shifts, the shifts offers name, placements, swap
proposals and who follows which project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Row, delete, func, insert, or_, select, update

from peerconomy.domain.shift_exchange import SwapProposal
from peerconomy.domain.shifts import Shift
from peerconomy.store import tables as t
from peerconomy.store.sql.identity_map import SqlRepository, writes

__all__ = ["SqlShiftRepository"]


def _shift(row: Row[Any]) -> Shift:
    return Shift(task=row.task, day=row.day, start=row.start_time, end=row.end_time,
                 place=row.place, slots=row.slots, note=row.note, cancelled=row.cancelled,
                 id=row.id)


def _values(shift: Shift) -> dict[str, Any]:
    return {"task": shift.task, "day": shift.day, "start_time": shift.start,
            "end_time": shift.end, "place": shift.place, "slots": shift.slots,
            "note": shift.note, "cancelled": shift.cancelled}


class SqlShiftRepository(SqlRepository):
    """:class:`~peerconomy.services.ports.ShiftRepository` on SQLite and PostgreSQL."""

    @writes
    def add(self, pool: str, shifts: Sequence[Shift]) -> list[Shift]:
        s = t.shifts.c
        last = self._c.execute(select(func.max(s.id)).where(s.pool == pool)).scalar() or 0
        stored = [replace(shift, id=last + n) for n, shift in enumerate(shifts, start=1)]
        if stored:
            self._c.execute(insert(t.shifts),
                            [{"pool": pool, "id": x.id, **_values(x)} for x in stored])
        return stored

    def get(self, pool: str, id: int) -> Shift | None:
        s = t.shifts.c
        row = self._c.execute(select(t.shifts).where(s.pool == pool, s.id == id)).first()
        return None if row is None else _shift(row)

    def of_pool(self, pool: str, *, task: str | None = None) -> list[Shift]:
        s = t.shifts.c
        query = select(t.shifts).where(s.pool == pool)
        if task is not None:
            query = query.where(s.task == task)
        rows = self._c.execute(query.order_by(s.day, s.start_time, s.id))
        return [_shift(row) for row in rows]

    @writes
    def put(self, pool: str, shift: Shift) -> None:
        s = t.shifts.c
        result = self._c.execute(update(t.shifts).where(s.pool == pool, s.id == shift.id)
                                 .values(**_values(shift)))
        if result.rowcount == 0:
            raise ValueError(f"no shift {shift.id} to replace")

    def availability(self, pool: str, number: int) -> dict[tuple[str, str], tuple[int, ...]]:
        o = t.offer_shifts.c
        rows = self._c.execute(
            select(o.participant, o.task, o.shift).where(o.pool == pool, o.period == number)
            .order_by(o.participant, o.task, o.shift))
        found: dict[tuple[str, str], list[int]] = {}
        for who, task, shift in rows:
            found.setdefault((who, task), []).append(shift)
        return {key: tuple(ids) for key, ids in found.items()}

    @writes
    def set_availability(self, pool: str, number: int, participant: str, task: str,
                         shifts: Sequence[int] | None) -> None:
        o = t.offer_shifts.c
        self._c.execute(delete(t.offer_shifts).where(
            o.pool == pool, o.period == number, o.participant == participant, o.task == task))
        if shifts:
            self._c.execute(insert(t.offer_shifts), [
                {"pool": pool, "period": number, "participant": participant, "task": task,
                 "shift": shift} for shift in sorted(set(shifts))])

    def placements(self, pool: str, number: int) -> list[tuple[int, str]]:
        p = t.shift_placements.c
        rows = self._c.execute(select(p.shift, p.participant)
                               .where(p.pool == pool, p.period == number)
                               .order_by(p.shift, p.participant))
        return [(shift, who) for shift, who in rows]

    def placed_pools(self, first: date, last: date) -> list[str]:
        p, s = t.shift_placements.c, t.shifts.c
        rows = self._c.execute(
            select(p.pool).distinct()
            .join_from(t.shift_placements, t.shifts, (s.pool == p.pool) & (s.id == p.shift))
            .where(s.cancelled.is_(False), s.day >= first, s.day <= last).order_by(p.pool))
        return [pool for (pool,) in rows]

    @writes
    def add_placements(self, pool: str, number: int, placed: Sequence[tuple[int, str]]) -> None:
        if placed:
            self._c.execute(insert(t.shift_placements), [
                {"pool": pool, "period": number, "shift": shift, "participant": who}
                for shift, who in placed])

    @writes
    def remove_placements(self, pool: str, number: int, *, shift: int | None = None,
                          participant: str | None = None) -> list[tuple[int, str]]:
        p = t.shift_placements.c
        where = [p.pool == pool, p.period == number]
        if shift is not None:
            where.append(p.shift == shift)
        if participant is not None:
            where.append(p.participant == participant)
        gone = self._c.execute(select(p.shift, p.participant).where(*where)
                               .order_by(p.shift, p.participant)).all()
        self._c.execute(delete(t.shift_placements).where(*where))
        return [(s, who) for s, who in gone]

    @writes
    def add_swap(self, pool: str, swap: SwapProposal) -> SwapProposal:
        w = t.shift_swaps.c
        last = self._c.execute(select(func.max(w.id)).where(w.pool == pool)).scalar() or 0
        stored = replace(swap, id=last + 1)
        self._c.execute(insert(t.shift_swaps), [{"pool": pool, "id": stored.id,
                                                 **_swap_values(stored)}])
        return stored

    def get_swap(self, pool: str, id: int) -> SwapProposal | None:
        w = t.shift_swaps.c
        row = self._c.execute(select(t.shift_swaps).where(w.pool == pool, w.id == id)).first()
        return None if row is None else _swap(row)

    def swaps(self, pool: str, *, participant: str | None = None) -> list[SwapProposal]:
        w = t.shift_swaps.c
        query = select(t.shift_swaps).where(w.pool == pool)
        if participant is not None:
            query = query.where(or_(w.proposer == participant, w.recipient == participant))
        return [_swap(row) for row in self._c.execute(query.order_by(w.id))]

    @writes
    def put_swap(self, pool: str, swap: SwapProposal) -> None:
        w = t.shift_swaps.c
        result = self._c.execute(update(t.shift_swaps).where(w.pool == pool, w.id == swap.id)
                                 .values(**_swap_values(swap)))
        if result.rowcount == 0:
            raise ValueError(f"no swap {swap.id} to replace")

    def followers(self, pool: str, project: str) -> list[str]:
        f = t.project_follows.c
        return list(self._c.execute(select(f.participant).where(
            f.pool == pool, f.project == project).order_by(f.participant)).scalars())

    def followed(self, pool: str, participant: str) -> list[str]:
        f = t.project_follows.c
        return list(self._c.execute(select(f.project).where(
            f.pool == pool, f.participant == participant).order_by(f.project)).scalars())

    @writes
    def set_following(self, pool: str, project: str, participant: str,
                      following: bool) -> None:
        f = t.project_follows.c
        self._c.execute(delete(t.project_follows).where(
            f.pool == pool, f.project == project, f.participant == participant))
        if following:
            self._c.execute(insert(t.project_follows).values(
                pool=pool, project=project, participant=participant))


def _swap(row: Row[Any]) -> SwapProposal:
    return SwapProposal(period=row.period, proposer=row.proposer, shift=row.shift,
                        to=row.recipient, their_shift=row.their_shift,
                        created_at=row.created_at, state=row.state,
                        decided_at=row.decided_at, id=row.id)


def _swap_values(swap: SwapProposal) -> dict[str, Any]:
    return {"period": swap.period, "proposer": swap.proposer, "shift": swap.shift,
            "recipient": swap.to, "their_shift": swap.their_shift, "state": swap.state,
            "created_at": swap.created_at, "decided_at": swap.decided_at}
