"""The ``peerconomy`` command: clear or check a scenario file, run a pool, show the demo,
simulate a pool under different rules, clear a federation of pools, read the audit log.

Entrypoints stay thin: parse the arguments, call the domain or one service, map a refusal
to one line on stderr and exit code 2 (see :mod:`peerconomy.cli.common`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.audit import audit
from peerconomy.cli.common import fail, terminal, write_json
from peerconomy.cli.db import db_app
from peerconomy.cli.demo import demo
from peerconomy.cli.engine import warm_up
from peerconomy.cli.federation import federation_app
from peerconomy.cli.help_text import flow_help
from peerconomy.cli.holdings import holding_app
from peerconomy.cli.ledger import ledger_app
from peerconomy.cli.mail import mail_app
from peerconomy.cli.members import member_app
from peerconomy.cli.pickup import distribution, pickup_app
from peerconomy.cli.pool import hints, period_app, pool_app, work_app
from peerconomy.cli.serve import serve
from peerconomy.cli.shifts import shift_app
from peerconomy.cli.simulate import simulate
from peerconomy.cli.tick import tick
from peerconomy.cli.usage import OneLineUsage
from peerconomy.cli.users import user_app
from peerconomy.cli.wishes import wish_app

if TYPE_CHECKING:
    from peerconomy.domain.scenario_columns import ScenarioColumns

__all__ = ["app"]

app = typer.Typer(
    name="peerconomy",
    help="Share out a pool's work and goods by contributions, not exchange.",
    cls=OneLineUsage,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _load(path: Path) -> ScenarioColumns:
    """The scenario file, read the fast way, into columns (the same checks and errors as the
    parser's)."""
    from peerconomy.domain.scenario import ScenarioError
    from peerconomy.domain.scenario_columns import read_columns_file

    try:
        return read_columns_file(path)
    except ScenarioError as err:
        fail(str(err))
    except (MemoryError, RecursionError):  # a last guard: the readers refuse these by name
        fail(f"{path}: too large or nested too deeply to read")


def _show_version(value: bool) -> None:
    if value:
        from peerconomy import __version__

        typer.echo(f"peerconomy {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Share out a pool's work and goods by contributions, not exchange."""


ScenarioPath = Annotated[
    Path, typer.Argument(metavar="SCENARIO.json", help="A peerconomy-scenario/1 JSON file.")
]


@app.command()
def clear(
    scenario: ScenarioPath,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="PLAN.json", help="Write the plan here, not to stdout."
        ),
    ] = None,
) -> None:
    """Clear one period: print the plan (weights, assignments, allocations, shares) as JSON."""
    loaded = _load(scenario)
    from peerconomy.domain.clearing import clear_scenario  # the engine, loaded when needed
    from peerconomy.domain.scenario import ScenarioError

    try:
        plan = clear_scenario(loaded)
    except ScenarioError as err:
        fail(str(err))
    write_json(plan.to_json(), output)


@app.command()
def validate(scenario: ScenarioPath) -> None:
    """Check a scenario file and summarise it; exit 2 with the first problem if it is bad."""
    loaded = _load(scenario)
    table = Table()
    table.add_column("kind")
    table.add_column("count", justify="right")
    for kind, count in (
        ("participants", len(loaded.participant_ids)),
        ("projects", len(loaded.projects)),
        ("tasks", len(loaded.tasks)),
        ("goods", len(loaded.goods)),
        ("offers", len(loaded.offer_hours)),
        ("wishes", len(loaded.wish_ids)),
    ):
        table.add_row(kind, str(count))
    console = terminal()
    console.print(f"[green]✓[/green] {escape(str(scenario))}: a valid scenario")
    console.print(table)


app.add_typer(pool_app, name="pool")
app.add_typer(member_app, name="member")
app.add_typer(user_app, name="user")
app.add_typer(period_app, name="period")
app.add_typer(work_app, name="work")
app.add_typer(wish_app, name="wish")
app.add_typer(holding_app, name="holding")
app.add_typer(pickup_app, name="pickup")
period_app.command("distribution")(distribution)
app.add_typer(shift_app, name="shift")
app.add_typer(ledger_app, name="ledger")
app.add_typer(db_app, name="db")
app.add_typer(federation_app, name="federation")
app.add_typer(mail_app, name="mail")
app.command()(hints)
app.command()(demo)
app.command()(serve)
app.command()(tick)
app.command()(simulate)
app.command()(audit)
app.command(name="warm-up")(warm_up)
flow_help(app)
