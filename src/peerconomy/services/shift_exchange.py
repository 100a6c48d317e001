"""Shifts changing hands after clearing: a member hands one back, takes an open slot, or
swaps with another member who accepts; members follow projects to hear of open slots.

The plan is not changed by any of it (:mod:`peerconomy.domain.shift_exchange`): the hours
assigned, the shares and the planned credits stay as cleared. What a member is credited is
what they log and is confirmed (:mod:`peerconomy.domain.work`): who hands a shift back
simply logs no work for it; who takes a slot on a task they were not assigned logs it as
work beyond the plan, which counts once a coordinator accepts it, up to what the task still
needs.

An **open slot** is a free place on a shift of a cleared, dated period (the current one or
the one before) that is not cancelled and has not begun: handed back, or never filled. The
hint board lists them by date (:func:`open_slots`). A place that opens (handed back, or a
one-off shift added to a cleared period) records
:class:`~peerconomy.domain.events.SlotOpened`, whose handler tells the project's followers;
a swap proposed or answered records :class:`~peerconomy.domain.events.SwapProposed` or
:class:`~peerconomy.domain.events.SwapAnswered`, whose handlers tell the other member.
Every step locks the pool, so two members taking the last place at once get it once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from peerconomy.domain.events import SlotOpened, SwapAnswered, SwapProposed
from peerconomy.domain.pool import Period
from peerconomy.domain.schedule import zone
from peerconomy.domain.shift_exchange import (
    SwapProposal,
    SwapState,
    begun,
    may_join,
    not_begun,
)
from peerconomy.domain.shifts import Shift
from peerconomy.services import lookup, messagebus
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, InputError, NotFoundError
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.shifts import period_of, placed_periods

__all__ = [
    "MySwaps",
    "OpenSlot",
    "SwapChoice",
    "SwapView",
    "answer_swap",
    "follow",
    "followed",
    "hand_back",
    "my_swaps",
    "open_slots",
    "propose_swap",
    "swap_choices",
    "swap_view",
    "take_slot",
]

@dataclass(frozen=True, slots=True)
class OpenSlot:
    """A shift with places nobody fills, of period ``period``, task of ``project``."""

    shift: Shift
    period: int
    project: str
    free: int


def _where(uow: UnitOfWork, pool: str, *, lock: bool = False) -> ZoneInfo:
    return zone(lookup.pool(uow, pool, lock=lock).settings.schedule.time_zone)


def _people(uow: UnitOfWork, pool: str, period: int, shift: int) -> list[str]:
    return [who for id, who in uow.shifts.placements(pool, period) if id == shift]


def _theirs(uow: UnitOfWork, pool: str, period: int, who: str) -> list[Shift]:
    """``who``'s shifts in ``period``."""
    ids = [id for id, person in uow.shifts.placements(pool, period) if person == who]
    return [s for s in (uow.shifts.get(pool, id) for id in ids) if s is not None]


def _placed_shift(uow: UnitOfWork, pool: str, who: str, id: int) -> tuple[Shift, Period]:
    """Shift ``id`` and its period, where ``who`` is placed on it; else not found."""
    shift = uow.shifts.get(pool, id)
    period = None if shift is None else period_of(uow, pool, shift)
    if shift is None or period is None or who not in _people(uow, pool, period.number, id):
        raise NotFoundError("shift of yours", id, pool)
    return shift, period


def _open_free(uow: UnitOfWork, pool: str, shift: Shift, period: Period) -> int:
    return max(shift.slots - len(_people(uow, pool, period.number, shift.id)), 0)


def hand_back(uow: UnitOfWork, pool: str, participant: str, shift: int, *,
              now: datetime | None = None) -> Shift:
    """``participant`` leaves shift ``shift`` before it begins: the place opens for others
    and the project's followers are told. Not found: a shift they are not placed on."""
    moment = now or datetime.now(UTC)
    with uow:
        where = _where(uow, pool, lock=True)
        found, period = _placed_shift(uow, pool, participant, shift)
        not_begun(found, where, moment, "handed back")
        uow.shifts.remove_placements(pool, period.number, shift=shift, participant=participant)
        record(uow, pool, "shift.hand_back", actor=participant, subject=shift, now=moment,
               detail={"period": period.number, "task": found.task})
        messagebus.record(uow, SlotOpened(pool, found, _open_free(uow, pool, found, period),
                                          participant, moment))
        messagebus.commit(uow)
    return found


