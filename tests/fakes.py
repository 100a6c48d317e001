"""Test doubles the API and page tests share: a mailer that keeps what it is sent, a
clock moved on by hand (set as ``app.state.mailer`` and ``app.state.clock``), and argon2 at
its least cost."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from peerconomy.services import accounts
from peerconomy.services.notices import Notice


class Outbox:
    """A mailer that keeps what it is sent; reading :attr:`sent` first drains the app's
    outbox (the server's worker thread, which a memory store does without)."""

    def __init__(self, app: FastAPI | None = None) -> None:
        self.app = app
        self._sent: list[Notice] = []

    def send(self, notices: Sequence[Notice]) -> list[str | None]:
        self._sent.extend(notices)
        return [None] * len(notices)

    @property
    def sent(self) -> list[Notice]:
        if self.app is not None:
            self.app.state.outbox.flush()
        return self._sent


class Clock:
    """The app's clock, moved on by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, **delta: float) -> None:
        self.now += timedelta(**delta)


_QUICK = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_QUICK_NOBODY = _QUICK.hash("a password nobody has")


@contextmanager
def quick_hashing() -> Iterator[None]:
    """Argon2 at its least cost for the ``with`` block, where the hashing is not what the
    tests are about (the accounts service's own tests run it at full cost)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_HASHER", _QUICK)
        patch.setattr(accounts, "_NOBODY", _QUICK_NOBODY)
        yield
