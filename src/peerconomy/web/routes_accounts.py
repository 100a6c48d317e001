"""Pages of a person rather than a pool: home (their pools, founding one), signing up, in
and out, resetting a forgotten password, their account (name, language, password, API
tokens) and the language switch.

Signing in (or up) begins a new server-side session and ends the browser's old one
(:func:`~peerconomy.http.sessions.start_browser_session`); signing out ends it. Too many failed
sign-ins are answered 429 with ``Retry-After``, and the same words whatever the password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from peerconomy.domain.account import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from peerconomy.domain.mail import NOTICE_KINDS
from peerconomy.domain.pool import Admission
from peerconomy.domain.refusal import InputError
from peerconomy.http.deps import NowDep, PolicyDep, SettingsDep, UowDep
from peerconomy.http.sessions import browser_session_id, end_browser_session, start_browser_session
from peerconomy.http.state import client_address, time_of
from peerconomy.i18n import LANGUAGES, gettext_for
from peerconomy.services import (
    accounts,
    calendar_keys,
    mail_settings,
    membership,
    password_reset,
    privacy,
    sessions,
    views,
)
from peerconomy.services.errors import (
    ConflictError,
    NotAllowedError,
    NotFoundError,
    SignInError,
)
from peerconomy.services.security import (
    TooManyAttemptsError,
    TooManyFailuresError,
    TooManyResetRequestsError,
)
from peerconomy.services.throttle import throttle
from peerconomy.web.forms import FormDep, local_path
from peerconomy.web.rendering import flash, pool_url, redirect, render
from peerconomy.web.viewer import user_of, who_signed_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
NextDep = Annotated[str | None, Query(alias="next")]
SHOWN_ONCE = "shown_once"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, uow: UowDep) -> Response:
    """The caller's pools and the public ones; founding a pool."""
    user = user_of(request, uow)
    found = membership.visible_pools(uow, user)
    return render(
        request,
        "home.html",
        mine=[(p.name, pool_url(p.name), role) for p, role in found if role is not None],
        others=[(p.name, pool_url(p.name)) for p, role in found if role is None],
    )


@router.post("/pools")
def found_pool(request: Request, form: FormDep, uow: UowDep) -> Response:
    """Found a pool: the caller coordinates it, its first period collects."""
    user = who_signed_in(request, uow)
    name = form.text("name")
    admission: Admission = (
        "open" if form.text("admission", default="approval") == "open" else "approval"
    )
    founded = membership.found_pool(uow, name, user, admission=admission,
                                    public=form.flag("public"))
    _ = gettext_for(request)
    flash(request, _("Your pool is founded; its first period collects "
                                        "offers and wishes."))
    return redirect(pool_url(founded.pool) + "/projects")  # the name in its normal form


def _sign_in(request: Request, name: str, locale: str | None) -> None:
    start_browser_session(request, name)  # a new session, id and CSRF token
    if locale in LANGUAGES:
        request.session["lang"] = locale


@router.get("/signup", response_class=HTMLResponse)
def sign_up_page(request: Request, settings: SettingsDep, next_: NextDep = None,
                 invitation: Annotated[str, Query()] = "") -> Response:
    """The sign-up form (with an invitation's code where sign-up is invite-only; where it
    is closed, a page that says so)."""
    return render(request, "signup.html", next=local_path(next_), error=None,
                  values={"invitation": invitation}, mode=settings.signup)


_SIGN_UP_FIELDS = ("name", "email", "display_name", "invitation")


