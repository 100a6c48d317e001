"""A member's notices of one pool over the API: which kinds they get by mail, reminders
included, and turning kinds on or off (as the account page and a notice's unsubscribe link
do; docs/design.md, "Reminders")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends

from peerconomy.api.schemas import NoticeSetting
from peerconomy.domain.mail import NoticeKind
from peerconomy.http.deps import UowDep, pool_access
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.services import mail_settings
from peerconomy.services.membership import Access, Level

__all__ = ["router"]

router = APIRouter(tags=["notices"], route_class=IdempotentRoute)
AccessDep = Annotated[Access, Depends(pool_access)]
Wanted = Annotated[dict[NoticeKind, bool], Body(
    description="Kinds of notice to turn on (true) or off (false), e.g."
                ' `{"offers_closing": false}`; kinds not named stay as they are.',
    examples=[{"offers_closing": False, "logs_waiting": True}])]


def _settings(uow: UowDep, user: str, pool: str) -> list[NoticeSetting]:
    wanted = mail_settings.pool_notice_settings(uow, user, pool)
    return [NoticeSetting(pool=pool, kind=kind, wanted=on) for kind, on in wanted.items()]


@router.get("/pools/{pool}/me/notices")
def my_notices(pool: str, access: AccessDep, uow: UowDep) -> list[NoticeSetting]:
    """Which kinds of the pool's notices the caller gets by mail: the notices of steps
    (a period opens, the plan is made, work awaits confirmation) and the reminders (offers
    close within two days and you offered nothing; work you may confirm has waited a day)."""
    access.require(Level.MEMBER, "choose their notices")
    return _settings(uow, access.user or "", pool)


@router.put("/pools/{pool}/me/notices")
def choose_notices(pool: str, body: Wanted, access: AccessDep,
                   uow: UowDep) -> list[NoticeSetting]:
    """Turn kinds of the pool's notices on or off for the caller; every kind as it is
    now."""
    access.require(Level.MEMBER, "choose their notices")
    user = access.user or ""
    mail_settings.pool_notice_settings(uow, user, pool)  # a member of it: else 404
    mail_settings.set_notices(uow, user, pool, body)
    return _settings(uow, user, pool)
