"""``peerconomy simulate``: run a simulation configuration's rules side by side (or over its
sweep grid), check its claim, and write the report.

Everything that can be wrong with the input (the file, a field, the claim's name, a sweep
point, ``--periods``, ``--seed``) is refused before the first period runs, as one line on
stderr and exit code 2, and no report is written.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from peerconomy.cli.common import fail, terminal
from peerconomy.cli.extras import require_extra

if TYPE_CHECKING:
    from peerconomy.sim.claims import Verdict
    from peerconomy.sim.config import SimulationConfig
    from peerconomy.sim.runner import Comparison, PointRunner

__all__ = ["simulate"]

KEY_METRICS: dict[str, str] = {
    "total_utility": "utility",
    "envy": "envy",
    "uncovered_hours": "open hours",
    "unmet_wishes": "unmet wishes",
    "other_goods_cost": "other cost",
    "scarce_goods_cost": "scarce cost",
}
"""The metrics of the summary printed at the end, and their column headings."""


def _load(path: Path) -> SimulationConfig:
    from peerconomy.domain.refusal import InputError
    from peerconomy.sim.claims import CLAIMS
    from peerconomy.sim.config import load_config

    try:
        config = load_config(path)
    except InputError as err:
        fail(str(err))
    if config.claim is not None and config.claim not in CLAIMS:
        fail(f"claim: must be one of {', '.join(CLAIMS)}, got {config.claim!r}")
    return config


def _periods_to_run(config: SimulationConfig, periods: int | None, sweep: bool) -> int:
    """Every period of every run ahead; refuses a sweep point that is not a valid setting."""
    from peerconomy.domain.refusal import InputError
    from peerconomy.sim.claims import point_label
    from peerconomy.sim.config import sweep_points, with_value

    if not sweep:
        return len(config.rules) * (periods or config.periods)
    if not config.sweep:
        fail("sweep: the configuration has no sweep grid to run with --sweep")
    total = 0
    for point in sweep_points(config):
        changed = config
        try:
            for path, value in point.items():
                changed = with_value(changed, path, value)
        except InputError as err:
            fail(f"sweep: at {point_label(point)}: {err}")
        total += len(changed.rules) * (periods or changed.periods)
    return total


def _run(config: SimulationConfig, *, periods: int | None, seed: int | None, sweep: bool,
         total: int, parallel: PointRunner | None = None) -> list[Comparison]:
    from peerconomy.sim import runner

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TextColumn("periods"), TimeElapsedColumn(),
               TimeRemainingColumn())
    console = terminal(stderr=True)
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task(f"simulating {config.name}", total=total)

        def advance(n: int) -> None:
            progress.advance(task, n)

        if sweep:
            return runner.sweep(config, periods=periods, seed=seed, progress=advance,
                                parallel=parallel)
        return [runner.compare(config, periods=periods, seed=seed, progress=advance)]


def _ray_runner(address: str | None) -> PointRunner:
    """Ray, started or joined; a one-line error if it cannot be."""
    from functools import partial

    from peerconomy.scale.ray_runner import ensure_ray, unordered

    require_extra("scale", "ray", needed_by="--ray")
    try:
        ensure_ray(address)
    except (ConnectionError, RuntimeError, ValueError) as err:
        where = f" at {address}" if address else ""
        fail(f"--address: cannot start or reach Ray{where}: {err}", code=1)
    return partial(unordered, address=address)


_NOT_MEASURED = "\N{EN DASH}"


def _figure(value: float) -> str:
    return _NOT_MEASURED if math.isnan(value) else f"{value:.3g}"


def _summary(comparisons: list[Comparison], sweep: bool) -> list[Table]:
    """The key metrics by rule: one table, with a column for the swept setting where one
    setting is swept; a table per point where several are."""
    from peerconomy.sim.claims import point_label

    paths = list(dict.fromkeys(path for c in comparisons for path in c.point))
    column = paths[0] if sweep and len(paths) == 1 else None
    groups = ([comparisons] if column is not None or not sweep
              else [[comparison] for comparison in comparisons])
    rules = [run.rule for c in comparisons for run in c.runs]
    tables = []
    for group in groups:
        title = "Mean per period"
        if sweep and column is None:
            title += f" at {point_label(group[0].point)}"
        table = Table(title=escape(title), box=box.SIMPLE_HEAD, pad_edge=False)
        if column is not None:
            table.add_column(escape(column.rsplit(".", 1)[-1]), overflow="fold")
        table.add_column("rule", no_wrap=True, min_width=max(map(len, rules)))
        for heading in KEY_METRICS.values():
            table.add_column(heading, justify="right")
        for comparison in group:
            value = point_label(comparison.point).removeprefix(f"{column}=")
            for run in comparison.runs:
                overall = run.overall()
                cells = [_figure(overall[m]) if m in overall else _NOT_MEASURED
                         for m in KEY_METRICS]
                at = [escape(value)] if column is not None else []
                table.add_row(*at, escape(run.rule), *cells)
        tables.append(table)
    return tables


def _verdict(config: SimulationConfig, comparisons: list[Comparison]
             ) -> tuple[Verdict | None, str | None]:
    """The claim's verdict, or why it cannot be checked on these runs."""
    from peerconomy.sim.claims import check

    if config.claim is None:
        return None, None
    try:
        return check(config.claim, comparisons), None
    except ValueError as err:
        return None, str(err)