@router.post("/signup")
def sign_up(request: Request, form: FormDep, uow: UowDep, settings: SettingsDep,
            policy: PolicyDep, now: NowDep) -> Response:
    """Make an account (as the site's sign-up setting allows; tries from one address are
    rate-limited) and send its owner to sign in. The answer is the same whether or not the
    email has an account (its owner is mailed instead of a new account being made), so
    nobody learns who has one here."""
    _ = gettext_for(request)
    values = {k: form.text(k, default="") for k in _SIGN_UP_FIELDS}
    target = local_path(form.text("next", default="/"))
    mode = settings.signup

    def refused(status_code: int, why: str) -> Response:
        return render(request, "signup.html", status_code, next=target, error=why,
                      values=values, mode=mode)

    try:
        throttle(uow, client_address(request), policy=policy, now=now)
    except TooManyAttemptsError as locked:
        return too_many_attempts(request, locked, lambda error: render(
            request, "signup.html", 429, next=target, error=error, values=values, mode=mode))
    try:
        accounts.sign_up(uow, values["name"], values["email"],
                         form.text("password", default=""),
                         display_name=values["display_name"], mode=mode,
                         invitation=values["invitation"], now=now)
    except NotAllowedError:
        return refused(403, _("Signing up is closed on this site.") if mode == "closed"
                       else _("Signing up on this site needs an invitation link."))
    except InputError as error:
        said = {
            "name": _("A user name is 2 to 32 lower-case letters, digits, '_', '.' or '-',"
                      " starting with a letter or digit."),
            "email": _("Please give an email address."),
            "password": _("A password is at least 8 characters long."),
            "display_name": _("A display name is at most 100 characters long."),
            "invitation": _("This invitation code cannot be used: it is wrong, used or"
                            " expired. Ask for a new invitation link."),
        }
        return refused(422, " ".join(dict.fromkeys(said.get(p.path, str(p))
                                                   for p in error.problems)))
    except ConflictError:
        return refused(409, _("This user name is taken; please choose another."))
    return render(request, "signed_up.html", next=target)


@router.get("/verify/{token}", response_class=HTMLResponse)
def verify_email(token: str, request: Request, uow: UowDep, settings: SettingsDep,
                 now: NowDep) -> Response:
    """Follow the link mailed at sign-up: the account's email is verified."""
    _ = gettext_for(request)
    try:
        mail_settings.verify_email(uow, settings.secret_key, token, now=now)
    except (NotFoundError, ConflictError):
        return render(request, "message.html", 410, heading=_("Confirm your email address"),
                      message=_("This link cannot be used: it has expired, or the account's"
                                " email has changed since. Sign in and ask for a new link on"
                                " your account page."))
    return render(request, "message.html", heading=_("Confirm your email address"),
                  message=_("Thank you: your email address is confirmed. You will get the"
                            " notices of your pools."))


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(token: str, request: Request) -> Response:
    """The page an unsubscribe link in a notice opens: a button that turns it off."""
    return render(request, "unsubscribe.html", token=token, done=None)


@router.post("/unsubscribe/{token}")
def unsubscribe(token: str, request: Request, form: FormDep, uow: UowDep,
                settings: SettingsDep) -> Response:
    """Turn off the kind of notice the link names (the signed link is the proof: no need
    to sign in). Mail programs post to the API's one-click address instead."""
    _ = gettext_for(request)
    try:
        _user, pool, kind = mail_settings.unsubscribe(uow, settings.secret_key, token)
    except (NotFoundError, ConflictError):
        return render(request, "message.html", 404, heading=_("Notices"),
                      message=_("This link cannot be used."))
    return render(request, "unsubscribe.html", token=token,
                  done=(pool, notice_kind_names(_)[kind]))


def notice_kind_names(_: Callable[[str], str]) -> dict[str, str]:
    """The kinds of pool notice, as a member reads them."""
    return {
        "period_opened": _("A period opens"),
        "plan_cleared": _("The plan is made (my assignments and share)"),
        "work_awaits_confirmation": _("Work awaits my confirmation"),
        "shift_cancelled": _("A shift I am placed on is cancelled"),
        "shift_swap": _("A swap of shifts is proposed to me, or answered"),
        "open_slot": _("A project I follow has a new open slot"),
        "offers_closing": _("Reminder: offers close in two days and I offered nothing"),
        "logs_waiting": _("Reminder: work I may confirm has waited a day"),
        "shift_tomorrow": _("Reminder: a shift of mine begins within a day"),
        "shift_unlogged": _("Reminder: a shift of mine has ended and I have not logged it"),
    }


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(request: Request, next_: NextDep = None) -> Response:
    """The sign-in form."""
    return render(request, "signin.html", next=local_path(next_), error=None, login="")


