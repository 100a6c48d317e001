"""Ledger commands: balances, statements, exports and corrections of a pool's books."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import (
    DbOption,
    JsonOption,
    PoolOption,
    print_json,
    refusals,
    terminal,
    write_text,
)
from peerconomy.cli.common import unit_of_work as open_uow

__all__ = ["ledger_app"]

ledger_app = typer.Typer(help="Read and export a pool's books.", no_args_is_help=True)


@ledger_app.command()
def balances(pool: PoolOption, json: JsonOption = False, db: DbOption = None) -> None:
    """Every participant's balance and the pool account's; they sum to zero."""
    from peerconomy.ledger.journal import POOL, participant_of
    from peerconomy.services import books

    uow = open_uow(db)
    with refusals():
        held = books.balances(uow(), pool)
    total = sum(held.values(), Decimal(0))
    if json:
        print_json({
            "pool": pool,
            "participants": {
                participant_of(account): str(amount)
                for account, amount in held.items() if account != POOL
            },
            "pool_account": str(held[POOL]),
            "sum": str(total),
        })
        return
    table = Table(title=f"balances of {escape(pool)} (weighted hours)", title_justify="left")
    table.add_column("account")
    table.add_column("balance", justify="right")
    for account, amount in held.items():
        table.add_row(escape(account), f"{amount:.6f}")
    table.add_section()
    table.add_row("sum", f"{total:.6f}")
    terminal().print(table)


@ledger_app.command()
def export(
    pool: PoolOption,
    fmt: Annotated[
        Literal["csv", "json", "beancount"],
        typer.Option("--format", help="csv, json or beancount (Fava reads it)."),
    ],
    db: DbOption = None,
) -> None:
    """Print the whole journal as CSV, JSON or Beancount text."""
    from peerconomy.services import books

    uow = open_uow(db)
    with refusals():
        text = books.export(uow(), pool, fmt)
    write_text(text)


@ledger_app.command()
def statement(
    pool: PoolOption,
    participant: Annotated[str, typer.Option("--participant", metavar="P", help="Whose.")],
    period: Annotated[
        int | None, typer.Option("--period", metavar="N", help="Only this period's lines.")
    ] = None,
    db: DbOption = None,
) -> None:
    """A participant's postings with the running balance."""
    from peerconomy.services import books

    uow = open_uow(db)
    with refusals():
        lines = books.participant_statement(uow(), pool, participant, period)
    table = Table(title=f"statement of {escape(participant)}", title_justify="left")
    for column in ("period", "date", "transaction", "narration", "amount", "balance"):
        table.add_column(
            column,
            justify="right" if column in ("amount", "balance") else "left",
            no_wrap=column != "narration",  # ids and figures are never cut; the narration wraps
        )
    for line in lines:
        table.add_row(str(line.period), line.date.isoformat(), escape(line.transaction),
                      escape(line.narration), f"{line.amount:.6f}", f"{line.balance:.6f}")
    terminal().print(table)


@ledger_app.command()
def correct(
    pool: PoolOption,
    transaction: Annotated[str, typer.Option("--transaction", metavar="ID", help="To reverse.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (the narration).")],
    db: DbOption = None,
) -> None:
    """Reverse a transaction by a new, reversing one."""
    from peerconomy.services import books

    uow = open_uow(db)
    with refusals():
        undo = books.correct(uow(), pool, transaction, reason)
    terminal().print(f"[green]✓[/green] {escape(transaction)} reversed by {escape(undo.id)}")