def simulate(
    config_path: Annotated[
        Path, typer.Argument(metavar="CONFIG.toml", help="A simulation configuration (TOML).")
    ],
    out: Annotated[
        Path, typer.Option("--out", metavar="DIR", help="Write the report into this directory.")
    ],
    periods: Annotated[
        int | None,
        typer.Option("--periods", metavar="N", help="Periods to run (default: the file's)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="S", help="Seed (default: the file's).")
    ] = None,
    sweep: Annotated[
        bool, typer.Option("--sweep", help="Run every point of the file's sweep grid.")
    ] = False,
    on_ray: Annotated[
        bool, typer.Option("--ray", help="With --sweep: run the points as Ray tasks.")
    ] = False,
    address: Annotated[
        str | None,
        typer.Option("--address", metavar="ADDR",
                     help="With --ray: an existing Ray cluster (default: a local Ray)."),
    ] = None,
) -> None:
    """Simulate a pool under the configured allocation rules and write a report.

    The rules run side by side on the same members and seed
    (with --sweep: at every point of the configuration's sweep grid).
    The report goes into --out: report.html, plots/ (PNG and SVG),
    and the data as CSV files."""
    if on_ray and not sweep:
        fail("--ray: runs a sweep's points in parallel; give --sweep too")
    if address is not None and not on_ray:
        fail("--address: only with --ray")
    if periods is not None and periods < 1:
        fail(f"--periods: must be at least 1, got {periods}")
    if seed is not None and seed < 0:
        fail(f"--seed: must be >= 0, got {seed}")
    require_extra("sim", "mesa", "matplotlib", needed_by="simulate")
    config = _load(config_path)
    total = _periods_to_run(config, periods, sweep)
    if out.exists() and not out.is_dir():
        fail(f"--out: {out} is not a directory")

    parallel = _ray_runner(address) if on_ray else None
    comparisons = _run(config, periods=periods, seed=seed, sweep=sweep, total=total,
                       parallel=parallel)
    verdict, claim_error = _verdict(config, comparisons)

    from peerconomy.sim.report import write_report

    try:
        report = write_report(out, comparisons, verdict, sweep=sweep, claim_error=claim_error)
    except OSError as err:
        fail(f"{out}: cannot write the report: {err.strerror or err}", code=1)
    console = terminal()
    for table in _summary(comparisons, sweep):
        console.print(table)
    if verdict is not None:
        said = "[green]holds[/green]" if verdict.holds else "[red]does not hold[/red]"
        console.print(f"claim [bold]{escape(verdict.claim)}[/bold]: {said}."
                      f" {escape(verdict.statement)}")
    console.print(f"report: [bold]{escape(str(report))}[/bold]")
    if claim_error is not None:
        fail(f"claim: {claim_error}")