def too_many_attempts(request: Request, locked: TooManyAttemptsError,
                      page: Callable[[str], Response]) -> Response:
    """``page`` saying that this address has tried too often lately, answered 429 with
    ``Retry-After`` (sign-up, invitation acceptance)."""
    _ = gettext_for(request)
    answer = page(_("Too many tries from your address lately. Please wait %(minutes)s"
                    " minutes and try again.") % {"minutes": locked.minutes})
    answer.status_code = 429
    answer.headers["Retry-After"] = str(locked.seconds)
    return answer


def _locked_out(locked: TooManyFailuresError, page: Callable[[str], Response],
                _: Callable[[str], str]) -> Response:
    """``page`` with the message of a lockout, answered 429 with ``Retry-After``."""
    answer = page(_("Too many failed sign-ins. Please wait %(minutes)s minutes and try"
                    " again, or reset your password.") % {"minutes": locked.minutes})
    answer.status_code = 429
    answer.headers["Retry-After"] = str(locked.seconds)
    return answer


@router.post("/signin")
def sign_in(request: Request, form: FormDep, uow: UowDep, policy: PolicyDep,
            now: NowDep) -> Response:
    """Sign in with a user name (or email) and password."""
    _ = gettext_for(request)
    login = form.text("login", default="")
    target = local_path(form.text("next", default="/"))
    try:
        user = accounts.authenticate(uow, login, form.text("password", default=""),
                                     client=client_address(request), policy=policy, now=now)
    except TooManyFailuresError as locked:
        return _locked_out(locked, lambda error: render(
            request, "signin.html", 429, next=target, login=login, error=error), _)
    except NotAllowedError:
        return render(request, "signin.html", 403, next=target, login=login,
                      error=_("Wrong user name or password."))
    _sign_in(request, user.name, user.locale)
    return redirect(target)


@router.post("/signout")
def sign_out(request: Request, form: FormDep) -> Response:
    """Sign out: the session ends, on the server too."""
    end_browser_session(request)
    return redirect("/")


@router.get("/reset", response_class=HTMLResponse)
def reset_request_page(request: Request) -> Response:
    """Ask for a link to choose a new password."""
    return render(request, "reset_request.html", sent=False, error=None)


@router.post("/reset")
def request_reset(request: Request, form: FormDep, uow: UowDep, policy: PolicyDep,
                  now: NowDep) -> Response:
    """Mail a reset link to the account with the email given; the answer is the same
    whether or not there is one."""
    try:
        password_reset.request_reset(uow, form.text("email", default=""),
                                     client=client_address(request), policy=policy, now=now)
    except TooManyResetRequestsError as locked:
        _ = gettext_for(request)
        answer = render(request, "reset_request.html", 429, sent=False, error=_(
            "Too many links were asked for lately. Please wait %(minutes)s minutes and try"
            " again.") % {"minutes": locked.minutes})
        answer.headers["Retry-After"] = str(locked.seconds)
        return answer
    return render(request, "reset_request.html", sent=True, error=None)


def _reset_page(request: Request, code: str, status_code: int = 200,
                error: str | None = None, usable: bool = True) -> Response:
    return render(request, "reset_password.html", status_code, code=code, error=error,
                  usable=usable)


def _unusable(request: Request, code: str) -> Response:
    _ = gettext_for(request)
    return _reset_page(request, code, 410, usable=False, error=_(
        "This link to reset a password cannot be used: it was used already, it has expired,"
        " or it was never made. Please ask for a new one."))


@router.get("/reset/{code}", response_class=HTMLResponse)
def reset_page(code: str, request: Request, uow: UowDep, now: NowDep) -> Response:
    """Choose a new password with a reset link (the link is used only when it is set)."""
    try:
        password_reset.check_reset_link(uow, code, now=now)
    except (NotFoundError, ConflictError):
        return _unusable(request, code)
    return _reset_page(request, code)


