"""The site an outsider attacks: ``peerconomy serve`` in a process of its own on a fresh SQLite
file and on a fresh PostgreSQL schema, prepared only as an operator would (the CLI's
``pool import`` and ``user create``) and by its people over HTTP (setting a password,
accepting invitations). Nothing here calls the Python services: the tests see the server as
a black box.

The server trusts ``X-Forwarded-For`` from 127.0.0.1 (``PEERCONOMY_TRUSTED_PROXIES``), so a
test acts from as many addresses as it needs; everything the setup does comes from
:data:`SETUP_ADDRESS`, so the per-address limits of sign-up and sign-in count the attacks
alone.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from peerconomy.store.sql import scoped_schema
from postgres_url import POSTGRES_URL

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from load import serving

REPOSITORY = Path(__file__).resolve().parents[2]
FARM = REPOSITORY / "examples" / "farm.json"
POOL = "farm"
"""The private pool the attacks aim at (examples/farm.json; ana coordinates it)."""
BOOKS = "books"
"""The same farm again, which the tests clear and settle."""
PASSWORD = "correct horse battery staple"
SETUP_ADDRESS = "192.0.2.1"
"""The address everything the setup does comes from (TEST-NET-1)."""


def cli(env: dict[str, str], *args: str) -> str:
    """Run ``peerconomy ARGS`` as an operator would; its output (the test fails on a
    non-zero exit)."""
    done = subprocess.run([sys.executable, "-m", "peerconomy", *args], env=env,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, f"peerconomy {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


@dataclass
class Site:
    """A running server and the people of its pools, as an outsider knows them."""

    url: str
    env: dict[str, str]
    """The environment the server runs in (its database among it)."""
    tokens: dict[str, str] = field(default_factory=dict)
    """User name → a write-scoped API token."""
    first_signup: str = ""
    """The account that signed up first on the fresh site."""

    def client(self, address: str = SETUP_ADDRESS, token: str | None = None) -> httpx2.Client:
        """An HTTP client acting from ``address`` (as the trusted proxy says), with a bearer
        token where given."""
        headers = {"X-Forwarded-For": address}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return httpx2.Client(base_url=self.url, headers=headers, timeout=60,
                             follow_redirects=False)

    def api(self, user: str | None = None, address: str = SETUP_ADDRESS) -> httpx2.Client:
        """A client of the API as ``user`` (their token), or anonymous."""
        return self.client(address, self.tokens[user] if user else None)

    def sign_up(self, name: str, address: str) -> httpx2.Response:
        with self.client(address) as client:
            return client.post("/api/v1/auth/signup", json={
                "name": name, "email": f"{name}@example.org", "password": PASSWORD})

    def token(self, login: str, address: str = SETUP_ADDRESS, scope: str = "write"
              ) -> httpx2.Response:
        with self.client(address) as client:
            return client.post("/api/v1/auth/tokens", json={
                "login": login, "password": PASSWORD, "scope": scope})


def code_of(link: str) -> str:
    """The secret code at the end of an invitation or reset link."""
    return link.rstrip().rsplit("/", 1)[-1]


def invitations(env: dict[str, str], pool: str, folder: Path) -> dict[str, str]:
    """Import the farm as ``pool`` with ana coordinating; participant → invitation code."""
    written = folder / f"{pool}-invitations.csv"
    cli(env, "pool", "import", str(FARM), "--pool", pool, "--coordinator", "ana",
        "--invitations", str(written))
    with written.open(newline="") as rows:
        return {row["id"]: code_of(row["link"]) for row in csv.DictReader(rows)}


def prepare(site: Site, folder: Path) -> None:
    """Two pools imported, a first sign-up, the coordinator made by the operator, and one
    member (ben) who took his place in both pools by his invitations."""
    codes = {pool: invitations(site.env, pool, folder) for pool in (POOL, BOOKS)}
    first = site.sign_up("newcomer", "203.0.113.200")
    assert first.status_code == 201, first.text
    site.first_signup = "newcomer"
    made = cli(site.env, "user", "create", "coord", "--email", "coord@example.org")
    reset = re.search(r"/reset/(\S+)", made)
    assert reset is not None, made
    with site.client() as client:
        chosen = client.post(f"/api/v1/auth/password-reset/{reset.group(1)}",
                             json={"password": PASSWORD})
        assert chosen.status_code == 204, chosen.text
    assert site.sign_up("benny", SETUP_ADDRESS).status_code == 201
    for user in ("coord", "benny", "newcomer"):
        issued = site.token(user)
        assert issued.status_code == 201, issued.text
        site.tokens[user] = issued.json()["token"]
    for user, member in (("coord", "ana"), ("benny", "ben")):
        with site.api(user) as client:
            for pool in (POOL, BOOKS):
                taken = client.post(f"/api/v1/invitations/{codes[pool][member]}/accept")
                assert taken.status_code in (200, 201), taken.text
    with site.api("coord") as client:
        for pool in (POOL, BOOKS):
            made_private = client.patch(f"/api/v1/pools/{pool}", json={"public": False})
            assert made_private.status_code == 200, made_private.text


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'outside.sqlite3'}"
    else:
        with scoped_schema(POSTGRES_URL, "peerconomy_outside") as url:
            yield url


def environment(db: str, folder: Path, **settings: str) -> dict[str, str]:
    """The server's and the CLI's environment: no PEERCONOMY_ setting of the caller's, the
    database, a data folder of its own, no mail. Sign-up is open to anyone, the site's most
    exposed setting (invite-only is the default): the attacks sign up as strangers would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERCONOMY_")}
    env.update(PEERCONOMY_DATABASE_URL=db, PEERCONOMY_SECRET_KEY="outside test key",
               PEERCONOMY_SIGNUP="open",
               XDG_DATA_HOME=str(folder), COLUMNS="400", PYTHONUNBUFFERED="1", **settings)
    return env


@contextmanager
def serve(env: dict[str, str]) -> Iterator[str]:
    """``peerconomy serve`` on 127.0.0.1 for the ``with`` block; its address."""
    with serving(env["PEERCONOMY_DATABASE_URL"], env) as (url, _pid):
        yield url


def read_back(client: httpx2.Client, *paths: str) -> dict[str, Any]:
    """What the server answers to each ``GET`` path now (status and body)."""
    found: dict[str, Any] = {}
    for path in paths:
        answer = client.get(path)
        found[path] = (answer.status_code, answer.text)
    return found
