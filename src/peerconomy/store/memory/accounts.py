"""Users, their API tokens and sessions, invitations, requests to join, failed sign-ins and
password-reset links, in memory (:class:`~peerconomy.services.ports.AccountRepository`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from operator import attrgetter
from typing import Final

from peerconomy.domain.account import ApiToken, Invitation, JoinRequest, User
from peerconomy.domain.pool import Member
from peerconomy.domain.security import CalendarKey, ResetToken, Session, SignInLimit
from peerconomy.store.memory.records import Records
from peerconomy.store.memory.state import Repository

__all__ = ["MemoryAccountRepository"]

_USERS: Final = Records[User]("users", "user", attrgetter("name"))
_TOKENS: Final = Records[ApiToken]("tokens", "API token")
_INVITATIONS: Final = Records[Invitation]("invitations", "invitation")
_JOIN_REQUESTS: Final = Records[JoinRequest](
    "join_requests", "request to join", attrgetter("pool", "user")
)
_SESSIONS: Final = Records[Session]("sessions", "session")
_SIGN_IN_LIMITS: Final = Records[SignInLimit]("sign_in_limits", "sign-in limit", attrgetter("key"))
_RESET_TOKENS: Final = Records[ResetToken]("reset_tokens", "password-reset link")
_CALENDAR_KEYS: Final = Records[CalendarKey]("calendar_keys", "calendar key", attrgetter("user"))


class MemoryAccountRepository(Repository):
    """Users, tokens, sessions, invitations, requests to join, sign-in counts and reset
    links, each kept in one dictionary in the order first added (a replaced record keeps its
    place, as a dictionary's key does)."""

    def add_user(self, user: User) -> None:
        _USERS.put(self._s, user)

    def user(self, name: str) -> User | None:
        return _USERS.get(self._s, name)

    def user_by_email(self, email: str) -> User | None:
        return next(iter(_USERS.listed(self._s, email=email)), None)

    def put_user(self, user: User) -> None:
        _USERS.replace(self._s, user)

    def remove_user(self, name: str) -> None:
        s = self._s
        s.tokens = {k: v for k, v in s.tokens.items() if v.user != name}
        s.sessions = {k: v for k, v in s.sessions.items() if v.user != name}
        s.reset_tokens = {k: v for k, v in s.reset_tokens.items() if v.user != name}
        _CALENDAR_KEYS.remove(s, name)
        s.join_requests = {
            k: replace(v, decided_by=None) if v.decided_by == name else v
            for k, v in s.join_requests.items() if v.user != name
        }
        s.invitations = {
            k: replace(v, created_by=None if v.created_by == name else v.created_by,
                       used_by=None if v.used_by == name else v.used_by)
            for k, v in s.invitations.items()
        }
        del s.users[name]

    def user_count(self) -> int:
        return len(self._s.users)

    def users(self) -> list[User]:
        return sorted(self._s.users.values(), key=lambda u: u.name)

    def memberships(self, user: str) -> dict[str, Member]:
        return {
            pool: member
            for pool, members in sorted(self._s.members.items())
            for member in members.values()
            if member.account == user
        }

    def add_token(self, token: ApiToken) -> None:
        _TOKENS.put(self._s, token)

    def token(self, id: str) -> ApiToken | None:
        return _TOKENS.get(self._s, id)

    def tokens(self, user: str) -> list[ApiToken]:
        return _TOKENS.listed(self._s, user=user)

    def put_token(self, token: ApiToken) -> None:
        _TOKENS.replace(self._s, token)

    def add_invitation(self, invitation: Invitation) -> None:
        _INVITATIONS.put(self._s, invitation)

    def invitation(self, id: str) -> Invitation | None:
        return _INVITATIONS.get(self._s, id)

    def invitations(self, pool: str) -> list[Invitation]:
        return _INVITATIONS.listed(self._s, pool=pool)

    def put_invitation(self, invitation: Invitation) -> None:
        _INVITATIONS.replace(self._s, invitation)

    def join_request(self, pool: str, user: str) -> JoinRequest | None:
        return _JOIN_REQUESTS.get(self._s, (pool, user))

    def join_requests(self, pool: str) -> list[JoinRequest]:
        return _JOIN_REQUESTS.listed(self._s, pool=pool)

    def put_join_request(self, request: JoinRequest) -> None:
        _JOIN_REQUESTS.put(self._s, request)

    def add_session(self, session: Session) -> None:
        _SESSIONS.put(self._s, session)

    def session(self, id: str) -> Session | None:
        return _SESSIONS.get(self._s, id)

    def sessions(self, user: str) -> list[Session]:
        return _SESSIONS.listed(self._s, user=user)

    def put_session(self, session: Session) -> None:
        _SESSIONS.replace(self._s, session)

    def sign_in_limit(self, key: str) -> SignInLimit | None:
        return _SIGN_IN_LIMITS.get(self._s, key)

    def put_sign_in_limit(self, record: SignInLimit) -> None:
        _SIGN_IN_LIMITS.put(self._s, record)

    def remove_sign_in_limit(self, key: str) -> None:
        _SIGN_IN_LIMITS.remove(self._s, key)

    def add_reset_token(self, token: ResetToken) -> None:
        _RESET_TOKENS.put(self._s, token)

    def reset_token(self, id: str) -> ResetToken | None:
        return _RESET_TOKENS.get(self._s, id)

    def put_reset_token(self, token: ResetToken) -> None:
        _RESET_TOKENS.replace(self._s, token)

    def calendar_key(self, user: str) -> CalendarKey | None:
        return _CALENDAR_KEYS.get(self._s, user)

    def calendar_key_by_id(self, id: str) -> CalendarKey | None:
        return next(iter(_CALENDAR_KEYS.listed(self._s, id=id)), None)

    def add_calendar_key(self, key: CalendarKey) -> CalendarKey:
        found = _CALENDAR_KEYS.get(self._s, key.user)
        if found is not None:
            return found
        _CALENDAR_KEYS.put(self._s, key)
        return key

    def put_calendar_key(self, key: CalendarKey) -> None:
        _CALENDAR_KEYS.put(self._s, key)

    def remove_stale(self, ended: datetime, counted: datetime) -> None:
        def over(*moments: datetime | None) -> bool:
            return any(m is not None and m <= ended for m in moments)

        self._s.sessions = {k: v for k, v in self._s.sessions.items()
                            if not over(v.expires_at, v.revoked_at)}
        self._s.reset_tokens = {k: v for k, v in self._s.reset_tokens.items()
                                if not over(v.expires_at)}
        self._s.sign_in_limits = {
            k: v for k, v in self._s.sign_in_limits.items()
            if (v.locked_until is not None and v.locked_until > ended)
            or (v.window_start is not None and v.window_start > counted)
        }
