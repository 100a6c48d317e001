"""Shifts changing hands after clearing: handed back, taken, swapped; and the rules for it.

The plan is never changed by any of it. A member who **hands back** a shift leaves it before
it begins: the place returns to the open slots. A member **takes** an open slot (a place of
a shift in a cleared period that nobody fills) before it begins. A **swap** is proposed by a
member placed on a shift, to another member: either for one of that member's shifts of the
same task and period (each then works the other's), or outright (the other then works it);
the other accepts or declines, and the proposer may withdraw it while it waits. Accepting
exchanges the placements in one step, checked again then.

What holds for every change (:func:`may_join`): nobody joins a shift that has begun, is
cancelled or is full, that they are already on, or that overlaps one of their other shifts.
Nor does anyone leave, take or give away a shift that has begun (:func:`not_begun`: the one
check, and the one wording, every path uses).

>>> from datetime import date, time
>>> from peerconomy.domain.shifts import Shift
>>> berlin = zone("Europe/Berlin")
>>> harvest = Shift("harvest", date(2026, 5, 9), time(9), time(12), id=1)
>>> begun(harvest, berlin, datetime(2026, 5, 9, 7, 0, tzinfo=UTC))  # 09:00 in Berlin
True
>>> try:
...     not_begun(harvest, berlin, datetime(2026, 5, 9, 7, 0, tzinfo=UTC), "handed back")
... except ConflictError as refused:
...     print(refused)
shift 1 (harvest on 2026-05-09) has begun: it cannot be handed back
>>> overlap(harvest, Shift("milking", date(2026, 5, 9), time(11), time(13), id=2), berlin)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Literal
from zoneinfo import ZoneInfo

from peerconomy.domain.refusal import ConflictError
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import Shift

__all__ = [
    "SWAP_STATES",
    "SwapProposal",
    "SwapState",
    "begun",
    "may_join",
    "not_begun",
    "overlap",
    "zone",
]

SwapState = Literal["proposed", "accepted", "declined", "withdrawn"]
SWAP_STATES: Final[tuple[SwapState, ...]] = ("proposed", "accepted", "declined", "withdrawn")


@dataclass(frozen=True, slots=True)
class SwapProposal:
    """``proposer``'s proposal to hand shift ``shift`` (of period ``period``) to ``to``, for
    ``their_shift`` of ``to``'s (None: outright). ``id`` is the pool's number for it, given
    by the store (0 before)."""

    period: int
    proposer: str
    shift: int
    to: str
    their_shift: int | None
    created_at: datetime
    state: SwapState = "proposed"
    decided_at: datetime | None = None
    id: int = 0

    @property
    def pending(self) -> bool:
        """Whether it still waits for an answer."""
        return self.state == "proposed"


def begun(shift: Shift, where: ZoneInfo, now: datetime) -> bool:
    """Whether ``shift`` has begun at ``now`` (a pool in time zone ``where``)."""
    return shift.span(where)[0] <= now.astimezone(UTC)


def _said(shift: Shift) -> str:
    """How a refusal names ``shift``: its id, task and day."""
    return f"shift {shift.id} ({shift.task} on {shift.day.isoformat()})"


def not_begun(shift: Shift, where: ZoneInfo, now: datetime, doing: str = "") -> None:
    """Refuse (:class:`ConflictError`) a change to ``shift`` where it has begun at ``now``
    (a pool in time zone ``where``): "shift 4 (paint on 2026-05-07) has begun", followed by
    ": it cannot be <doing>" where ``doing`` is given ("handed back", "swapped")."""
    if begun(shift, where, now):
        raise ConflictError(f"{_said(shift)} has begun"
                            + (f": it cannot be {doing}" if doing else ""))


def overlap(a: Shift, b: Shift, where: ZoneInfo) -> bool:
    """Whether shifts ``a`` and ``b`` share a moment (touching ends do not)."""
    a_begins, a_ends = a.span(where)
    b_begins, b_ends = b.span(where)
    return a_begins < b_ends and b_begins < a_ends


def may_join(who: str, shift: Shift, people: Iterable[str], theirs: Iterable[Shift],
             where: ZoneInfo, now: datetime) -> None:
    """Refuse (:class:`ConflictError`, saying why) ``who`` joining ``shift``, where
    ``people`` are on it now and ``theirs`` are ``who``'s other shifts: a shift cancelled,
    begun, full, already theirs, or overlapping one of theirs."""
    on = list(people)
    said = _said(shift)
    if shift.cancelled:
        raise ConflictError(f"{said} is cancelled")
    not_begun(shift, where, now)
    if who in on:
        raise ConflictError(f"{who!r} is on {said} already")
    if len(on) >= shift.slots:
        raise ConflictError(f"{said} is full: its {shift.slots} places are taken")
    for other in theirs:
        if other.id != shift.id and overlap(other, shift, where):
            raise ConflictError(f"{said} overlaps shift {other.id} ({other.task} on"
                                f" {other.day.isoformat()}), which {who!r} is on")
