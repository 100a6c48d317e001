"""Goods that last over the API: the pool's holdings (a member sees theirs, a coordinator
all) and a holder's notice (docs/design.md, "Goods that last")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from peerconomy.api.answers import HoldingOut
from peerconomy.http.deps import UowDep, pool_access
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.http.params import PathNumber
from peerconomy.services import holdings
from peerconomy.services.membership import Access, Level

__all__ = ["router"]

router = APIRouter(tags=["periods"], route_class=IdempotentRoute)
AccessDep = Annotated[Access, Depends(pool_access)]


@router.get("/pools/{pool}/holdings")
def list_holdings(
    pool: str, access: AccessDep, uow: UowDep,
    participant: Annotated[str | None, Query(description="Only this participant's"
                                                          " (coordinators).")] = None,
) -> list[HoldingOut]:
    """Units of goods that last held in the pool: a member's own, or (coordinators) every
    member's."""
    access.require(Level.MEMBER, "see holdings")
    if access.level >= Level.COORDINATOR:
        whose = participant
    else:
        whose = access.member.id if access.member else ""
    return [HoldingOut.of(h) for h in holdings.holdings_of(uow, pool, whose)]


@router.post("/pools/{pool}/holdings/{holding}/notice")
def give_notice(pool: str, holding: PathNumber, access: AccessDep, uow: UowDep) -> HoldingOut:
    """Give notice on a holding (its holder, or a coordinator): it ends after the current
    period and its units go back to the next period's auction."""
    access.require(Level.MEMBER, "give notice on a holding")
    holder = None if access.level >= Level.COORDINATOR else (
        access.member.id if access.member else "")
    return HoldingOut.of(holdings.give_notice(uow, pool, holding, participant=holder,
                                              actor=access.user))
