"""Offers and wishes: made, changed and withdrawn while the period is collecting, until its
offers close (``collect_until``, where the period is dated).

An offer or wish is checked against the pool as it stands (the participant is a member, the
task or goods belong to an active project) so that the period always clears; a changed offer
or wish keeps its place in the order the clearing breaks ties by. A subscription (a wish with
a term) changed in any other way keeps its periods left; given another term, it starts again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Period
from peerconomy.domain.scenario import (
    Alternative,
    Good,
    Offer,
    ScenarioError,
    Task,
    Wish,
    check_alternatives,
    check_wishes,
)
from peerconomy.services import lookup
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, InputError, NotFoundError
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "active_goods",
    "active_tasks",
    "make_offer",
    "make_wish",
    "submit_round",
    "withdraw_everything_of",
    "withdraw_offer",
    "withdraw_wish",
]


def active_tasks(uow: UnitOfWork, pool: str) -> list[Task]:
    """The tasks of the pool's active projects."""
    active = {p.id for p in uow.pools.projects(pool) if p.active}
    return [t for t in uow.pools.tasks(pool) if t.project in active]


def active_goods(uow: UnitOfWork, pool: str) -> list[Good]:
    """The goods of the pool's active projects."""
    active = {p.id for p in uow.pools.projects(pool) if p.active}
    return [g for g in uow.pools.goods(pool) if g.project in active]


def _collecting(
    uow: UnitOfWork, pool: str, action: str, expected: int | None = None, *,
    now: datetime | None = None,
) -> Period:
    """The pool's current period, locked, where offers and wishes may change now: it is
    collecting (the one ``expected``, if given) and its offers have not closed (the one
    check of the deadline, whichever door the step came through)."""
    lookup.pool(uow, pool, lock=True)
    period = lookup.current_period(uow, pool)
    if expected is not None and expected != period.number:
        raise ConflictError(
            f"period {expected} of pool {pool!r} is over; period {period.number} is current"
            " (reload and try again)"
        )
    lookup.require_state(period, PeriodState.COLLECTING, action)
    moment = now or datetime.now(UTC)
    if period.closed_for_offers(moment):
        assert period.collect_until is not None
        raise ConflictError(
            f"cannot {action} period {period.number} of pool {pool!r}: offers and wishes"
            f" closed at {period.collect_until.isoformat(timespec='minutes')}"
        )
    return period


def make_offer(
    uow: UnitOfWork, pool: str, offer: Offer, *, period: int | None = None,
    actor: str | None = None, now: datetime | None = None,
) -> Offer:
    """Offer hours on a task (replacing the participant's earlier offer on it). ``period``,
    if given, is the period the offer was made for: another one current is a stale update."""
    with uow:
        current = _collecting(uow, pool, "make an offer in", period, now=now)
        lookup.member(uow, pool, offer.participant)
        if offer.task not in {t.id for t in active_tasks(uow, pool)}:
            raise NotFoundError("task", offer.task, pool)
        uow.periods.put_offer(pool, current.number, offer)
        record(uow, pool, "offer.put", actor=actor, subject=offer.task, detail={
            "period": current.number, "participant": offer.participant, "hours": offer.hours,
            "min_weight": offer.min_weight,
        })
        uow.commit()
    return offer


def withdraw_offer(
    uow: UnitOfWork, pool: str, participant: str, task: str, *, actor: str | None = None,
    now: datetime | None = None,
) -> None:
    """Withdraw a participant's offer on a task."""
    with uow:
        period = _collecting(uow, pool, "withdraw an offer in", now=now)
        if not uow.periods.remove_offer(pool, period.number, participant, task):
            raise NotFoundError("offer", f"{participant} on {task}", pool)
        record(uow, pool, "offer.withdraw", actor=actor, subject=task,
               detail={"period": period.number, "participant": participant})
        uow.commit()


def make_wish(
    uow: UnitOfWork, pool: str, wish: Wish, *, period: int | None = None,
    actor: str | None = None, new: bool = False, now: datetime | None = None,
) -> Wish:
    """Make a wish (replacing the wish with the same id, which must be the same person's;
    ``new``: refused if the id is taken); ``period`` as for :func:`make_offer`."""
    with uow:
        current = _collecting(uow, pool, "make a wish in", period, now=now)
        lookup.member(uow, pool, wish.participant)
        wishes = uow.periods.wishes(pool, current.number)
        earlier = next((w for w in wishes if w.id == wish.id), None)
        if earlier is not None and new:
            raise ConflictError(f"the wish id {wish.id!r} is taken; change the wish with PUT")
        if earlier is not None and earlier.participant != wish.participant:
            raise InputError("wish.id", f"{wish.id!r} is another participant's wish")
        check_alternatives(wish, active_goods(uow, pool))
        uow.periods.put_wish(pool, current.number, wish,
                             periods_left=_periods_left(uow, current, earlier, wish))
        record(uow, pool, "wish.put", actor=actor, subject=wish.id, detail={
            "period": current.number, "participant": wish.participant,
            "quantity": wish.quantity, **({} if wish.term is None else {"term": wish.term}),
            "alternatives": [
                {k: v for k, v in asdict(a).items() if v is not None} for a in wish.alternatives
            ],
        })
        uow.commit()
    return wish


