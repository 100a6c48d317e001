"""The secret addresses a calendar app or a feed reader fetches without signing in: a
member's calendar (``/calendar/<token>.ics``, all their pools), a pool's calendar of open
slots (``/pools/<pool>/calendar/<token>.ics``) and its hint board's Atom feed
(``/pools/<pool>/hints/<token>.atom``, for private pools, whose ``hints.atom`` needs a
session); and the account page's button that renews them.

These answer GET only, read no session and set no cookie; the token alone says whose they
are (:mod:`peerconomy.services.calendar_keys`). An unknown, renewed or malformed token, a
pool the token's owner is not an active member of, and a disabled account are all the same
plain 404; a client that fetched too many unknown addresses lately gets 429 with
``Retry-After``. No cache keeps an answer (``Cache-Control: no-store``, set for these
paths by :mod:`peerconomy.http.hardening`).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from peerconomy.domain.account import User
from peerconomy.http.deps import NowDep, PolicyDep, SettingsDep, UowDep
from peerconomy.http.state import client_address
from peerconomy.i18n import LANGUAGES, gettext_for, locale_of, translations
from peerconomy.services import calendar_keys, calendars
from peerconomy.services.calendars import Calendar
from peerconomy.services.errors import NotFoundError
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import SecurityPolicy, TooManyGuessesError
from peerconomy.web.forms import FormDep
from peerconomy.web.ical import MEDIA_TYPE, calendar_text
from peerconomy.web.rendering import flash, redirect
from peerconomy.web.routes_books import feed_answer
from peerconomy.web.viewer import who_signed_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


class _Refused(Exception):
    """The answer to a secret address that shows nothing."""

    def __init__(self, answer: Response) -> None:
        self.answer = answer


def _owner(request: Request, uow: UnitOfWork, token: str, policy: SecurityPolicy,
           now: NowDep) -> User:
    try:
        return calendar_keys.owner(uow, token, client=client_address(request), policy=policy,
                                   now=now)
    except TooManyGuessesError as locked:
        raise _Refused(PlainTextResponse(f"{locked}\n", 429,
                                         headers={"Retry-After": str(locked.seconds)})) from None
    except NotFoundError:
        raise _Refused(_not_found()) from None


def _not_found() -> Response:
    return PlainTextResponse("Not Found\n", 404)


def _language(request: Request, user: User) -> str:
    return user.locale if user.locale in LANGUAGES else locale_of(request)


def _written(request: Request, calendar: Calendar, user: User, now: NowDep) -> Response:
    locale = _language(request, user)
    base: str = request.app.state.settings.base_url
    body = calendar_text(calendar, host=urlsplit(base).hostname or "localhost", now=now,
                         gettext=translations(locale).gettext, locale=locale)
    return Response(body, media_type=MEDIA_TYPE, headers={"Content-Language": locale})


@router.get("/calendar/{token}.ics")
def member_calendar(token: str, request: Request, uow: UowDep, policy: PolicyDep,
                    now: NowDep) -> Response:
    """A member's calendar: every pool they are an active member of."""
    try:
        user = _owner(request, uow, token, policy, now)
    except _Refused as refused:
        return refused.answer
    return _written(request, calendars.member_calendar(uow, user, now=now), user, now)


@router.get("/pools/{pool}/calendar/{token}.ics")
def pool_calendar(pool: str, token: str, request: Request, uow: UowDep, policy: PolicyDep,
                  now: NowDep) -> Response:
    """A pool's calendar of open slots, for one of its members."""
    try:
        user = _owner(request, uow, token, policy, now)
        calendar = calendars.pool_calendar(uow, user, pool, now=now)
    except _Refused as refused:
        return refused.answer
    except NotFoundError:
        return _not_found()
    return _written(request, calendar, user, now)


@router.get("/pools/{pool}/hints/{token}.atom")
def hint_feed(pool: str, token: str, request: Request, uow: UowDep, policy: PolicyDep,
              now: NowDep) -> Response:
    """A pool's hint board as an Atom feed, for one of its members (also of a private pool,
    without a session)."""
    try:
        user = _owner(request, uow, token, policy, now)
        calendars.member_of(uow, user, pool)
    except _Refused as refused:
        return refused.answer
    except NotFoundError:
        return _not_found()
    base: str = request.app.state.settings.base_url
    return feed_answer(request, uow, pool, _language(request, user), now=now,
                       self_link=f"{base}/pools/{quote(pool, safe='')}/hints/{token}.atom")


@router.post("/account/calendar")
def renew_calendar(request: Request, form: FormDep, uow: UowDep, settings: SettingsDep,
                   now: NowDep) -> Response:
    """A new secret for my calendar and feed addresses; the old ones stop working."""
    name = who_signed_in(request, uow)
    calendar_keys.renew(uow, name, settings.secret_key, now=now)
    _ = gettext_for(request)
    flash(request, _("Your calendar and feed addresses are new: subscribe to them again;"
                     " the old ones no longer work."))
    return redirect("/account#calendar")
