"""How strict sign-in is: the limits on failed sign-ins, how long sessions and reset links
last, and the refusal a locked account or client gets.

The defaults suit a small community site: five wrong passwords for one account from one
client address within 15 minutes lock that account *for that address* for 15 minutes;
twenty failures from one client address (on any accounts: password spraying) lock that
address for 15 minutes; fifty failures on one account from anywhere (guessing spread over
many addresses) lock it for 15 minutes against every address that has failed on it, never
against one that has not, so nobody can lock an owner out by failing on purpose. A session
ends after 14 days, or after two days unused; a password-reset link works once, for an hour,
and one client address gets at most three links an hour for one email address (ten in 15
minutes for any), so an anonymous caller never uses up the owner's own allowance. Twenty
unknown calendar or feed addresses fetched from one client address within 15 minutes lock
that address out of them for 15 minutes. A site
passes its own :class:`SecurityPolicy` to the services (the app keeps one in
``app.state.security``).
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
    "TooManyAttemptsError",
    "TooManyFailuresError",
    "TooManyGuessesError",
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
    """Failed sign-ins to one account (or login typed) from one client address before the
    account is locked for that address (other addresses sign in as before)."""
    account_wide_limit: LimitRule = field(default_factory=lambda: _rule(50, 15))
    """Failed sign-ins to one account from any addresses before it is locked for every
    address that has failed on it lately (an address that has not failed still signs in)."""
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
    """Requests of a reset link for one email address from one client address before that
    client gets no more for it for a while (so nobody's mailbox is flooded with links, and
    a stranger's requests never use up the owner's own)."""
    reset_client_limit: LimitRule = field(default_factory=lambda: _rule(10, 15))
    """Requests of reset links from one client address, for any addresses."""
    sign_up_limit: LimitRule = field(default_factory=lambda: _rule(20, 60))
    """Sign-ups and invitation acceptances tried from one client address (each counted,
    whether it succeeds or not) before that address is refused for a while."""
    address_client_limit: LimitRule = field(default_factory=lambda: _rule(20, 15))
    """Unknown calendar or feed addresses fetched from one client address before that
    address is refused for a while (a known address is not counted: calendar apps fetch
    theirs every few minutes)."""

    @property
    def longest_window(self) -> timedelta:
        """The longest time a failure (or request) is counted."""
        return max(rule.window for rule in (self.account_limit, self.account_wide_limit,
                                            self.client_limit, self.reset_email_limit,
                                            self.reset_client_limit, self.sign_up_limit,
                                            self.address_client_limit))


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


class TooManyAttemptsError(TooManyFailuresError):
    """No more sign-ups or invitation acceptances from this client address for a while."""

    what: ClassVar[str] = "too_many_attempts"
    said: ClassVar[str] = "too many sign-ups or invitations from this address"


class TooManyGuessesError(TooManyFailuresError):
    """No calendar or feed addresses for this client address for a while: it fetched too
    many unknown ones lately."""

    what: ClassVar[str] = "too_many_unknown_addresses"
    said: ClassVar[str] = "too many unknown addresses from this client"
