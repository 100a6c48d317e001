"""How strict sign-in is: the limits on failed sign-ins, how long sessions and reset links
last, and the refusal a locked account or client gets.

The defaults suit a small community site: five wrong passwords for one account within 15
minutes lock it for 15 minutes; twenty failures from one client address (on any accounts:
password spraying) lock that address for 15 minutes; a session ends after 14 days, or after
two days unused; a password-reset link works once, for an hour, and one email address gets
at most three links an hour (one client address ten in 15 minutes). A site passes its own
:class:`SecurityPolicy` to the services (the app keeps one in ``app.state.security``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import ClassVar, Final, Literal

from peerconomy.domain.security import LimitRule
from peerconomy.services.errors import SignInError

__all__ = [
    "DEFAULT_POLICY",
    "LockReason",
    "SecurityPolicy",
    "TooManyFailuresError",
    "TooManyResetRequestsError",
]

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
    reset_email_limit: LimitRule = field(default_factory=lambda: _rule(3, 60))
    """Requests of a reset link for one email address before it gets no more for a while
    (so nobody's mailbox is flooded with links)."""
    reset_client_limit: LimitRule = field(default_factory=lambda: _rule(10, 15))
    """Requests of reset links from one client address, for any addresses."""

    @property
    def longest_window(self) -> timedelta:
        """The longest time a failure (or request) is counted."""
        return max(rule.window for rule in (self.account_limit, self.client_limit,
                                            self.reset_email_limit, self.reset_client_limit))


DEFAULT_POLICY: Final = SecurityPolicy()


class TooManyFailuresError(SignInError):
    """Sign-in refused without looking at the password: too many failures lately, for the
    account (or login) or from the client. Said the same whatever the password, and the same
    for a login nobody has (those lock too), so it reveals nothing."""

    what: ClassVar[str] = "too_many_failed_sign_ins"
    """What the API's answer names as the reason."""
    said: ClassVar[str] = "too many failed sign-ins"

    def __init__(self, reason: LockReason, retry_after: timedelta) -> None:
        self.reason: LockReason = reason
        self.retry_after = retry_after
        super().__init__(
            f"{self.said}; try again in {self.minutes} minute{'s' if self.minutes != 1 else ''}"
        )

    @property
    def seconds(self) -> int:
        """Whole seconds to wait (rounded up; at least 1), as ``Retry-After`` says."""
        return max(1, math.ceil(self.retry_after.total_seconds()))

    @property
    def minutes(self) -> int:
        """Whole minutes to wait (rounded up; at least 1)."""
        return max(1, math.ceil(self.seconds / 60))


class TooManyResetRequestsError(TooManyFailuresError):
    """No more reset links for a while: too many asked for lately, for the email address
    (whether or not an account has it) or from the client."""

    what: ClassVar[str] = "too_many_reset_requests"
    said: ClassVar[str] = "too many password-reset requests"