def take_slot(uow: UnitOfWork, pool: str, participant: str, shift: int, *,
              now: datetime | None = None) -> Shift:
    """``participant`` takes a free place on shift ``shift`` (an open slot); refused for a
    shift that is cancelled, begun, full, already theirs, overlapping one of theirs, or not
    in a cleared period."""
    moment = now or datetime.now(UTC)
    with uow:
        where = _where(uow, pool, lock=True)
        lookup.member(uow, pool, participant)
        found = uow.shifts.get(pool, shift)
        if found is None:
            raise NotFoundError("shift", shift, pool)
        period = period_of(uow, pool, found)
        if period is None:
            raise ConflictError(f"shift {shift} is not open yet: its places are given out"
                                " when its period is cleared")
        may_join(participant, found, _people(uow, pool, period.number, shift),
                 _theirs(uow, pool, period.number, participant), where, moment)
        uow.shifts.add_placements(pool, period.number, [(shift, participant)])
        record(uow, pool, "shift.take", actor=participant, subject=shift, now=moment,
               detail={"period": period.number, "task": found.task})
        uow.commit()
    return found


def open_slots(uow: UnitOfWork, pool: str, *, now: datetime | None = None,
               project: str | None = None) -> list[OpenSlot]:
    """The pool's open slots (of ``project``'s tasks, if given) by date and time."""
    moment = now or datetime.now(UTC)
    with uow:
        where = _where(uow, pool)
        projects = {t.id: t.project for t in uow.pools.tasks(pool)}
        found: list[OpenSlot] = []
        for period in placed_periods(uow, pool):
            assert period.starts_on is not None and period.ends_on is not None
            taken: dict[int, int] = {}
            for id, _ in uow.shifts.placements(pool, period.number):
                taken[id] = taken.get(id, 0) + 1
            for s in uow.shifts.of_pool(pool):
                free = s.slots - taken.get(s.id, 0)
                if (free > 0 and not s.cancelled and period.starts_on <= s.day <= period.ends_on
                        and not begun(s, where, moment)
                        and project in (None, projects.get(s.task))):
                    found.append(OpenSlot(s, period.number, projects.get(s.task, ""), free))
    found.sort(key=lambda o: (o.shift.day, o.shift.start, o.shift.id))
    return found


def propose_swap(uow: UnitOfWork, pool: str, proposer: str, shift: int, to: str,
                 their_shift: int | None = None, *, now: datetime | None = None
                 ) -> SwapProposal:
    """``proposer`` proposes to hand their shift ``shift`` to member ``to``: for ``to``'s
    shift ``their_shift`` of the same task and period, or outright (None). ``to`` is
    told."""
    moment = now or datetime.now(UTC)
    with uow:
        where = _where(uow, pool, lock=True)
        found, period = _placed_shift(uow, pool, proposer, shift)
        not_begun(found, where, moment, "swapped")
        other = uow.pools.member(pool, to)
        if to == proposer or other is None or not other.active:
            raise InputError("to", f"must be another member of the pool, got {to!r}"[:200])
        if their_shift is not None:
            theirs = uow.shifts.get(pool, their_shift)
            if theirs is None or to not in _people(uow, pool, period.number, their_shift):
                raise InputError("their_shift", f"must be a shift {to!r} is placed on in"
                                                f" period {period.number}, got {their_shift}")
            if theirs.task != found.task:
                raise InputError("their_shift", f"must be a shift of task {found.task!r}"
                                                f" (a swap keeps the tasks), got {their_shift}"
                                                f" of {theirs.task!r}")
            not_begun(theirs, where, moment, "swapped")
        _check_exchange(uow, pool, proposer, found, to, their_shift, period, where, moment)
        for pending in uow.shifts.swaps(pool, participant=proposer):
            if pending.pending and (pending.shift, pending.to, pending.their_shift) == (
                    shift, to, their_shift):
                raise ConflictError(f"swap {pending.id} proposes this already")
        swap = uow.shifts.add_swap(pool, SwapProposal(period.number, proposer, shift, to,
                                                      their_shift, moment))
        record(uow, pool, "shift.swap.propose", actor=proposer, subject=swap.id, now=moment,
               detail={"shift": shift, "to": to, "their_shift": their_shift})
        messagebus.record(uow, SwapProposed(pool, swap, moment))
        messagebus.commit(uow)
    return swap


