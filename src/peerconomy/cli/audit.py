"""``peerconomy audit``: the audit log, as the site's operator reads it.

Without ``--pool`` it shows the site-wide entries, which belong to no pool and which no page
or route shows: sign-ups, sign-ins and sign-outs, password changes and resets, reset links,
API tokens issued and revoked. With ``--pool`` it shows that pool's entries (what its
coordinators read on the pool's audit page). Newest first, ``--limit`` at a time;
``--before`` the last number shown reads the next page.
"""

from __future__ import annotations

import json as json_module
from datetime import UTC
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import DbOption, JsonOption, print_json, refusals, terminal
from peerconomy.cli.common import unit_of_work as open_uow
from peerconomy.domain.audit import MAX_PAGE

if TYPE_CHECKING:
    from peerconomy.domain.audit import AuditEntry

__all__ = ["audit"]


def audit(
    pool: Annotated[
        str | None,
        typer.Option("--pool", metavar="NAME",
                     help="This pool's entries, not the site-wide ones."),
    ] = None,
    limit: Annotated[
        str, typer.Option("--limit", metavar="N",
                          help=f"At most N entries (1 to {MAX_PAGE}).")
    ] = "50",
    before: Annotated[
        str | None,
        typer.Option("--before", metavar="ID",
                     help="Only entries older than entry ID (the next page)."),
    ] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The audit log, newest first: the site-wide entries (accounts, sign-ins, API
    tokens), or a pool's with --pool."""
    from peerconomy.services import audit as audit_service

    with refusals():  # numbers read here, so that a bad one is one line too (exit 2)
        count = _whole_number("limit", limit)
        older = None if before is None else _whole_number("before", before)
    uow = open_uow(db)
    with refusals():
        if pool is None:
            found = audit_service.site_log(uow(), limit=count, before=older)
        else:
            found = audit_service.audit_log(uow(), pool, limit=count, before=older)
    following = found[-1].id if len(found) == count else None
    if json:
        print_json({"pool": pool, "entries": [_as_json(e) for e in found],
                    "next": following})
        return
    where = f"the audit log of {escape(pool)}" if pool is not None else "the site-wide audit log"
    table = Table(title=f"{where}, newest first", title_justify="left")
    for column in ("#", "at (UTC)", "actor", "action", "subject", "detail"):
        table.add_column(column, justify="right" if column == "#" else "left")
    for entry in found:
        table.add_row(
            str(entry.id),
            entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            escape(entry.actor) if entry.actor is not None else "-",
            escape(entry.action),
            escape(entry.subject) if entry.subject is not None else "",
            escape(json_module.dumps(entry.detail, ensure_ascii=False)) if entry.detail else "",
        )
    console = terminal()
    console.print(table)
    if following is not None:
        console.print(f"older entries: --before {following}")


def _whole_number(option: str, text: str) -> int:
    from peerconomy.domain.refusal import InputError

    try:
        return int(text.strip())
    except ValueError:
        raise InputError(option, f"must be a whole number, got {text!r}") from None


def _as_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "pool": entry.pool,
        "action": entry.action,
        "subject": entry.subject,
        "detail": entry.detail,
    }
