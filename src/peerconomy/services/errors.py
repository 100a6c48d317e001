"""What a service refuses: the tree of :mod:`peerconomy.domain.refusal`, and the refusals
only services make (a stale edit, a failed sign-in).

The CLI prints each as one line and exits with code 2; the web API answers 422
(:class:`InputError`, which names the field), 401 (:class:`SignInError`), 403
(:class:`NotAllowedError`), 404 (:class:`NotFoundError`) and 409 (:class:`ConflictError`,
:class:`~peerconomy.domain.period.IllegalTransitionError` among them). Whatever is refused,
the transaction rolls back: nothing is stored.
"""

from __future__ import annotations

from peerconomy.domain.refusal import (
    ConflictError,
    InputError,
    NotAllowedError,
    NotFoundError,
    Refusal,
)

__all__ = [
    "ConflictError",
    "InputError",
    "NotAllowedError",
    "NotFoundError",
    "Refusal",
    "SignInError",
    "StaleEditError",
    "check_version",
]



class StaleEditError(ConflictError):
    """An edit made from an older version of what it edits: someone changed it meanwhile
    (optimistic locking; the API answers 409, a page asks to reload)."""

    def __init__(self, what: str, stored: int, expected: int) -> None:
        self.what, self.stored, self.expected = what, stored, expected
        super().__init__(
            f"{what} was changed by someone else meanwhile (it is at version {stored}, the edit"
            f" was made from version {expected}): reload it and make the edit again"
        )


def check_version(what: str, stored: int, expected: int | None) -> None:
    """Refuse an edit made from version ``expected`` of something now at ``stored``
    (``None``: the caller named no version and takes what is stored as it is)."""
    if expected is not None and expected != stored:
        raise StaleEditError(what, stored, expected)


class SignInError(NotAllowedError):
    """Credentials that sign nobody in: a wrong name or password, an unknown or revoked
    API token (the API answers 401)."""
