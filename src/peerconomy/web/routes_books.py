"""What every member may read of a pool: the hint board (also as an Atom feed) and the
ledger (statements, balances, charts over the periods, downloads)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from peerconomy.http.deps import NowDep, UowDep
from peerconomy.i18n import gettext_for, locale_of, translations, using
from peerconomy.ledger.journal import POOL, participant_of
from peerconomy.services import books, hints, labels, overview, views
from peerconomy.services.errors import NotFoundError
from peerconomy.web.charts import line_chart
from peerconomy.web.feed import atom_feed
from peerconomy.web.rendering import number, pool_page, pool_url
from peerconomy.web.viewer import pool_access

__all__ = ["feed_answer", "router"]

router = APIRouter(include_in_schema=False)
EXPORTS = {"csv": ("text/csv; charset=utf-8", "csv"),
           "beancount": ("text/plain; charset=utf-8", "beancount")}


@router.get("/pools/{pool}/hints", response_class=HTMLResponse)
def hint_board(pool: str, request: Request, uow: UowDep, now: NowDep) -> Response:
    """Uncovered task hours (most wanted first), the open slots on shifts by date, unmet
    wishes, over- and underproduction and each project's to-do list."""
    access = pool_access(request, uow, pool)
    board = hints.hint_board(uow, pool, now=now)
    return pool_page(request, "hints.html", access, "hints", board=board, uow=uow)


@router.get("/pools/{pool}/hints.atom")
def hint_feed(pool: str, request: Request, uow: UowDep, now: NowDep) -> Response:
    """The hint board as an Atom feed."""
    pool_access(request, uow, pool)
    return feed_answer(request, uow, pool, locale_of(request), now=now)


def feed_answer(request: Request, uow: UowDep, pool: str, locale: str,
                self_link: str | None = None, *, now: datetime | None = None) -> Response:
    """The hint board of ``pool`` as an Atom feed in ``locale`` (its own address
    ``self_link``; by default the hint board's with ``.atom``; the open slots ahead of
    ``now``), for a caller who may see it."""
    board = hints.hint_board(uow, pool, now=now)
    names = labels.labels(uow, pool)
    updated = datetime.now(UTC)
    if board.period is not None:
        plan = views.plan(uow, pool, board.period)
        if plan is not None:
            updated = plan.cleared_at
    found = translations(locale)
    _ = found.gettext
    base: str = request.app.state.settings.base_url
    text = atom_feed(
        board,
        link=f"{base}{pool_url(pool)}/hints",
        updated=updated,
        title=_("Hint board of %(pool)s") % {"pool": names.pool},
        gettext=_,
        ngettext=found.ngettext,
        names=names,
        self_link=self_link,
    )
    return Response(text, media_type="application/atom+xml; charset=utf-8",
                    headers={"Content-Language": locale})


@router.get("/pools/{pool}/ledger", response_class=HTMLResponse)
def ledger(pool: str, request: Request, uow: UowDep) -> Response:
    """My statement, everyone's balances, charts of my balance, weights and premiums."""
    access = pool_access(request, uow, pool)
    me = access.member.id if access.member else None
    statement = books.participant_statement(uow, pool, me) if me else []
    found = books.balances(uow, pool)
    balances = sorted(
        ((participant_of(account) or account, amount)
         for account, amount in found.items() if account != POOL),
    )
    history = overview.history(uow, pool, me)
    _ = gettext_for(request)

    def chart(series: Mapping[str, Mapping[int, float]], title: str, unit: str
              ) -> Markup | None:
        if not series:
            return None
        with using(locale_of(request)):
            return line_chart(series, title=title, x_label=_("period"), y_label=unit,
                              number=number)

    charts = {
        "balance": chart(
            {_("my balance"): {p: float(b) for p, b in history.balances.items()}}
            if history.balances else {},
            _("My balance over the periods"),
            _("hours"),
        ),
        "weights": chart(history.weights, _("Task weights over the periods"),
                         _("credit per hour")),
        "premiums": chart(history.premiums, _("Premiums of scarce goods over the periods"),
                          _("hours")),
    }
    return pool_page(
        request, "ledger.html", access, "ledger", statement=statement, balances=balances,
        pool_balance=found.get(POOL, Decimal(0)), total=sum(found.values(), Decimal(0)),
        charts=charts, me=me, uow=uow,
    )


@router.get("/pools/{pool}/ledger.{fmt}")
def download(pool: str, fmt: str, request: Request, uow: UowDep) -> Response:
    """The whole journal as CSV or Beancount text, to download."""
    pool_access(request, uow, pool)
    if fmt not in EXPORTS:
        raise NotFoundError("download format", fmt)
    media, suffix = EXPORTS[fmt]
    text = books.export(uow, pool, "csv" if fmt == "csv" else "beancount")
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in pool)
    return Response(text, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{safe}.{suffix}"'})