@router.post("/reset/{code}")
def reset(code: str, request: Request, form: FormDep, uow: UowDep, now: NowDep) -> Response:
    """Set the new password; every session of the account ends, so sign in anew."""
    _ = gettext_for(request)
    try:
        password_reset.reset_password(uow, code, form.text("password", default=""),
                                      client=client_address(request), now=now)
    except (NotFoundError, ConflictError):
        return _unusable(request, code)
    except InputError:
        return _reset_page(request, code, 422,
                           error=_("A password is at least 8 characters long."))
    end_browser_session(request)
    flash(request, _("Your new password is set: sign in with it."))
    return redirect("/signin")


@router.post("/language")
def switch_language(request: Request, form: FormDep, uow: UowDep) -> Response:
    """Choose the language of the pages (kept for a signed-in user's next sessions)."""
    lang = form.text("lang")
    if lang not in LANGUAGES:
        raise InputError("lang", f"must be one of {', '.join(LANGUAGES)}")
    request.session["lang"] = lang
    user = user_of(request, uow)
    if user is not None:
        accounts.update_profile(uow, user, locale=lang)
    return redirect(local_path(form.text("next", default="/")))


def _account_page(request: Request, uow: UowDep, name: str, status_code: int = 200,
                  password_error: str | None = None,
                  delete_error: str | None = None) -> Response:
    with uow:
        user = views.account(uow, name)
        tokens = views.tokens(uow, name)
    kept = privacy.pools_kept_by(uow, name)
    new_token = request.session.pop(SHOWN_ONCE, None)
    settings = request.app.state.settings
    # a refusal's page changes nothing: it shows the addresses only if they are made already
    subscriptions = (calendar_keys.addresses(uow, name, settings.secret_key, settings.base_url,
                                             now=time_of(request))
                     if status_code < 400 else
                     calendar_keys.kept_addresses(uow, name, settings.secret_key,
                                                  settings.base_url))
    return render(request, "account.html", status_code, account=user, tokens=tokens,
                  subscriptions=subscriptions,
                  new_token=new_token if isinstance(new_token, str) else None,
                  password_error=password_error, delete_error=delete_error, kept=kept,
                  now=time_of(request),
                  default_token_days=DEFAULT_TOKEN_DAYS, max_token_days=MAX_TOKEN_DAYS,
                  notices=mail_settings.notice_settings(uow, name),
                  notice_kinds=notice_kind_names(gettext_for(request)))


@router.post("/account/notices")
def change_notices(request: Request, form: FormDep, uow: UowDep) -> Response:
    """Choose which notices one of the caller's pools mails them (a box not ticked: off)."""
    name = who_signed_in(request, uow)
    pool = form.text("pool")
    if pool not in mail_settings.notice_settings(uow, name):
        raise NotFoundError("pool", pool)
    mail_settings.set_notices(uow, name, pool,
                              {kind: form.flag(kind) for kind in NOTICE_KINDS})
    _ = gettext_for(request)
    flash(request, _("Your notices are saved."))
    return redirect("/account")


@router.post("/account/verify-email")
def resend_verification(request: Request, form: FormDep, uow: UowDep, now: NowDep
                        ) -> Response:
    """Mail the link that confirms the caller's email again."""
    name = who_signed_in(request, uow)
    accounts.resend_verification(uow, name, now=now)
    _ = gettext_for(request)
    flash(request, _("We have mailed you the link again."))
    return redirect("/account")


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, uow: UowDep) -> Response:
    """The caller's account: display name, language, notices, calendar and feed addresses,
    password, API tokens."""
    return _account_page(request, uow, who_signed_in(request, uow))


@router.post("/account")
def change_account(request: Request, form: FormDep, uow: UowDep) -> Response:
    """Change the display name and the language ("" : the browser's)."""
    name = who_signed_in(request, uow)
    locale = form.text("locale", default="")
    if locale and locale not in LANGUAGES:
        raise InputError("locale", f"must be empty or one of {', '.join(LANGUAGES)}")
    accounts.update_profile(uow, name, display_name=form.text("display_name", default=""),
                            locale=locale)
    if locale:
        request.session["lang"] = locale
    else:
        request.session.pop("lang", None)
    _ = gettext_for(request)
    flash(request, _("Your account is saved."))
    return redirect("/account")


