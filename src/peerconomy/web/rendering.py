"""Pages from templates: the Jinja2 environment, the context every page gets, and the short
notes ("flash") that a redirect carries to the next page.

Templates are translated with Jinja2's i18n extension; its ``gettext`` looks up the language
of the page being rendered (:func:`peerconomy.i18n.using`), so one environment serves
every language at once, thread-safely.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote, urlencode

from babel.core import Locale
from babel.dates import format_date, format_datetime, format_skeleton, get_day_names
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from peerconomy.domain.names import shown_name
from peerconomy.http.csrf import csrf_token
from peerconomy.http.sessions import session_user
from peerconomy.i18n import (
    LANGUAGES,
    active_locale,
    active_translations,
    locale_of,
    using,
)
from peerconomy.services import labels
from peerconomy.services.membership import Access, Level
from peerconomy.services.notices import moment_written
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "ENVIRONMENT",
    "flash",
    "is_htmx",
    "load_templates",
    "pool_page",
    "pool_url",
    "redirect",
    "render",
    "render_fragment",
    "signed_in_user",
]

FLASH: Final = "flash"
BLANK: Final = "\N{EN DASH}"
"""What a page shows where there is no value."""


def _gettext(message: str) -> str:
    return active_translations().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return active_translations().ngettext(singular, plural, n)


def _pgettext(context: str, message: str) -> str:
    return str(active_translations().pgettext(context, message))


def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return active_translations().npgettext(context, singular, plural, n)


@functools.cache
def _separators(locale: str) -> dict[int, str]:
    """How ``locale`` writes the decimal point and the thousands separator (Babel's data)."""
    symbols = Locale.parse(locale).number_symbols["latn"]
    return {ord("."): symbols["decimal"], ord(","): symbols["group"]}


def number(value: float | Decimal | int | None, places: int = 2) -> str:
    """A number as the page's language writes it, to at most ``places`` decimals without
    trailing zeros (``1,234.5`` / ``1.234,5``); a dash for none.

    Babel's own formatting parses its pattern on every call, which a page of many figures
    feels; the separators are all that differ between the shipped languages. The same few
    figures recur on every page (hours, weights), so their texts are kept.
    """
    if value is None:
        return BLANK
    return _number(value, places, active_locale())


@functools.lru_cache(maxsize=4096)
def _number(value: float | Decimal | int, places: int, locale: str) -> str:
    text = f"{value:,.{places}f}"
    if places:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.translate(_separators(locale))


def when(value: datetime | date | None) -> str:
    """A date or moment as the page's language writes it."""
    if value is None:
        return BLANK
    if isinstance(value, datetime):
        return format_datetime(value, "medium", locale=active_locale())
    return format_date(value, "medium", locale=active_locale())


def deadline(value: datetime, zone: str) -> str:
    """A moment as the day and time it is in the pool's time zone ``zone``, in the page's
    language (``Fri, May 8 18:00``): when a period's offers close."""
    return moment_written(value, zone, active_locale())


def day(value: date) -> str:
    """A day of a period as the page's language writes it, with its weekday
    (``Mon, May 4``)."""
    return format_skeleton("MMMEd", value, locale=active_locale())


def weekday(index: int) -> str:
    """Weekday ``index`` (Monday 0) as the page's language abbreviates it (``Sat``)."""
    return str(get_day_names("abbreviated", locale=active_locale())[index])


ENVIRONMENT: Final = Environment(
    loader=PackageLoader("peerconomy.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the templates are part of the installed package
)
ENVIRONMENT.install_gettext_callables(  # type: ignore[attr-defined]
    _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
)
ENVIRONMENT.filters["num"] = number
ENVIRONMENT.filters["when"] = when
ENVIRONMENT.filters["shown"] = shown_name  # a project's, task's or good's name, else its id
ENVIRONMENT.filters["deadline"] = deadline
ENVIRONMENT.filters["day"] = day
ENVIRONMENT.filters["weekday"] = weekday
ENVIRONMENT.filters["seg"] = lambda text: quote(str(text), safe="")


def load_templates() -> int:
    """Compile every template now (a server does this before its first request, so that its
    threads do not each compile the same template when the first visitors arrive); how many."""
    names = ENVIRONMENT.list_templates(extensions=["html"])
    for name in names:
        ENVIRONMENT.get_template(name)
    return len(names)


def signed_in_user(request: Request) -> str | None:
    """The signed-in user's name, from the store's record of the session whose id the
    cookie carries (the cookie holds no name). The session is checked once per request:
    every page's unit of work, and a refusal's page on the event loop, check it before the
    page is rendered, so this reads the answer kept in the request."""
    return session_user(request)


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """Show ``message`` (already translated) on the next page this browser gets."""
    notes = request.session.get(FLASH)
    request.session[FLASH] = [*(notes if isinstance(notes, list) else []), [kind, message]]


def redirect(url: str) -> RedirectResponse:
    """See other: where a successful form post goes."""
    return RedirectResponse(url, status_code=303)


def _here(request: Request) -> str:
    """The page's path and query, where the language switch returns to (without ``lang``,
    which would outvote the language just chosen)."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + ("?" + urlencode(query) if query else "")


def _csrf(request: Request) -> dict[str, str | Markup]:
    """The session's CSRF token, and the hidden field that carries it in every form."""
    token = csrf_token(request)
    return {
        "csrf_token": token,
        "csrf_field": Markup('<input type="hidden" name="csrf_token" value="%s">') % token,
    }


def _context(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    notes = request.session.pop(FLASH, None)
    return {
        "request": request,
        "user": signed_in_user(request),
        **_csrf(request),
        "lang": active_locale(),
        "languages": LANGUAGES,
        "flashes": notes if isinstance(notes, list) else [],
        "here": _here(request),
        **values,
    }


def render(
    request: Request, template: str, status_code: int = 200, **values: Any
) -> HTMLResponse:
    """The page ``template`` in the request's language."""
    with using(locale_of(request)):
        html = ENVIRONMENT.get_template(template).render(_context(request, values))
    return _in_language(request, html, status_code)


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request (it says so in a header): such a request is answered
    with a piece of a page, never a whole one nor a redirect."""
    return request.headers.get("HX-Request") == "true"


def render_fragment(
    request: Request, template: str, status_code: int = 200, **values: Any
) -> HTMLResponse:
    """A piece of a page for htmx to swap in (no notes are taken off the session)."""
    with using(locale_of(request)):
        html = ENVIRONMENT.get_template(template).render(
            {"request": request, **_csrf(request), "lang": active_locale(),
             **values}
        )
    return _in_language(request, html, status_code)


def _in_language(request: Request, html: str, status_code: int) -> HTMLResponse:
    """``html`` as an answer that says its language and what it varies with (the language
    asked for, and the session whose language it may be)."""
    return HTMLResponse(
        html,
        status_code,
        headers={"Content-Language": locale_of(request), "Vary": "Accept-Language, Cookie"},
    )


def pool_url(pool: str) -> str:
    """The address of a pool's pages."""
    return "/pools/" + quote(pool, safe="")


def pool_page(
    request: Request, template: str, access: Access, tab: str, status_code: int = 200,
    *, uow: UnitOfWork, **values: Any,
) -> HTMLResponse:
    """A page of one pool, with the pool's tabs (the coordinators' tab for them only), and
    ``names``: the pool's names as people read them, which the page shows in place of ids
    (``names.task(a.task)``, see :class:`~peerconomy.domain.names.Labels`), read here from
    ``uow`` (in the caller's transaction where it is in one) so that no page goes without
    them."""
    role = access.member.role if access.member else None
    names = labels.labels(uow, access.pool.name)
    return render(
        request,
        template,
        status_code,
        pool=access.pool.name,
        pool_title=access.pool.shown_name,
        names=names,
        pool_url=pool_url(access.pool.name),
        level=int(access.level),
        role=role,
        is_member=access.level >= Level.MEMBER and access.member is not None,
        tab=tab,
        pool_zone=access.pool.settings.schedule.time_zone,
        **values,
    )
