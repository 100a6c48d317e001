"""``peerconomy wish``: a member's wish made or withdrawn from the command line, as an
operator does for a member without a browser (a CSA's season shares taken on paper).

``wish make --pool P --member M --good G [--good G2] [--quantity N] [--term T]`` makes a wish
(with ``--term``, a subscription standing that many periods, served first in the lottery);
``wish withdraw --pool P WISH`` withdraws one. A bad value is one line naming the field and
exit code 2, and nothing is stored.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from peerconomy.cli.common import DbOption, PoolOption, refusals, terminal
from peerconomy.cli.common import unit_of_work as open_uow

__all__ = ["wish_app"]

wish_app = typer.Typer(help="Wishes: make one for a member (a subscription with --term), "
                            "or withdraw one.", no_args_is_help=True)


@wish_app.command("make")
def make(
    pool: PoolOption,
    member: Annotated[str, typer.Option("--member", metavar="ID", help="Whose wish.")],
    good: Annotated[list[str], typer.Option(
        "--good", metavar="GOOD", help="A good that would do (repeat for alternatives, in"
                                       " order of preference).")],
    quantity: Annotated[int, typer.Option("--quantity", help="How many units.")] = 1,
    term: Annotated[str | None, typer.Option(
        "--term", metavar="PERIODS", help="A subscription: the wish stands this many periods"
                                          " (1 to 10,000) and is served first where a good is"
                                          " over-wished.")
    ] = None,
    wish_id: Annotated[str | None, typer.Option(
        "--id", metavar="WISH", help="The wish's id (default: a new one); an existing id of"
                                     " the member's is changed.")] = None,
    db: DbOption = None,
) -> None:
    """Make (or change) a member's wish for the collecting period."""
    from peerconomy.domain.ids import new_wish_id
    from peerconomy.domain.scenario import Wish, parse_part
    from peerconomy.services import collecting

    uow = open_uow(db)
    with refusals():
        wish = parse_part(Wish, {
            "participant": member, "id": wish_id or new_wish_id(member),
            "quantity": quantity, "alternatives": [{"good": g} for g in good],
            **({} if term is None else {"term": _whole(term)}),
        }, "wish")
        made = collecting.make_wish(uow(), pool, wish)
    what = f"{made.quantity} x {' or '.join(a.good or '' for a in made.alternatives)}"
    standing = f", a subscription for {made.term} periods" if made.term is not None else ""
    terminal().print(f"[green]✓[/green] wish {escape(made.id)} of {escape(made.participant)}:"
                     f" {escape(what)}{standing}")


def _whole(text: str) -> int | str:
    """``text`` as an integer where it is one; else as it is, for the domain's check of the
    term to refuse in its own words (one line naming ``wish.term``)."""
    try:
        return int(text)
    except ValueError:
        return text


@wish_app.command("withdraw")
def withdraw(
    wish: Annotated[str, typer.Argument(metavar="WISH")],
    pool: PoolOption,
    db: DbOption = None,
) -> None:
    """Withdraw a wish of the collecting period."""
    from peerconomy.services import collecting

    uow = open_uow(db)
    with refusals():
        collecting.withdraw_wish(uow(), pool, wish)
    terminal().print(f"[green]✓[/green] wish {escape(wish)} withdrawn")
