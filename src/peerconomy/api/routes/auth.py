"""Accounts over the API: sign up, get a personal API token with a password, list and
revoke tokens, reset a forgotten password by a mailed link, see or change one's own
account, and see or renew one's secret calendar and feed addresses.

Too many failed sign-ins lock the account (or the login typed) and the client's address for
a while: the token route then answers 429 with ``Retry-After`` and a body naming the reason,
the same whatever the password and whether or not the account exists.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import Field

from peerconomy.api.schemas import (
    Accepted,
    Body,
    CalendarOut,
    MeOut,
    NewPassword,
    NewToken,
    NoticeSetting,
    PageDep,
    PoolAddressesOut,
    ResetRequest,
    SignUp,
    TokenChoice,
    TokenOut,
    TooManyFailures,
    UserOut,
)
from peerconomy.domain.account import ApiToken, User
from peerconomy.http.deps import CallerDep, NowDep, PolicyDep, SettingsDep, UowDep, UserDep
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.http.problems import problem
from peerconomy.http.state import client_address
from peerconomy.services import (
    accounts,
    calendar_keys,
    mail_settings,
    password_reset,
    privacy,
    views,
)
from peerconomy.services.errors import NotAllowedError, NotFoundError
from peerconomy.services.security import TooManyFailuresError
from peerconomy.services.throttle import throttle

__all__ = ["router"]

router = APIRouter(tags=["accounts"], route_class=IdempotentRoute)


def user_out(user: User) -> UserOut:
    return UserOut(
        name=user.name,
        email=user.email,
        display_name=user.display_name,
        site_admin=user.site_admin,
        locale=user.locale,
        email_verified=user.email_verified_at is not None,
    )


def _token_out(token: ApiToken, secret: str | None = None) -> TokenOut:
    return TokenOut(
        id=token.id,
        label=token.label,
        scope=token.scope,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        token=secret,
    )


@router.post(
    "/auth/signup",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses={429: {"model": TooManyFailures, "description": "Too many sign-ups lately"}},
)
def sign_up(body: SignUp, uow: UowDep, request: Request, policy: PolicyDep,
            settings: SettingsDep, now: NowDep) -> UserOut | Response:
    """Make an account, as the site's sign-up setting allows (``invite-only``: with an
    invitation's code; ``closed``: 403), and mail it a link to verify its email. An email
    that has an account is answered exactly as a new one (its owner is mailed instead), so
    the answer does not tell who has an account; a user name taken is 409. Sign-ups from one
    address are rate-limited (429 with ``Retry-After``). Signing up joins no pool and makes
    nobody an admin."""
    try:
        throttle(uow, client_address(request), policy=policy, now=now)
    except TooManyFailuresError as locked:
        return too_many_failures(locked)
    return user_out(
        accounts.sign_up(uow, body.name, body.email, body.password,
                         display_name=body.display_name, mode=settings.signup,
                         invitation=body.invitation, now=now)
    )


@router.post("/unsubscribe/{token}")
def unsubscribe(token: str, uow: UowDep, settings: SettingsDep) -> NoticeSetting:
    """One-click unsubscribe (RFC 8058), the address in a notice's ``List-Unsubscribe``:
    the kind of notice the signed link names is turned off for its reader (404: not a valid
    link). A mail program posts here without a cookie; the link is the proof."""
    _user, pool, kind = mail_settings.unsubscribe(uow, settings.secret_key, token)
    return NoticeSetting(pool=pool, kind=kind, wanted=False)


@router.get("/unsubscribe/{token}", status_code=status.HTTP_303_SEE_OTHER,
            response_class=RedirectResponse)
def unsubscribe_page(token: str) -> RedirectResponse:
    """A person who opens the one-click address is sent to the page with the button."""
    return RedirectResponse(f"/unsubscribe/{token}", status.HTTP_303_SEE_OTHER)


@router.post("/auth/verify-email/{token}")
def verify_email(token: str, uow: UowDep, settings: SettingsDep, now: NowDep) -> UserOut:
    """Verify an account's email with the token of the link mailed to it (404: not a
    valid link; 409: expired)."""
    return user_out(mail_settings.verify_email(uow, settings.secret_key, token, now=now))


def too_many_failures(locked: TooManyFailuresError) -> JSONResponse:
    """The 429 answer to a locked sign-in (or to too many reset links asked for): problem
    details with why and for how long (:class:`TooManyFailures`)."""
    return problem(status.HTTP_429_TOO_MANY_REQUESTS, str(locked), reason=locked.what,
                   locked=locked.reason, retry_after=locked.seconds,
                   headers={"Retry-After": str(locked.seconds)})


@router.post(
    "/auth/tokens",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenOut,
    responses={429: {"model": TooManyFailures, "description": "Too many failed sign-ins"}},
)
def new_token(body: NewToken, request: Request, uow: UowDep, policy: PolicyDep,
              now: NowDep) -> TokenOut | Response:
    """A personal API token for the user whose name (or email) and password are given;
    send it as ``Authorization: Bearer <token>``."""
    try:
        user = accounts.authenticate(uow, body.login, body.password,
                                     client=client_address(request), policy=policy, now=now)
    except TooManyFailuresError as locked:
        return too_many_failures(locked)
    token, secret = accounts.issue_token(uow, user.name, body.label, scope=body.scope,
                                         days=body.days, now=now)
    return _token_out(token, secret)


RESET_SENT = ("if an account has this email, a link to choose a new password is on its way;"
              " it works once, for a short while")


@router.post(
    "/auth/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses={429: {"model": TooManyFailures, "description": "Too many links asked for"}},
)
def request_reset(body: ResetRequest, request: Request, uow: UowDep, policy: PolicyDep,
                  now: NowDep) -> Accepted | Response:
    """Mail a one-time link to choose a new password; the answer is the same whether or not
    an account has the email (three links an hour for one address at most)."""
    try:
        password_reset.request_reset(uow, body.email, client=client_address(request),
                                     policy=policy, now=now)
    except TooManyFailuresError as locked:
        return too_many_failures(locked)
    return Accepted(detail=RESET_SENT)


@router.post("/auth/password-reset/{code}", status_code=status.HTTP_204_NO_CONTENT)
def reset(code: str, body: NewPassword, request: Request, uow: UowDep, now: NowDep) -> None:
    """Set a new password with a reset link's code (404: unknown; 409: used or expired);
    every session of the account ends."""
    password_reset.reset_password(uow, code, body.password, client=client_address(request),
                                  now=now)


def _with_calendar(found: UserOut, user: str, uow: UowDep, settings: SettingsDep,
                   now: NowDep) -> MeOut:
    url = calendar_keys.addresses(uow, user, settings.secret_key, settings.base_url,
                                  now=now).calendar_url
    return MeOut(**found.model_dump(), calendar_url=url)


@router.get("/me")
def me(user: UserDep, uow: UowDep, settings: SettingsDep, now: NowDep) -> MeOut:
    """The caller's account, with their secret calendar address (``calendar_url``: one
    address for all their pools, made when first asked for)."""
    found = views.account(uow, user)
    if found is None:  # pragma: no cover - the caller was found a moment ago
        raise NotFoundError("user", user)
    return _with_calendar(user_out(found), user, uow, settings, now)


class ProfileChange(Body):
    display_name: str | None = None
    locale: str | None = None


@router.patch("/me")
def change_me(body: ProfileChange, user: UserDep, uow: UowDep, settings: SettingsDep,
              now: NowDep) -> MeOut:
    """Change the caller's display name or language."""
    changed = accounts.update_profile(uow, user, display_name=body.display_name,
                                      locale=body.locale)
    return _with_calendar(user_out(changed), user, uow, settings, now)


