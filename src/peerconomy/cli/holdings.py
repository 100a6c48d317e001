"""Goods that last on the command line: ``peerconomy holding list|notice --pool P``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import DbOption, JsonOption, PoolOption, print_json, refusals, terminal
from peerconomy.cli.common import unit_of_work as open_uow

__all__ = ["holding_app"]

holding_app = typer.Typer(help="Units of goods that last, held from period to period.",
                          no_args_is_help=True)


@holding_app.command("list")
def list_holdings(
    pool: PoolOption,
    participant: Annotated[str | None, typer.Option(help="Only this participant's.")] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List the pool's holdings: who holds which units, for how many periods more, at which
    locked premium, and whether notice was given."""
    from peerconomy.services import holdings

    uow = open_uow(db)
    with refusals():
        found = holdings.holdings_of(uow(), pool, participant)
    if json:
        print_json([{"id": h.id, "participant": h.participant, "good": h.good,
                     "quantity": h.quantity, "premium": h.premium, "won_in": h.won_in,
                     "periods_left": h.periods_left, "notice_given": h.notice_given}
                    for h in found])
        return
    table = Table(title=f"holdings of {escape(pool)}")
    for column in ("id", "participant", "good", "units", "left", "premium", "notice"):
        table.add_column(column, justify="left" if column in ("participant", "good") else "right")
    for h in found:
        table.add_row(str(h.id), escape(h.participant), escape(h.good), str(h.quantity),
                      str(h.periods_left), f"{h.premium:.2f}", "given" if h.notice_given else "")
    terminal().print(table)


@holding_app.command("notice")
def notice(
    pool: PoolOption,
    holding: Annotated[int, typer.Argument(help="The holding's id (see holding list).",
                                           min=1, max=2**31 - 1)],
    db: DbOption = None,
) -> None:
    """Give notice on a holding: it ends after the current period and its units go back to
    the next period's auction."""
    from peerconomy.services import holdings

    uow = open_uow(db)
    with refusals():
        given = holdings.give_notice(uow(), pool, holding)
    terminal().print(
        f"[green]✓[/green] notice given on holding {given.id} of [bold]{escape(pool)}[/bold]"
        f" ({given.quantity} x {escape(given.good)}, {escape(given.participant)}): it ends"
        " after the current period")
