"""Who is looking at a page, and what they may see of a pool.

Pages take the caller from the session (:func:`peerconomy.http.deps.caller`). Somebody not
signed in who asks for a pool they may not see is sent to sign in (whether or not the pool
exists: its name is not revealed); a signed-in caller gets 404 for a private pool of others.
"""

from __future__ import annotations

from fastapi import Request

from peerconomy.http.deps import caller
from peerconomy.http.errors import NotSignedInError
from peerconomy.http.sessions import forget_browser_session, session_user
from peerconomy.services import membership
from peerconomy.services.errors import NotFoundError
from peerconomy.services.membership import Access, Level
from peerconomy.services.ports import UnitOfWork

__all__ = ["Level", "member_id", "pool_access", "user_of", "who_signed_in"]


def user_of(request: Request, uow: UnitOfWork) -> str | None:
    """The signed-in user's name (None: nobody is signed in)."""
    return caller(request, uow).user


def who_signed_in(request: Request, uow: UnitOfWork) -> str:
    """The signed-in user's name; not signed in, the page asks them to sign in."""
    user = user_of(request, uow)
    if user is None:
        raise NotSignedInError()
    return user


def pool_access(request: Request, uow: UnitOfWork, pool: str, level: Level = Level.VIEWER,
                action: str = "see this pool") -> Access:
    """The caller's access to ``pool``, refused below ``level``.

    The session's user (checked against the store once per request) is looked up together
    with their membership, in one transaction (a session whose account is gone counts as
    nobody's, and is forgotten).
    """
    user = session_user(request)
    try:
        found = membership.access(uow, pool, user)
        found.require(Level.VIEWER, "see this pool")
    except NotFoundError:
        if user is None:
            raise NotSignedInError() from None
        raise
    if user is not None and found.user is None:
        forget_browser_session(request)
        user = None
    if found.level < level and user is None:
        raise NotSignedInError()
    found.require(level, action)
    return found


def member_id(access: Access) -> str:
    """The caller's participant id in the pool (they must be a member)."""
    access.require(Level.MEMBER, "take part")
    if access.member is None:  # a site admin who is not a member
        raise NotFoundError("participant", access.user, access.pool.name)
    return access.member.id
