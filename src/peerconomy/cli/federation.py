"""``peerconomy federation clear DIR``: clear a federation of pools (a directory of scenario
files, one pool each) to its merged pool's plan, on Ray or serially.

Bad input (a file, a field, an id two pools give, differing settings) is one line on stderr,
``error: path: reason``, and exit code 2; nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peerconomy.cli.common import fail, write_json
from peerconomy.cli.extras import require_extra

__all__ = ["federation_app"]

federation_app = typer.Typer(
    help="Clear a federation of pools: a directory of scenario files, one pool each.",
    no_args_is_help=True,
)


@federation_app.command("clear")
def clear(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="The federation: DIR/*.json, one pool each"
                             " (the pool's name is the file's stem), and an optional"
                             " DIR/federation.json with the settings.")
    ],
    address: Annotated[
        str | None,
        typer.Option("--address", metavar="ADDR",
                     help="An existing Ray cluster (default: a local Ray on this machine)."),
    ] = None,
    serial: Annotated[
        bool, typer.Option("--serial", help="Clear in this process, without Ray.")
    ] = False,
    split: Annotated[
        bool, typer.Option("--split", help="Print each pool's part of the plan.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="PLAN.json",
                     help="Write the plan here, not to stdout."),
    ] = None,
) -> None:
    """Clear the federation's merged pool, piecewise and in parallel; print the plan as JSON
    (the plan `peerconomy clear` gives for the merged pool)."""
    if serial and address is not None:
        fail("--address: not with --serial")
    if not serial:
        require_extra("scale", "ray", needed_by="federation clear (without --serial)")
    from peerconomy.domain.scenario import ScenarioError
    from peerconomy.scale import clear_federation, load_federation, split_plan

    try:
        federation = load_federation(directory)
    except ScenarioError as err:
        fail(str(err))
    if not serial:
        from peerconomy.scale.ray_runner import ensure_ray

        try:
            ensure_ray(address)
        except (ConnectionError, RuntimeError, ValueError) as err:
            where = f" at {address}" if address else ""
            fail(f"--address: cannot start or reach Ray{where}: {err}", code=1)
    try:
        plan = clear_federation(federation, serial=serial, address=address)
    except ScenarioError as err:
        fail(str(err))
    write_json(split_plan(plan, federation) if split else plan.to_json(), output)
