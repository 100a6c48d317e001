"""``peerconomy tick``: run the scheduler's due jobs once and exit, for deployments that run
it from a systemd timer or cron instead of (or beside) ``peerconomy serve``, which runs them
itself: periods that clear themselves at their deadline, and the mail outbox. Safe to run
while a server or another tick runs on the same database (each job is claimed in a
transaction: one runner wins it)."""

from __future__ import annotations

from dataclasses import replace

import typer

from peerconomy.cli.common import DbOption, fail, plain, store_failure

__all__ = ["tick"]


def tick(db: DbOption = None) -> None:
    """Run the due scheduled jobs once (deadline clears, the mail outbox) and say what they
    did in one line (the mail given up on only where some was: each is logged); exit code 1
    if a job failed (its error is logged)."""
    from peerconomy.bootstrap import StoreError, clock, data_dir, mailer, open_store
    from peerconomy.http.settings import AppSettings
    from peerconomy.services import scheduler

    try:
        store = open_store(db)
    except StoreError as err:
        store_failure(err, db)
    try:
        try:  # the server's mail settings: the same mailer, links and secret key
            sender = mailer(AppSettings.from_environment(data_dir()))
        except ValueError as err:  # a setting that is no setting, named: one line, exit 2
            fail(str(err))
        mail = scheduler.sending(None if sender is None else sender.send)
        done = scheduler.tick(store.unit_of_work, clock()(), (*scheduler.JOBS,
                                                              ("mails sent", mail)))
    finally:
        store.close()
    if mail.drained.given_up:  # said only where it happened (their errors are logged)
        why = " (no mail server is set up)" if sender is None else ""
        done = replace(done, counts=(*done.counts,
                                     (f"mails given up{why}", mail.drained.given_up)))
    typer.echo(plain(f"tick: {done.summary()}"))
    if done.failed:
        raise typer.Exit(1)