def _periods_left(uow: UnitOfWork, period: Period, earlier: Wish | None,
                  wish: Wish) -> int | None:
    """The periods left of a subscription put over ``earlier``: as before where its term is
    the same, else (None) its whole term."""
    if earlier is None or wish.term is None or earlier.term != wish.term:
        return None
    return uow.periods.periods_left(period.pool, period.number).get(wish.id)


def withdraw_wish(
    uow: UnitOfWork, pool: str, wish: str, *, participant: str | None = None,
    actor: str | None = None, now: datetime | None = None,
) -> None:
    """Withdraw a wish (if ``participant`` is given, only one of theirs)."""
    with uow:
        period = _collecting(uow, pool, "withdraw a wish in", now=now)
        if participant is not None and not any(
            w.id == wish and w.participant == participant
            for w in uow.periods.wishes(pool, period.number)
        ):
            raise NotFoundError("wish", wish, pool)
        if not uow.periods.remove_wish(pool, period.number, wish):
            raise NotFoundError("wish", wish, pool)
        record(uow, pool, "wish.withdraw", actor=actor, subject=wish,
               detail={"period": period.number})
        uow.commit()


def submit_round(
    uow: UnitOfWork, pool: str, offers: Sequence[Offer], wishes: Sequence[Wish], *,
    actor: str | None = None, now: datetime | None = None,
) -> None:
    """Replace all of the collecting period's offers and wishes at once, as a bidding round
    brought in whole (a CSA's spreadsheet, a simulated period) would: checked like
    :func:`make_offer` and :func:`make_wish`, and refused whole, naming the first bad entry
    (``offers[3].task``), if one fails."""
    with uow:
        period = _collecting(uow, pool, "submit a round in", now=now)
        members = {m.id for m in uow.pools.members(pool) if m.active}
        tasks = {t.id for t in active_tasks(uow, pool)}
        seen_offers: set[tuple[str, str]] = set()
        for i, offer in enumerate(offers):
            if offer.participant not in members:
                raise ScenarioError(f"offers[{i}].participant",
                                    f"no member {offer.participant!r} in pool {pool!r}")
            if offer.task not in tasks:
                raise ScenarioError(f"offers[{i}].task", f"no task {offer.task!r} in pool {pool!r}")
            if (offer.participant, offer.task) in seen_offers:
                raise ScenarioError(f"offers[{i}]", f"a second offer of {offer.participant!r}"
                                                    f" on {offer.task!r}")
            seen_offers.add((offer.participant, offer.task))
        seen_wishes: set[str] = set()
        for i, wish in enumerate(wishes):
            if wish.participant not in members:
                raise ScenarioError(f"wishes[{i}].participant",
                                    f"no member {wish.participant!r} in pool {pool!r}")
            if wish.id in seen_wishes:
                raise ScenarioError(f"wishes[{i}].id", f"{wish.id!r} is used twice")
            seen_wishes.add(wish.id)
        check_wishes(wishes, active_goods(uow, pool))
        number = period.number
        for old_offer in uow.periods.offers(pool, number):
            uow.periods.remove_offer(pool, number, old_offer.participant, old_offer.task)
        for old_wish in uow.periods.wishes(pool, number):
            uow.periods.remove_wish(pool, number, old_wish.id)
        uow.periods.add_offers(pool, number, offers)
        uow.periods.add_wishes(pool, number, wishes)
        record(uow, pool, "round.submit", actor=actor, subject=number,
               detail={"offers": len(offers), "wishes": len(wishes)})
        uow.commit()


def withdraw_everything_of(
    uow: UnitOfWork,
    period: Period,
    *,
    participants: Collection[str] = (),
    tasks: Collection[str] = (),
    goods: Collection[str] = (),
) -> None:
    """Inside a service's transaction: withdraw the offers and wishes of ``participants``,
    the offers on ``tasks`` and the wish alternatives that only ``goods`` could meet (a wish
    left without alternatives is withdrawn)."""
    if not (participants or tasks or goods):
        return
    pool, number = period.pool, period.number
    for offer in uow.periods.offers(pool, number):
        if offer.participant in participants or offer.task in tasks:
            uow.periods.remove_offer(pool, number, offer.participant, offer.task)
    remaining = [g for g in active_goods(uow, pool) if g.id not in goods]
    types = {g.product_type for g in remaining if g.product_type is not None}
    left = uow.periods.periods_left(pool, number)
    for wish in uow.periods.wishes(pool, number):
        kept = [a for a in wish.alternatives if _still_met(a, goods, types)]
        if wish.participant in participants or not kept:
            uow.periods.remove_wish(pool, number, wish.id)
        elif len(kept) < len(wish.alternatives):
            uow.periods.put_wish(pool, number, replace(wish, alternatives=kept),
                                 periods_left=left.get(wish.id))


def _still_met(alternative: Alternative, gone: Collection[str], types: Collection[str]) -> bool:
    if alternative.good is not None:
        return alternative.good not in gone
    return alternative.product_type in types
