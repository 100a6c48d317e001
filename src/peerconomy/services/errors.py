"""What a service refuses, as exceptions an entrypoint maps to an answer.

The CLI prints each as one line and exits with code 2; the web API answers 404
(:class:`NotFoundError`), 401 (:class:`SignInError`), 409 (:class:`ConflictError`,
:class:`~peerconomy.domain.period.IllegalTransitionError`), 403 (:class:`NotAllowedError`)
and 422 (:class:`~peerconomy.domain.scenario.ScenarioError`, which names the field).
Whatever is refused, the transaction rolls back: nothing is stored.
"""

from __future__ import annotations

__all__ = [
    "ConflictError",
    "NotAllowedError",
    "NotFoundError",
    "ServiceError",
    "SignInError",
    "StaleEditError",
    "check_version",
]


class ServiceError(Exception):
    """A step the service refuses."""


class NotFoundError(ServiceError):
    """Something named does not exist, e.g. ``no participant 'zoe' in pool 'farm'``."""

    def __init__(self, kind: str, name: object, pool: str | None = None) -> None:
        self.kind, self.name, self.pool = kind, name, pool
        where = f" in pool {pool!r}" if pool is not None else ""
        super().__init__(f"no {kind} {name!r}{where}")


class ConflictError(ServiceError):
    """The step clashes with what is stored: a name already taken, a plan already made."""


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


class NotAllowedError(ServiceError):
    """The person named may not take this step, e.g. confirm their own work."""


class SignInError(NotAllowedError):
    """Credentials that sign nobody in: a wrong name or password, an unknown or revoked
    API token (the API answers 401)."""
