"""What a request reads of the application's state: its store, its sign-in policy, its clock
and the caller's address (plain functions of the request; :mod:`peerconomy.http.deps` makes
dependencies of them)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from starlette.requests import Request

from peerconomy.bootstrap import Clock, clock
from peerconomy.http.clients import client_of
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import DEFAULT_POLICY, SecurityPolicy

__all__ = ["Store", "client_address", "policy_of", "time_of"]


class Store(Protocol):
    """What the app needs of a store (a :class:`~peerconomy.store.sql.SqlStore` or a
    :class:`~peerconomy.store.memory.MemoryStore`)."""

    def unit_of_work(self) -> UnitOfWork: ...

    def ping(self) -> None:
        """Raise an error of the store's ``unavailable_errors`` unless the database answers
        a cheap question."""


def policy_of(request: Request) -> SecurityPolicy:
    """The site's limits on sign-in and sessions (``app.state.security``, else the
    defaults)."""
    policy = getattr(request.app.state, "security", None)
    return policy if isinstance(policy, SecurityPolicy) else DEFAULT_POLICY


def time_of(request: Request) -> datetime:
    """The time by the app's clock (``app.state.clock``, the composition root's
    :func:`~peerconomy.bootstrap.clock` or a test's), else by the program's clock."""
    app_clock: Clock | None = getattr(request.app.state, "clock", None)
    return (app_clock or clock())()


def client_address(request: Request) -> str | None:
    """The caller's address, against which failed sign-ins and rate limits are counted: the
    socket's peer, or behind a proxy named in the settings (``trusted_proxies``) the address
    its ``X-Forwarded-For`` header names (:func:`peerconomy.http.clients.client_of`)."""
    peer = request.client.host if request.client is not None else None
    settings = getattr(request.app.state, "settings", None)
    trusted = getattr(settings, "trusted_proxies", ())
    return client_of(peer, request.headers.getlist("X-Forwarded-For"), trusted)
