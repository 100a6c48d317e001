"""How strict sign-in is: the limits on failed sign-ins, how long sessions and reset links
last, and the refusal a locked account or client gets.

The defaults suit a small community site: five wrong passwords for one account within 15
minutes lock it for 15 minutes; twenty failures from one client address (on any accounts:
password spraying) lock that address for 15 minutes; a session ends after 14 days, or after
two days unused; a password-reset link works once, for an hour. A site passes its own
:class:`SecurityPolicy` to the services (the app keeps one in ``app.state.security``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final, Literal

from peerconomy.domain.security import LimitRule
from peerconomy.services.errors import SignInError

__all__ = ["DEFAULT_POLICY", "LockReason", "SecurityPolicy", "TooManyFailuresError"]

LockReason = Literal["account", "client"]
"""What is locked: the account signed in to, or the client's address."""


def _rule(limit: int, minutes: int) -> LimitRule:
    return LimitRule(limit, timedelta(minutes=minutes), timedelta(minutes=minutes))


@dataclass(frozen=True, slots=True)
class SecurityPolicy:
    """The limits of sign-in and sessions (see the module's docstring for the defaults)."""

    account_limit: LimitRule = field(default_factory=lambda: _rule(5, 15))
    """Failed sign-ins to one account (or login typed) before it is locked."""
    client_limit: LimitRule = field(default_factory=lambda: _rule(20, 15))
    """Failed sign-ins from one client address, on any accounts, before it is locked."""
    session_max_age: timedelta = timedelta(days=14)
    """A session ends this long after sign-in, however active."""
    session_idle: timedelta = timedelta(days=2)
    """A session unused this long ends."""
    session_touch: timedelta = timedelta(minutes=1)
    """How stale a session's ``last_seen_at`` may get before a request writes it anew (so
    that not every request writes)."""
    reset_link_age: timedelta = timedelta(hours=1)
    """How long a password-reset link works."""


DEFAULT_POLICY: Final = SecurityPolicy()


class TooManyFailuresError(SignInError):
    """Sign-in refused without looking at the password: too many failures lately, for the
    account (or login) or from the client. Said the same whatever the password, and the same
    for a login nobody has (those lock too), so it reveals nothing."""

    def __init__(self, reason: LockReason, retry_after: timedelta) -> None:
        self.reason: LockReason = reason
        self.retry_after = retry_after
        super().__init__(
            "too many failed sign-ins; try again in "
            f"{self.minutes} minute{'s' if self.minutes != 1 else ''}"
        )

    @property
    def seconds(self) -> int:
        """Whole seconds to wait (rounded up; at least 1), as ``Retry-After`` says."""
        return max(1, math.ceil(self.retry_after.total_seconds()))

    @property
    def minutes(self) -> int:
        """Whole minutes to wait (rounded up; at least 1)."""
        return max(1, math.ceil(self.seconds / 60))
