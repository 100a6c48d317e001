"""``peerconomy member``: onboarding a pool's real membership list, and claiming members.

``member import members.csv --pool P`` adds the list's members (unclaimed) with an
invitation each; the links are written to ``--invitations FILE`` (a CSV, readable by its
owner only) or printed. A member claims their place by following their link; an operator
may also link an existing account to a member (``member link``).
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import DbOption, PoolOption, fail, read_text_file, refusals, terminal
from peerconomy.cli.common import unit_of_work as open_uow
from peerconomy.domain.invitations import INVITATION_DAYS

if TYPE_CHECKING:
    from peerconomy.domain.pool import Member

__all__ = ["InvitationsOption", "member_app", "report_invitations"]

member_app = typer.Typer(help="A pool's members: import a list, invite, link accounts.",
                         no_args_is_help=True)

InvitationsOption = Annotated[
    Path | None,
    typer.Option("--invitations", metavar="FILE",
                 help="Write the invitation links to this CSV file instead of printing them."),
]
DaysOption = Annotated[
    int, typer.Option("--days", min=1, max=365, help="How many days the invitations work.")
]


@member_app.command("import")
def import_(
    members_csv: Annotated[Path, typer.Argument(metavar="MEMBERS.csv")],
    pool: PoolOption,
    invitations: InvitationsOption = None,
    days: DaysOption = INVITATION_DAYS,
    db: DbOption = None,
) -> None:
    """Add a membership list (columns id, display_name, email, phone, capacity, exempt,
    role) with an invitation for every member; nothing is stored if any row is bad."""
    from peerconomy.http.settings import base_url_from_environment
    from peerconomy.services import roster

    text = read_text_file(members_csv)
    uow = open_uow(db)
    with refusals():
        invited = roster.import_members(uow(), pool, text, days=days)
    base = base_url_from_environment()
    terminal().print(f"[green]✓[/green] {len(invited)} members added to {escape(pool)}")
    report_invitations([(i.member, i.link(base)) for i in invited], invitations)


@member_app.command("invite")
def invite(
    pool: PoolOption,
    participant: Annotated[
        list[str] | None,
        typer.Argument(metavar="[PARTICIPANT]...", help="Whom (default: every member nobody"
                       " has claimed)."),
    ] = None,
    invitations: InvitationsOption = None,
    days: DaysOption = INVITATION_DAYS,
    db: DbOption = None,
) -> None:
    """New invitation links for members nobody has claimed yet."""
    from peerconomy.http.settings import base_url_from_environment
    from peerconomy.services import membership, roster

    uow = open_uow(db)
    with refusals():
        made = membership.invite_members(uow(), pool, participant or None, days=days)
    base = base_url_from_environment()
    report_invitations([(m, roster.invitation_link(base, code)) for m, _, code in made],
                       invitations)


@member_app.command("link")
def link(
    pool: PoolOption,
    participant: Annotated[str, typer.Argument(metavar="PARTICIPANT")],
    user: Annotated[str, typer.Argument(metavar="USER", help="The account's user name.")],
    db: DbOption = None,
) -> None:
    """Link an existing account to a member nobody has claimed."""
    from peerconomy.services import membership

    uow = open_uow(db)
    with refusals():
        membership.link_member(uow(), pool, participant, user)
    terminal().print(f"[green]✓[/green] {escape(user)} is member {escape(participant)} of"
                    f" {escape(pool)}")


def report_invitations(links: Sequence[tuple[Member, str]], output: Path | None) -> None:
    """The invitation links: into ``output`` as CSV (readable by its owner only, since each
    link lets one person in), or as a table on the terminal."""
    from peerconomy.ledger.export import csv_text

    if output is None:
        if not links:
            terminal().print("no invitations made (every member is claimed)")
            return
        table = Table(title="invitation links (each works once)", title_justify="left")
        for column in ("participant", "name", "email", "link"):
            table.add_column(column, overflow="fold")
        for member, url in links:
            table.add_row(escape(member.id), escape(member.display_name),
                          escape(member.email or ""), escape(url))
        terminal().print(table)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "display_name", "email", "link"])
    for member, url in links:  # a name from a membership list may start like a formula
        writer.writerow([csv_text(member.id), csv_text(member.display_name),
                         csv_text(member.email or ""), url])
    try:
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(buffer.getvalue())
    except OSError as error:
        fail(f"{output}: cannot write: {error.strerror or error}")
    sys.stdout.write(f"{len(links)} invitation links written to {output}\n")
