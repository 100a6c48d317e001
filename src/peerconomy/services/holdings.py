"""Goods that last, in a running pool: the holdings carried from period to period, a holder's
notice, and the list members and coordinators read (docs/design.md, "Goods that last").

Settling a period (:func:`carry_holdings`, called by
:func:`~peerconomy.services.periods.settle_period` in its transaction) ends the holdings whose
last period it was (none left, or notice given), counts the others down, and makes a holding
of every unit of a lasting good the plan says was won (``won``), held for the good's tenure
less the period just settled. A wish that won such units asks for that many fewer in the
next period (and is withdrawn when it asks for none): the units are held, not wished again.
Clearing and reopening never touch holdings, so a reopened period has the holdings it had.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from peerconomy.domain.holding import Holding
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Period
from peerconomy.services import lookup
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, NotFoundError
from peerconomy.services.ports import UnitOfWork

__all__ = ["carry_holdings", "end_holdings_of", "give_notice", "holdings_of"]


def holdings_of(uow: UnitOfWork, pool: str, participant: str | None = None) -> list[Holding]:
    """The pool's holdings (``participant``: only theirs), by id."""
    with uow:
        lookup.pool(uow, pool)
        held = uow.periods.holdings(pool)
    return [h for h in held if participant is None or h.participant == participant]


def give_notice(
    uow: UnitOfWork, pool: str, holding: int, *, participant: str | None = None,
    actor: str | None = None, now: datetime | None = None,
) -> Holding:
    """The holder gives the units of ``holding`` back: it ends after the current period and
    the units go to the next period's auction. ``participant``: refused (not found) unless
    the holding is theirs (a coordinator passes None). Giving notice twice is refused."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        found = next((h for h in uow.periods.holdings(pool) if h.id == holding), None)
        if found is None or (participant is not None and found.participant != participant):
            raise NotFoundError("holding", holding, pool)
        if found.notice_given:
            raise ConflictError(f"notice was given on holding {holding} already; it ends"
                                " after the current period")
        changed = found.with_notice()
        uow.periods.put_holding(changed)
        record(uow, pool, "holding.notice", actor=actor, subject=str(holding), detail={
            "participant": found.participant, "good": found.good,
            "quantity": found.quantity}, now=now)
        uow.commit()
    return changed


def carry_holdings(uow: UnitOfWork, period: Period, plan: ClearedPlan,
                   following: Period) -> None:
    """Inside the settling's transaction: end, count down and make holdings for the period
    after ``period`` (whose ``plan`` is settled), and take the units won off the wishes
    that won them in ``following``."""
    pool = period.pool
    for held in uow.periods.holdings(pool):
        if held.ends_after_this_period:
            uow.periods.remove_holding(pool, held.id)
        else:
            uow.periods.put_holding(held.counted_down())
    won_by_wish: dict[str, int] = {}
    for won in plan.won:
        uow.periods.add_holding(Holding(
            pool, 0, won.participant, won.good, won.quantity, won.premium,
            won_in=period.number, periods_left=won.tenure - 1))
        won_by_wish[won.wish] = won_by_wish.get(won.wish, 0) + won.quantity
    if not won_by_wish:
        return
    for wish in uow.periods.wishes(pool, following.number):
        units = won_by_wish.get(wish.id, 0)
        if units >= wish.quantity:
            uow.periods.remove_wish(pool, following.number, wish.id)
        elif units:
            uow.periods.put_wish(pool, following.number,
                                 replace(wish, quantity=wish.quantity - units))


def end_holdings_of(uow: UnitOfWork, pool: str, participants: set[str],
                    goods: set[str]) -> None:
    """Inside a transaction: end the holdings of members who left and of goods no longer
    made (their projects left), as their offers and wishes are withdrawn."""
    for held in uow.periods.holdings(pool):
        if held.participant in participants or held.good in goods:
            uow.periods.remove_holding(pool, held.id)