def _check_exchange(uow: UnitOfWork, pool: str, proposer: str, shift: Shift, to: str,
                    their_shift: int | None, period: Period, where: ZoneInfo,
                    now: datetime) -> None:
    """Refuse an exchange that would put ``to`` on ``shift`` (and ``proposer`` on
    ``their_shift``) against :func:`~peerconomy.domain.shift_exchange.may_join`: each
    judged as if they had left the shift they give."""
    number = period.number
    others = [who for who in _people(uow, pool, number, shift.id) if who != proposer]
    theirs = [s for s in _theirs(uow, pool, number, to) if s.id != their_shift]
    may_join(to, shift, others, theirs, where, now)
    if their_shift is not None:
        given = uow.shifts.get(pool, their_shift)
        assert given is not None
        people = [who for who in _people(uow, pool, number, their_shift) if who != to]
        mine = [s for s in _theirs(uow, pool, number, proposer) if s.id != shift.id]
        may_join(proposer, given, people, mine, where, now)


def answer_swap(uow: UnitOfWork, pool: str, participant: str, swap: int, answer: SwapState,
                *, now: datetime | None = None) -> SwapProposal:
    """Answer swap proposal ``swap``: its recipient ``accepted`` (the placements are
    exchanged, checked again now) or ``declined`` it, or its proposer ``withdrew`` it; the
    other member is told. Not found: a proposal ``participant`` may not answer so."""
    moment = now or datetime.now(UTC)
    with uow:
        where = _where(uow, pool, lock=True)
        found = uow.shifts.get_swap(pool, swap)
        answerer = None if found is None else (
            found.proposer if answer == "withdrawn" else found.to)
        if found is None or answer == "proposed" or answerer != participant:
            raise NotFoundError("swap proposal to answer", swap, pool)
        if not found.pending:
            raise ConflictError(f"swap {swap} is {found.state} already")
        if answer == "accepted":
            _exchange(uow, pool, found, where, moment)
        answered = replace(found, state=answer, decided_at=moment)
        uow.shifts.put_swap(pool, answered)
        record(uow, pool, f"shift.swap.{answer}", actor=participant, subject=swap, now=moment,
               detail={"shift": found.shift, "their_shift": found.their_shift})
        messagebus.record(uow, SwapAnswered(pool, answered, moment))
        messagebus.commit(uow)
    return answered


def _exchange(uow: UnitOfWork, pool: str, swap: SwapProposal, where: ZoneInfo,
              now: datetime) -> None:
    """Inside the answer's transaction: move the proposer's place to the recipient (and the
    recipient's to the proposer), where both still hold it and the rules allow."""
    gone = ConflictError(f"swap {swap.id} no longer fits: a shift of it changed hands, was"
                         " cancelled or has begun")
    number = swap.period
    shift = uow.shifts.get(pool, swap.shift)
    if shift is None or swap.proposer not in _people(uow, pool, number, swap.shift):
        raise gone
    if swap.their_shift is not None and swap.to not in _people(uow, pool, number,
                                                               swap.their_shift):
        raise gone
    period = uow.periods.get(pool, number)
    assert period is not None
    lookup.member(uow, pool, swap.to)
    lookup.member(uow, pool, swap.proposer)
    _check_exchange(uow, pool, swap.proposer, shift, swap.to, swap.their_shift, period, where,
                    now)
    uow.shifts.remove_placements(pool, number, shift=swap.shift, participant=swap.proposer)
    moved = [(swap.shift, swap.to)]
    if swap.their_shift is not None:
        uow.shifts.remove_placements(pool, number, shift=swap.their_shift, participant=swap.to)
        moved.append((swap.their_shift, swap.proposer))
    uow.shifts.add_placements(pool, number, moved)