@router.post("/account/password")
def change_password(request: Request, form: FormDep, uow: UowDep, policy: PolicyDep,
                    now: NowDep) -> Response:
    """Change the password, given the old one; the account's other sessions end. A wrong
    old password counts as a failed sign-in (the account locks after too many)."""
    name = who_signed_in(request, uow)
    _ = gettext_for(request)
    try:
        accounts.change_password(uow, name, form.text("old_password", default=""),
                                 form.text("new_password", default=""),
                                 keeping=browser_session_id(request),
                                 client=client_address(request), policy=policy, now=now)
    except TooManyFailuresError as locked:
        return _locked_out(locked, lambda error: _account_page(request, uow, name, 429, error),
                           _)
    except SignInError:  # they stay signed in and may try again
        return _account_page(request, uow, name, 403,
                             _("Your current password is not the one you gave."))
    except InputError:
        return _account_page(request, uow, name, 422,
                             _("A password is at least 8 characters long."))
    flash(request, _("Your password is changed."))
    return redirect("/account")


@router.post("/account/sessions/end-others")
def end_other_sessions(request: Request, form: FormDep, uow: UowDep, now: NowDep) -> Response:
    """Sign out every browser of the caller's but this one."""
    name = who_signed_in(request, uow)
    sessions.end_sessions(uow, name, keeping=browser_session_id(request), now=now)
    _ = gettext_for(request)
    flash(request, _("Every other browser is signed out."))
    return redirect("/account")


@router.post("/account/tokens")
def new_token(request: Request, form: FormDep, uow: UowDep, now: NowDep) -> Response:
    """A personal API token, with its scope and the days it works; the next page shows it,
    once."""
    name = who_signed_in(request, uow)
    _, secret = accounts.issue_token(
        uow, name, form.text("label", default=""), scope=form.text("scope", default="write"),
        days=form.whole_number("days", default=DEFAULT_TOKEN_DAYS), now=now)
    request.session[SHOWN_ONCE] = secret
    return redirect("/account")


@router.get("/account/export")
def export_account(request: Request, uow: UowDep, now: NowDep) -> Response:
    """Download everything the site holds about me, as JSON (never cached)."""
    name = who_signed_in(request, uow)
    return JSONResponse(
        privacy.export_account(uow, name, now=now),
        headers={"Cache-Control": "no-store",
                 "Content-Disposition": f'attachment; filename="{name}-export.json"'},
    )


@router.post("/account/delete")
def delete_account(request: Request, form: FormDep, uow: UowDep, policy: PolicyDep,
                   now: NowDep) -> Response:
    """Delete my account for good, confirmed with my password; I am signed out. A wrong
    password counts as a failed sign-in; a pool's last coordinator is refused."""
    name = who_signed_in(request, uow)
    _ = gettext_for(request)
    try:
        privacy.delete_account(uow, name, form.text("password", default=""),
                               client=client_address(request), policy=policy, now=now)
    except TooManyFailuresError as locked:
        return _locked_out(locked, lambda error: _account_page(request, uow, name, 429,
                                                               delete_error=error), _)
    except SignInError:
        return _account_page(request, uow, name, 403,
                             delete_error=_("The password is not the one you gave."))
    except ConflictError:
        return _account_page(
            request, uow, name, 409,
            delete_error=_("You are the last coordinator of a pool: make another member a"
                           " coordinator first."))
    end_browser_session(request)
    flash(request, _("Your account is deleted."))
    return redirect("/")


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Revoke one of the caller's API tokens."""
    name = who_signed_in(request, uow)
    accounts.revoke_token(uow, name, token_id)
    _ = gettext_for(request)
    flash(request, _("The token is revoked."))
    return redirect("/account")
