"""The pages members and coordinators use: server-rendered Jinja2 with a little htmx, in
English and German.

:func:`install_pages` adds them to the application (:func:`peerconomy.asgi.create_app`);
like the API's routes, each page handler parses its input, calls a service and shows the
result. Every form carries the session's CSRF token; a GET never changes anything; a
successful post is answered by a redirect (303) to the page that shows its effect.
"""

from __future__ import annotations

import functools
from importlib import resources
from urllib.parse import quote, urlsplit, urlunsplit

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.staticfiles import StaticFiles

from peerconomy.http.errors import HtmlRenderer
from peerconomy.i18n import N_, gettext_for
from peerconomy.web.clearing import ClearingJobs
from peerconomy.web.forms import local_path
from peerconomy.web.rendering import is_htmx, redirect, render, render_fragment

__all__ = ["HtmlRenderer", "favicon", "install_pages", "render_refusal"]

_OTHER_HEADING = N_("That did not work")
_HEADINGS = {
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("That clashes with what is there"),
    422: N_("Please check your input"),
}


def _same_site_path(request: Request, url: str) -> str | None:
    """The path and query of ``url`` if it is an address on this site (by host alone: behind
    a TLS proxy the server hears http while the browser says https, and no proxy header is
    believed for that)."""
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"} and parts.netloc == request.url.netloc:
        return urlunsplit(("", "", parts.path, parts.query, ""))
    return None


def render_refusal(request: Request, status_code: int, message: str) -> Response:
    """A refusal as a page: not signed in, a redirect to the sign-in page (and back).

    To htmx, a refusal is a piece of a page, ``_refusal.html``: an alert with the reason,
    which ``static/refusals.js`` shows beside the button that was clicked (htmx swaps
    nothing in for an error). Not signed in (the session ran out), htmx is told to go to
    the sign-in page, and back to the page it was on."""
    if status_code == 401:
        if is_htmx(request):
            back = local_path(_same_site_path(request, request.headers.get(
                "HX-Current-URL", "")))
            answer = _refusal_fragment(request, status_code, message)
            answer.headers["HX-Redirect"] = "/signin?next=" + quote(back, safe="")
            return answer
        back = request.url.path if request.method == "GET" else "/"
        if request.url.query and request.method == "GET":
            back += "?" + request.url.query
        return redirect("/signin?next=" + quote(back, safe=""))
    if is_htmx(request):
        return _refusal_fragment(request, status_code, message)
    _ = gettext_for(request)
    heading = _(_HEADINGS.get(status_code, _OTHER_HEADING))
    # the page it came from, if on this site
    back = local_path(_same_site_path(request, request.headers.get("Referer", "")))
    return render(request, "error.html", status_code, heading=heading, message=message,
                  back=back)


def _refusal_fragment(request: Request, status_code: int, message: str) -> Response:
    _ = gettext_for(request)
    heading = _(_HEADINGS.get(status_code, _OTHER_HEADING))
    return render_fragment(request, "_refusal.html", status_code, heading=heading,
                           message=message)


def install_pages(app: FastAPI) -> HtmlRenderer:
    """Serve the pages and their static files on ``app``; the renderer of refusals."""
    from peerconomy.web import (
        routes_accounts,
        routes_books,
        routes_calendar,
        routes_period,
        routes_pickup,
        routes_pool,
        routes_projects,
        routes_shift_exchange,
        routes_shifts,
    )

    app.state.clearing = ClearingJobs()
    # the member's pages first: routes are matched in order, and these are asked for most
    for module in (routes_pool, routes_accounts, routes_period, routes_books, routes_projects,
                   routes_pickup, routes_shifts, routes_shift_exchange, routes_calendar):
        app.include_router(module.router)
    app.add_api_route("/favicon.ico", favicon, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(packages=[("peerconomy.web", "static")]), name="static")
    return render_refusal


@functools.cache
def _icon() -> bytes:
    return (resources.files("peerconomy.web") / "static" / "favicon.ico").read_bytes()


def favicon() -> Response:
    """The site's icon where browsers look for it unasked (and feed readers, bookmarks):
    ``static/favicon.ico``, the ICO of the ``static/favicon.svg`` that the pages link."""
    return Response(_icon(), media_type="image/x-icon",
                    headers={"Cache-Control": "public, max-age=86400"})
