"""``peerconomy demo``: a sample pool, run for two periods in a fresh SQLite file."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from peerconomy.cli.common import GivenUrl, fail, store_failure, terminal

__all__ = ["demo"]


def demo(
    path: Annotated[
        Path | None,
        typer.Option(
            "--file",
            metavar="PATH",
            help="The SQLite file to build the demo in (replaced if it exists); default:"
            " demo.sqlite3 in your data directory.",
        ),
    ] = None,
    periods: Annotated[int, typer.Option("--periods", min=1, max=12, help="Periods to run.")] = 2,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the sample pool.")] = 0,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the pool in the browser after.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8000,
) -> None:
    """Build a sample pool, run two periods of it with simulated work, and serve it.

    A farm, a bakery and a bicycle workshop, about thirty people: see the weights, premiums,
    shares, credits, balances and the hint board, then sign in at the printed address and
    take the next period through in the browser."""
    console = terminal()
    console.print("[dim]Building the sample pool…[/dim]")  # the imports below take a second
    from peerconomy.bootstrap import StoreError, data_dir, open_store
    from peerconomy.demo import add_demo_accounts, run_demo

    target = path or data_dir() / "demo.sqlite3"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    except OSError as err:
        fail(f"--file: cannot use {target}: {err.strerror or err}")
    url = f"sqlite:///{target}"
    try:
        store = open_store(url)
    except StoreError as err:
        store_failure(err, GivenUrl(url, "--file"))
    run_demo(store.unit_of_work, console, periods=periods, seed=seed)
    console.print("\n[dim]Making three sign-ins to try it with…[/dim]")  # argon2: a second
    sign_ins = add_demo_accounts(store.unit_of_work)
    console.print(
        f"\nThe demo pool is in [bold]{escape(str(target))}[/bold]. Look around, e.g.:\n"
        f"  peerconomy hints --pool demo --db {escape(url)}\n"
        f"  peerconomy ledger export --pool demo --format beancount --db {escape(url)}"
    )
    address = f"http://{host}:{port}"
    console.print(f"\nDemo sign-ins (for [bold]{escape(address)}[/bold]):")
    for name, password, role in sign_ins:
        console.print(f"  {name:<8} password {password:<20} {role}")
    if not serve:
        store.close()
        return
    import uvicorn

    from peerconomy.asgi import create_app
    from peerconomy.http.settings import AppSettings

    settings = AppSettings(secret_key=secrets.token_urlsafe(32), base_url=address)
    console.print(f"\nServing the demo pool at [bold]{escape(address)}[/bold]"
                  " (Ctrl-C to stop).")
    try:
        uvicorn.run(create_app(store, settings), host=host, port=port, log_level="warning",
                    proxy_headers=False)  # X-Forwarded-For only from trusted proxies
    finally:
        store.close()