@dataclass(frozen=True, slots=True)
class SwapView:
    """A pending swap proposal with its shifts."""

    swap: SwapProposal
    shift: Shift
    their_shift: Shift | None


@dataclass(frozen=True, slots=True)
class MySwaps:
    """The pending swap proposals made to a member (``incoming``) and by them
    (``outgoing``), by id."""

    incoming: tuple[SwapView, ...]
    outgoing: tuple[SwapView, ...]


def _view(uow: UnitOfWork, pool: str, swap: SwapProposal) -> SwapView:
    shift = uow.shifts.get(pool, swap.shift)
    theirs = None if swap.their_shift is None else uow.shifts.get(pool, swap.their_shift)
    assert shift is not None
    return SwapView(swap, shift, theirs)


def swap_view(uow: UnitOfWork, pool: str, swap: SwapProposal) -> SwapView:
    """``swap`` with its shifts."""
    with uow:
        return _view(uow, pool, swap)


def my_swaps(uow: UnitOfWork, pool: str, participant: str) -> MySwaps:
    """``participant``'s pending swap proposals (see :class:`MySwaps`)."""
    with uow:
        lookup.pool(uow, pool)
        views = [_view(uow, pool, s) for s in uow.shifts.swaps(pool, participant=participant)
                 if s.pending]
    return MySwaps(tuple(v for v in views if v.swap.to == participant),
                   tuple(v for v in views if v.swap.proposer == participant))


@dataclass(frozen=True, slots=True)
class SwapChoice:
    """Whom a member may propose a swap of one of their shifts to: ``to``, for
    ``their_shift`` (None: outright)."""

    to: str
    their_shift: Shift | None


def swap_choices(uow: UnitOfWork, pool: str, participant: str, *,
                 now: datetime | None = None) -> dict[int, list[SwapChoice]]:
    """For each shift of ``participant``'s that has not begun: the other members' shifts of
    its task in its period that have not begun, then every other active member (outright),
    by member."""
    moment = now or datetime.now(UTC)
    with uow:
        where = _where(uow, pool)
        members = sorted(m.id for m in uow.pools.members(pool)
                         if m.active and m.id != participant)
        found: dict[int, list[SwapChoice]] = {}
        for period in placed_periods(uow, pool):
            placed = uow.shifts.placements(pool, period.number)
            shifts = {s.id: s for s in uow.shifts.of_pool(pool)}
            for id, who in placed:
                mine = shifts[id]
                if who != participant or begun(mine, where, moment):
                    continue
                others = sorted((w, shifts[i].day, shifts[i].start, i) for i, w in placed
                                if w != participant and shifts[i].task == mine.task
                                and i != id and not begun(shifts[i], where, moment))
                found[id] = ([SwapChoice(w, shifts[i]) for w, _, _, i in others]
                             + [SwapChoice(m, None) for m in members])
    return found


def follow(uow: UnitOfWork, pool: str, participant: str, project: str, following: bool,
           *, now: datetime | None = None) -> bool:
    """Start (``following``) or stop ``participant`` following ``project`` (to hear of its
    new open slots); return ``following``."""
    with uow:
        lookup.pool(uow, pool)
        lookup.member(uow, pool, participant)
        if not any(p.id == project and p.active for p in uow.pools.projects(pool)):
            raise NotFoundError("project", project, pool)
        uow.shifts.set_following(pool, project, participant, following)
        record(uow, pool, "project.follow" if following else "project.unfollow",
               actor=participant, subject=project, now=now)
        uow.commit()
    return following


def followed(uow: UnitOfWork, pool: str, participant: str) -> list[str]:
    """The projects ``participant`` follows, sorted."""
    with uow:
        lookup.pool(uow, pool)
        return uow.shifts.followed(pool, participant)
