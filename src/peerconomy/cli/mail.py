"""``peerconomy mail test ADDRESS``: send a test message through the configured SMTP server
(``PEERCONOMY_SMTP_URL``, ``PEERCONOMY_MAIL_FROM``), or say in one line why it could not."""

from __future__ import annotations

from typing import Annotated

import typer

from peerconomy.cli.common import fail
from peerconomy.environment import setting

__all__ = ["mail_app"]

mail_app = typer.Typer(help="Check the site's mail.", no_args_is_help=True)


@mail_app.command("test")
def test(
    address: Annotated[str, typer.Argument(metavar="ADDRESS", help="Where to send it.")],
) -> None:
    """Send a test message to ADDRESS through the configured SMTP server."""
    import smtplib

    from peerconomy import bootstrap
    from peerconomy.domain.account import check_email
    from peerconomy.http.settings import DEFAULT_MAIL_FROM, AppSettings
    from peerconomy.mailer import trial_message

    try:
        to = check_email(address)
    except ValueError as error:
        fail(f"ADDRESS {address!r} {error}")
    # the server's mail settings, without its secret key: a test message carries no link
    settings = AppSettings(secret_key="", smtp_url=setting("PEERCONOMY_SMTP_URL") or None,
                           mail_from=setting("PEERCONOMY_MAIL_FROM", DEFAULT_MAIL_FROM))
    try:
        mailer = bootstrap.mailer(settings)
    except ValueError as error:
        fail(str(error))
    if mailer is None:
        fail("no mail server is set up: set PEERCONOMY_SMTP_URL to smtp://host[:port] or"
             " smtps://host[:port] (see docs/deploy.md)")
    where = f"{mailer.host}:{mailer.port}"
    try:
        (outcome,) = mailer.send([trial_message(to)])
    except (smtplib.SMTPException, OSError) as error:
        fail(f"could not send through {where}: {type(error).__name__}: {error}")
    if outcome is not None:
        fail(f"{where} did not take the message: {outcome}")
    typer.echo(f"sent a test message to {to} through {where}")
