"""The books over the API: balances, statements, history, exports and corrections."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse

from peerconomy.api.answers import HistoryOut, StatementLineOut, TransactionOut
from peerconomy.api.schemas import BalanceOut, Correction, PageDep
from peerconomy.http.deps import UowDep, pool_access
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.http.params import NumberQuery
from peerconomy.ledger.journal import participant_of
from peerconomy.services import books, overview
from peerconomy.services.membership import Access, Level

__all__ = ["router"]

router = APIRouter(tags=["books"], route_class=IdempotentRoute)
AccessDep = Annotated[Access, Depends(pool_access)]
MEDIA = {"csv": "text/csv", "json": "application/json", "beancount": "text/plain"}


@router.get("/pools/{pool}/ledger/balances")
def balances(pool: str, access: AccessDep, uow: UowDep) -> BalanceOut:
    """Every participant's balance and the pool account's; they sum to zero."""
    found = books.balances(uow, pool)
    named = {participant_of(a) or a: amount for a, amount in found.items()}
    return BalanceOut(balances=named, total=sum(found.values(), Decimal(0)))


@router.get("/pools/{pool}/ledger/statement")
def statement(pool: str, access: AccessDep, uow: UowDep,
              participant: Annotated[str | None, Query()] = None,
              period: NumberQuery = None, *, page: PageDep) -> list[StatementLineOut]:
    """A participant's postings with the running balance (default: the caller's)."""
    who = participant or (access.member.id if access.member else access.user) or ""
    return page.of([StatementLineOut.model_validate(line, from_attributes=True)
                    for line in books.participant_statement(uow, pool, who, period)])


@router.get("/pools/{pool}/ledger/history")
def history(pool: str, access: AccessDep, uow: UowDep,
            participant: Annotated[str | None, Query()] = None) -> HistoryOut:
    """Balances (of a participant, default the caller), weights and premiums by period."""
    who = participant or (access.member.id if access.member else None)
    return HistoryOut.model_validate(overview.history(uow, pool, who), from_attributes=True)


@router.get(
    "/pools/{pool}/ledger/export",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}},
                                 "application/json": {"schema": {}}}}},
)
def export(pool: str, access: AccessDep, uow: UowDep,
           format: Annotated[Literal["csv", "json", "beancount"], Query()] = "csv"
           ) -> PlainTextResponse:
    """The whole journal as CSV, JSON or Beancount text (for Fava)."""
    text = books.export(uow, pool, format)
    suffix = {"csv": "csv", "json": "json", "beancount": "beancount"}[format]
    return PlainTextResponse(
        text, media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{pool}.{suffix}"'},
    )


@router.post("/pools/{pool}/ledger/transactions/{transaction}/correct")
def correct(pool: str, transaction: str, body: Correction, access: AccessDep,
            uow: UowDep) -> TransactionOut:
    """Reverse a transaction by a new one (coordinators)."""
    access.require(Level.COORDINATOR, "correct the books")
    return TransactionOut.model_validate(
        books.correct(uow, pool, transaction, body.reason, actor=access.user),
        from_attributes=True)
