"""Test doubles the API and page tests share: a mailer that keeps what it is given, and a
clock moved on by hand (set as ``app.state.mailer`` and ``app.state.clock``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from peerconomy.services.notices import Notice


class Outbox:
    """A mailer that keeps what it is given to send."""

    def __init__(self) -> None:
        self.sent: list[Notice] = []

    def send_later(self, compose: Callable[[], Iterable[Notice]]) -> None:
        self.sent.extend(compose())

    def close(self) -> None:
        pass


class Clock:
    """The app's clock, moved on by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, **delta: float) -> None:
        self.now += timedelta(**delta)
