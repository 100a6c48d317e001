"""``peerconomy user``: the site's operator manages accounts on the database (and exports or
deletes one on its owner's request).

The site's first admin is made here on purpose (never by being first to sign up); a new
account and a reset get a one-time link that sets the password, printed for the operator to
pass on, so no mail server is needed. Links point at ``PEERCONOMY_BASE_URL``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import (
    DbOption,
    JsonOption,
    fail,
    print_json,
    refusals,
    terminal,
    write_json,
)
from peerconomy.cli.common import unit_of_work as open_uow

if TYPE_CHECKING:
    from peerconomy.services.users import PasswordLink

__all__ = ["user_app"]

user_app = typer.Typer(help="Manage accounts (the site's operator).", no_args_is_help=True)

NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The account's user name.")]


@user_app.command("create")
def create(
    name: NameArgument,
    email: Annotated[str, typer.Option("--email", metavar="E", help="Their email address.")],
    admin: Annotated[bool, typer.Option("--admin", help="Make them the site's admin.")] = False,
    display_name: Annotated[
        str, typer.Option("--display-name", metavar="TEXT", help="How they are called.")
    ] = "",
    db: DbOption = None,
) -> None:
    """Make an account; prints a one-time link that sets its password."""
    from peerconomy.services import users

    uow = open_uow(db)
    with refusals():
        link = users.create_user(uow(), name, email, admin=admin, display_name=display_name)
    role = "site admin" if admin else "account"
    _print_link(f"{role} {escape(name)} made", link)


@user_app.command("list")
def list_(json: JsonOption = False, db: DbOption = None) -> None:
    """Every account: name, email, admin, disabled."""
    from peerconomy.services import users

    uow = open_uow(db)
    with refusals():
        found = users.list_users(uow())
    if json:
        print_json([{"name": u.name, "email": u.email, "display_name": u.display_name,
                     "site_admin": u.site_admin, "disabled": u.disabled,
                     "created_at": u.created_at.isoformat()} for u in found])
        return
    table = Table(title="accounts", title_justify="left")
    for column in ("name", "email", "display name", "admin", "disabled", "since"):
        table.add_column(column)
    for u in found:
        table.add_row(escape(u.name), escape(u.email), escape(u.display_name),
                      "yes" if u.site_admin else "", "yes" if u.disabled else "",
                      u.created_at.strftime("%Y-%m-%d"))
    terminal().print(table)


@user_app.command("promote")
def promote(name: NameArgument, db: DbOption = None) -> None:
    """Make the account a site admin (sees and manages every pool)."""
    from peerconomy.services import users

    uow = open_uow(db)
    with refusals():
        users.set_admin(uow(), name, True)
    terminal().print(f"[green]✓[/green] {escape(name)} is a site admin")


@user_app.command("demote")
def demote(name: NameArgument, db: DbOption = None) -> None:
    """Take the site admin's rights from the account."""
    from peerconomy.services import users

    uow = open_uow(db)
    with refusals():
        users.set_admin(uow(), name, False)
    terminal().print(f"[green]✓[/green] {escape(name)} is no site admin now")


@user_app.command("reset-password")
def reset_password(name: NameArgument, db: DbOption = None) -> None:
    """Print a one-time link that sets a new password (no mail server needed)."""
    from peerconomy.services import users

    uow = open_uow(db)
    with refusals():
        link = users.password_link(uow(), name)
    _print_link(f"a password link for {escape(name)}", link)


@user_app.command("disable")
def disable(name: NameArgument, db: DbOption = None) -> None:
    """The account can no longer sign in: its sessions end, its API tokens are revoked."""
    from peerconomy.services import users

    uow = open_uow(db)
    with refusals():
        users.disable_user(uow(), name)
    terminal().print(f"[green]✓[/green] {escape(name)} is disabled")


@user_app.command("enable")
def enable(name: NameArgument, db: DbOption = None) -> None:
    """Let a disabled account in again; prints a link that sets its password."""
    from peerconomy.services import users

    uow = open_uow(db)
    with refusals():
        link = users.enable_user(uow(), name)
    _print_link(f"{escape(name)} is enabled again", link)


@user_app.command("export")
def export(
    name: NameArgument,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the JSON here (default: stdout).")] = None,
    db: DbOption = None,
) -> None:
    """Everything the site holds about the account, as JSON (what its owner downloads from
    their account page)."""
    from peerconomy.services import privacy

    uow = open_uow(db)
    with refusals():
        document = privacy.export_account(uow(), name)
    write_json(document, output)


@user_app.command("delete")
def delete(
    name: NameArgument,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete the account for good: its contact, sessions and tokens go; the members it
    claimed stay in the plans and books under a pseudonym. A pool's last coordinator is
    refused."""
    from peerconomy.services import privacy

    if not yes and not typer.confirm(f"Delete the account {name!r} for good?"):
        fail("nothing deleted")
    uow = open_uow(db)
    with refusals():
        pseudonyms = privacy.erase_account(uow(), name)
    console = terminal()
    console.print(f"[green]✓[/green] {escape(name)} is deleted")
    for pool, pseudonym in pseudonyms.items():
        console.print(f"  pool {escape(pool)}: its member is now {escape(pseudonym)}")


@user_app.command("calendar")
def calendar(
    name: NameArgument,
    renew: Annotated[bool, typer.Option(
        "--renew", help="Make new addresses; the old ones stop working at once.")] = False,
    db: DbOption = None,
) -> None:
    """Print the account's secret calendar address (all its pools in one), and each pool's
    calendar of open slots and hint feed; the site's key (``PEERCONOMY_SECRET_KEY``, or the
    one kept in the data directory) and ``PEERCONOMY_BASE_URL`` make them as the server
    does."""
    from peerconomy.bootstrap import data_dir
    from peerconomy.http.settings import base_url_from_environment, load_secret_key
    from peerconomy.services import calendar_keys

    uow = open_uow(db)
    with refusals():
        found = calendar_keys.addresses(uow(), name, load_secret_key(data_dir()),
                                        base_url_from_environment(), renewing=renew)
    console = terminal()
    said = "new calendar addresses" if renew else "calendar addresses"
    console.print(f"[green]✓[/green] {said} of {escape(name)} (they work without signing"
                  " in: pass them on to their owner only):")
    console.print(found.calendar_url, markup=False, highlight=False, soft_wrap=True)
    for pool in found.pools:
        console.print(f"  pool {escape(pool.pool)}:")
        console.print(f"    {pool.calendar_url}", markup=False, highlight=False,
                      soft_wrap=True)
        console.print(f"    {pool.feed_url}", markup=False, highlight=False, soft_wrap=True)


def _print_link(what: str, link: PasswordLink) -> None:
    from peerconomy.http.settings import base_url_from_environment

    console = terminal()
    console.print(f"[green]✓[/green] {what}; this link sets the password, once, until"
                  f" {link.expires_at:%Y-%m-%d %H:%M} UTC:")
    console.print(link.url(base_url_from_environment()), markup=False, highlight=False,
                  soft_wrap=True)