def _calendar_out(found: calendar_keys.Addresses) -> CalendarOut:
    return CalendarOut(calendar_url=found.calendar_url,
                       pools=[PoolAddressesOut(pool=p.pool, calendar_url=p.calendar_url,
                                               feed_url=p.feed_url) for p in found.pools])


@router.get("/me/calendar")
def my_calendar(user: UserDep, uow: UowDep, settings: SettingsDep, now: NowDep
                ) -> CalendarOut:
    """The caller's secret addresses: their calendar (all their pools in one), and for each
    pool they are an active member of, its calendar of open slots and its hint board's Atom
    feed. They work without signing in: whoever has one sees what it lists."""
    return _calendar_out(calendar_keys.addresses(uow, user, settings.secret_key,
                                                 settings.base_url, now=now))


@router.post("/me/calendar")
def renew_calendar(user: UserDep, uow: UowDep, settings: SettingsDep, now: NowDep
                   ) -> CalendarOut:
    """New secret addresses for the caller; every old one answers 404 from now on."""
    return _calendar_out(calendar_keys.addresses(uow, user, settings.secret_key,
                                                 settings.base_url, renewing=True, now=now))


@router.get("/me/export")
def export_me(user: UserDep, uow: UowDep, now: NowDep) -> JSONResponse:
    """Everything the site holds about the caller, as one JSON document (account, sessions
    and tokens without their secrets, memberships with offers, wishes, work, plans and
    books, invitations, requests to join, audit entries); never cached."""
    return JSONResponse(
        privacy.export_account(uow, user, now=now),
        headers={"Cache-Control": "no-store",
                 "Content-Disposition": f'attachment; filename="{user}-export.json"'},
    )


class AccountDeletion(Body):
    password: str = Field(description="The account's password: deleting it is for good.",
                          max_length=1024)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
def delete_me(body: AccountDeletion, request: Request, user: UserDep, uow: UowDep,
              policy: PolicyDep, now: NowDep) -> None:
    """Delete the caller's account for good, confirmed with its password (401 if wrong; 409
    if the caller is a pool's last coordinator). Its members stay in the plans and books
    under a pseudonym; their contact is erased."""
    privacy.delete_account(uow, user, body.password, client=client_address(request),
                           policy=policy, now=now)


@router.get("/me/tokens")
def my_tokens(user: UserDep, uow: UowDep, page: PageDep) -> list[TokenOut]:
    """The caller's API tokens (never the tokens themselves)."""
    return page.of([_token_out(t) for t in views.tokens(uow, user)])


@router.post("/me/tokens", status_code=status.HTTP_201_CREATED)
def add_token(body: TokenChoice, user: UserDep, who: CallerDep, uow: UowDep,
              now: NowDep) -> TokenOut:
    """A new API token for the caller signed in by a browser's session (403 with a token:
    a token cannot make tokens that would outlive its own revocation)."""
    if who.by_token:
        raise NotAllowedError("an API token cannot make API tokens; make them signed in on"
                              " your account page, or with your password at /auth/tokens")
    token, secret = accounts.issue_token(uow, user, body.label, scope=body.scope,
                                         days=body.days, now=now)
    return _token_out(token, secret)


@router.delete("/me/tokens/{token_id}")
def revoke(token_id: str, user: UserDep, uow: UowDep) -> TokenOut:
    """Revoke one of the caller's tokens."""
    return _token_out(accounts.revoke_token(uow, user, token_id))
