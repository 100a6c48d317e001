"""Accounts over the API: sign up, get a personal API token with a password, list and
revoke tokens, and see or change one's own account."""

from __future__ import annotations

from fastapi import APIRouter, status

from peerconomy.api.deps import UowDep, UserDep
from peerconomy.api.schemas import Body, NewToken, SignUp, TokenOut, UserOut
from peerconomy.domain.account import ApiToken, User
from peerconomy.services import accounts
from peerconomy.services.errors import NotFoundError

__all__ = ["router"]

router = APIRouter(tags=["accounts"])


def user_out(user: User) -> UserOut:
    return UserOut(
        name=user.name,
        email=user.email,
        display_name=user.display_name,
        site_admin=user.site_admin,
        locale=user.locale,
    )


def _token_out(token: ApiToken, secret: str | None = None) -> TokenOut:
    return TokenOut(
        id=token.id,
        label=token.label,
        created_at=token.created_at,
        revoked_at=token.revoked_at,
        token=secret,
    )


@router.post("/auth/signup", status_code=status.HTTP_201_CREATED)
def sign_up(body: SignUp, uow: UowDep) -> UserOut:
    """Make an account (the site's first account is its admin)."""
    return user_out(
        accounts.sign_up(uow, body.name, body.email, body.password,
                         display_name=body.display_name)
    )


@router.post("/auth/tokens", status_code=status.HTTP_201_CREATED)
def new_token(body: NewToken, uow: UowDep) -> TokenOut:
    """A personal API token for the user whose name (or email) and password are given;
    send it as ``Authorization: Bearer <token>``."""
    user = accounts.authenticate(uow, body.login, body.password)
    token, secret = accounts.issue_token(uow, user.name, body.label)
    return _token_out(token, secret)


@router.get("/me")
def me(user: UserDep, uow: UowDep) -> UserOut:
    """The caller's account."""
    with uow:
        found = uow.accounts.user(user)
    if found is None:  # pragma: no cover - the caller was found a moment ago
        raise NotFoundError("user", user)
    return user_out(found)


class NewTokenLabel(Body):
    label: str = "script"


class ProfileChange(Body):
    display_name: str | None = None
    locale: str | None = None


@router.patch("/me")
def change_me(body: ProfileChange, user: UserDep, uow: UowDep) -> UserOut:
    """Change the caller's display name or language."""
    return user_out(
        accounts.update_profile(uow, user, display_name=body.display_name, locale=body.locale)
    )


@router.get("/me/tokens")
def my_tokens(user: UserDep, uow: UowDep) -> list[TokenOut]:
    """The caller's API tokens (never the tokens themselves)."""
    with uow:
        return [_token_out(t) for t in uow.accounts.tokens(user)]


@router.post("/me/tokens", status_code=status.HTTP_201_CREATED)
def add_token(body: NewTokenLabel, user: UserDep, uow: UowDep) -> TokenOut:
    """A new API token for the signed-in caller."""
    token, secret = accounts.issue_token(uow, user, body.label)
    return _token_out(token, secret)


@router.delete("/me/tokens/{token_id}")
def revoke(token_id: str, user: UserDep, uow: UowDep) -> TokenOut:
    """Revoke one of the caller's tokens."""
    return _token_out(accounts.revoke_token(uow, user, token_id))
