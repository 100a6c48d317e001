"""The SQL store's shifts: a pool's shifts, the shifts offers name, and placements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update

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

    @writes
    def add_placements(self, pool: str, number: int, placed: Sequence[tuple[int, str]]) -> None:
        if placed:
            self._c.execute(insert(t.shift_placements), [
                {"pool": pool, "period": number, "shift": shift, "participant": who}
                for shift, who in placed])

    @writes
    def remove_placements(self, pool: str, number: int, *, shift: int | None = None
                          ) -> list[tuple[int, str]]:
        p = t.shift_placements.c
        where = [p.pool == pool, p.period == number]
        if shift is not None:
            where.append(p.shift == shift)
        gone = self._c.execute(select(p.shift, p.participant).where(*where)
                               .order_by(p.shift, p.participant)).all()
        self._c.execute(delete(t.shift_placements).where(*where))
        return [(s, who) for s, who in gone]
