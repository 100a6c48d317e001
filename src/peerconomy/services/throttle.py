"""Rate limits on steps anyone may try: signing up and accepting an invitation.

Each try from a client address is counted (whether it succeeds or not: a limit on tries is
what stops a script from making accounts or probing names by the thousand); once
``policy.sign_up_limit`` tries fall within its window, that address is refused
(:class:`~peerconomy.services.security.TooManyAttemptsError`, 429 with ``Retry-After`` at
the doors) until the lock is over. The count is its own transaction, kept even when the step
it guards is refused. Every door (API, pages) calls :func:`throttle` before the step.
"""

from __future__ import annotations

from datetime import UTC, datetime

from peerconomy.domain.security import after_failure, locked_for
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import DEFAULT_POLICY, SecurityPolicy, TooManyAttemptsError

__all__ = ["throttle"]


def throttle(
    uow: UnitOfWork,
    client: str | None,
    *,
    policy: SecurityPolicy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> None:
    """Count one sign-up (or invitation acceptance) tried from ``client``;
    :class:`TooManyAttemptsError` if that address has tried too often lately (the refused
    try is not counted, so the lock does not grow). No address (a test client, the CLI): no
    limit."""
    if not client:
        return
    now = now or datetime.now(UTC)
    key = f"sign-up:{client}"
    with uow:
        found = uow.accounts.sign_in_limit(key)
        wait = locked_for(found, now)
        if wait is not None:
            raise TooManyAttemptsError("client", wait)
        uow.accounts.put_sign_in_limit(after_failure(found, key, now, policy.sign_up_limit))
        uow.commit()
