"""Accounts in SQL: users, their API tokens and sessions, invitations, requests to join,
failed sign-ins, password-reset links and calendar keys
(:class:`~peerconomy.services.ports.AccountRepository`).

Each kind of record but the user is one :class:`~peerconomy.store.sql.records.Records`:
the repository's methods only say which.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import bindparam, delete, func, or_, select, update

from peerconomy.domain.account import ApiToken, Invitation, JoinRequest, User
from peerconomy.domain.pool import Member
from peerconomy.domain.security import CalendarKey, ResetToken, Session, SignInLimit
from peerconomy.store import tables as t
from peerconomy.store.sql.identity_map import SqlRepository, remembered, writes
from peerconomy.store.sql.records import Records
from peerconomy.store.sql.rows import MEMBER_COLUMNS, dialect_insert, record_values

__all__ = ["USER_FIELDS", "SqlAccountRepository"]

USER_FIELDS: Final = tuple(t.users.c.keys())
"""The users table's columns, each named as :class:`~peerconomy.domain.account.User`'s
field."""
_USER = select(t.users).where(t.users.c.name == bindparam("name"))

_USERS: Final = Records(t.users, User, "user", key=("name",), order=())
_TOKENS: Final = Records(t.api_tokens, ApiToken, "API token", numbered_by="user_name")
_INVITATIONS: Final = Records(t.invitations, Invitation, "invitation", numbered_by="pool")
_JOIN_REQUESTS: Final = Records(
    t.join_requests, JoinRequest, "request to join", key=("pool", "user_name"),
    numbered_by="pool",
)
_SESSIONS: Final = Records(t.sessions, Session, "session", order=("created_at", "id"))
_SIGN_IN_LIMITS: Final = Records(
    t.sign_in_limits, SignInLimit, "sign-in limit", key=("key",), order=()
)
_RESET_TOKENS: Final = Records(t.reset_tokens, ResetToken, "password-reset link", order=())
_CALENDAR_KEYS: Final = Records(
    t.calendar_keys, CalendarKey, "calendar key", key=("user_name",), order=()
)


class SqlAccountRepository(SqlRepository):
    """Users, their API tokens and sessions, invitations, requests to join, failed sign-ins
    and password-reset links (:class:`~peerconomy.services.ports.AccountRepository`).

    A token's and a request's owner is the column ``user_name`` (see
    :data:`peerconomy.store.tables.api_tokens` why not ``user``). Tokens are numbered per
    user, invitations and requests per pool, so that each list comes back oldest first; a
    replaced record keeps its number.
    """

    # users

    @writes
    def add_user(self, user: User) -> None:
        _USERS.add(self._c, user)

    @remembered
    def user(self, name: str) -> User | None:
        row = self._c.execute(_USER, {"name": name}).first()
        return None if row is None else User(**row._asdict())

    def user_by_email(self, email: str) -> User | None:
        return _USERS.find(self._c, email=email)

    @writes
    def put_user(self, user: User) -> None:
        _USERS.replace(self._c, user)

    @writes
    def remove_user(self, name: str) -> None:
        for table in (t.api_tokens, t.sessions, t.reset_tokens, t.calendar_keys,
                      t.join_requests):
            self._c.execute(delete(table).where(table.c.user_name == name))
        j, i = t.join_requests.c, t.invitations.c
        self._c.execute(update(t.join_requests).where(j.decided_by == name)
                        .values(decided_by=None))
        self._c.execute(update(t.invitations).where(i.created_by == name).values(created_by=None))
        self._c.execute(update(t.invitations).where(i.used_by == name).values(used_by=None))
        self._c.execute(delete(t.users).where(t.users.c.name == name))

    def user_count(self) -> int:
        return int(self._c.scalar(select(func.count()).select_from(t.users)) or 0)

    def users(self) -> list[User]:
        rows = self._c.execute(select(t.users))
        # sorted here, not by ORDER BY: PostgreSQL would sort by its locale's collation
        return sorted((User(**row._asdict()) for row in rows), key=lambda u: u.name)

    def memberships(self, user: str) -> dict[str, Member]:
        m = t.members.c
        rows = self._c.execute(select(m.pool, *MEMBER_COLUMNS).where(m.account == user))
        # sorted here, not by ORDER BY: PostgreSQL would sort by its locale's collation
        return {pool: Member(*member) for pool, *member in sorted(rows, key=lambda r: r.pool)}

    # API tokens

    @writes
    def add_token(self, token: ApiToken) -> None:
        _TOKENS.add(self._c, token)

    def token(self, id: str) -> ApiToken | None:
        return _TOKENS.find(self._c, id=id)

    def tokens(self, user: str) -> list[ApiToken]:
        return _TOKENS.listed(self._c, user_name=user)

    @writes
    def put_token(self, token: ApiToken) -> None:
        _TOKENS.replace(self._c, token)

    # invitations

    @writes
    def add_invitation(self, invitation: Invitation) -> None:
        _INVITATIONS.add(self._c, invitation)

    def invitation(self, id: str) -> Invitation | None:
        return _INVITATIONS.find(self._c, id=id)

    def invitations(self, pool: str) -> list[Invitation]:
        return _INVITATIONS.listed(self._c, pool=pool)

    @writes
    def put_invitation(self, invitation: Invitation) -> None:
        _INVITATIONS.replace(self._c, invitation)

    # requests to join

    def join_request(self, pool: str, user: str) -> JoinRequest | None:
        return _JOIN_REQUESTS.find(self._c, pool=pool, user_name=user)

    def join_requests(self, pool: str) -> list[JoinRequest]:
        return _JOIN_REQUESTS.listed(self._c, pool=pool)

    @writes
    def put_join_request(self, request: JoinRequest) -> None:
        _JOIN_REQUESTS.put(self._c, request)

    # sessions

    @writes
    def add_session(self, session: Session) -> None:
        _SESSIONS.add(self._c, session)

    def session(self, id: str) -> Session | None:
        return _SESSIONS.find(self._c, id=id)

    def sessions(self, user: str) -> list[Session]:
        return _SESSIONS.listed(self._c, user_name=user)

    @writes
    def put_session(self, session: Session) -> None:
        _SESSIONS.replace(self._c, session)

    # failed sign-ins

    def sign_in_limit(self, key: str) -> SignInLimit | None:
        return _SIGN_IN_LIMITS.find(self._c, key=key)

    @writes
    def put_sign_in_limit(self, record: SignInLimit) -> None:
        _SIGN_IN_LIMITS.put(self._c, record)

    @writes
    def remove_sign_in_limit(self, key: str) -> None:
        _SIGN_IN_LIMITS.remove(self._c, key=key)

    # password-reset links

    @writes
    def add_reset_token(self, token: ResetToken) -> None:
        _RESET_TOKENS.add(self._c, token)

    def reset_token(self, id: str) -> ResetToken | None:
        return _RESET_TOKENS.find(self._c, id=id)

    @writes
    def put_reset_token(self, token: ResetToken) -> None:
        _RESET_TOKENS.replace(self._c, token)

    # calendar keys

    def calendar_key(self, user: str) -> CalendarKey | None:
        return _CALENDAR_KEYS.find(self._c, user_name=user)

    def calendar_key_by_id(self, id: str) -> CalendarKey | None:
        return _CALENDAR_KEYS.find(self._c, id=id)

    @writes
    def add_calendar_key(self, key: CalendarKey) -> CalendarKey:
        insert = dialect_insert(self._c.dialect.name)(t.calendar_keys)
        self._c.execute(insert.values(**record_values(t.calendar_keys, key))
                        .on_conflict_do_nothing(index_elements=["user_name"]))
        found = self.calendar_key(key.user)
        if found is None:  # pragma: no cover - it was inserted, or another one was
            raise ValueError(f"no calendar key of {key.user!r} after adding one")
        return found

    @writes
    def put_calendar_key(self, key: CalendarKey) -> None:
        _CALENDAR_KEYS.put(self._c, key)

    @writes
    def remove_stale(self, ended: datetime, counted: datetime) -> None:
        ended, counted = t.utc(ended), t.utc(counted)
        s, r, limits = t.sessions.c, t.reset_tokens.c, t.sign_in_limits.c
        self._c.execute(delete(t.sessions).where(or_(s.expires_at <= ended,
                                                     s.revoked_at <= ended)))
        self._c.execute(delete(t.reset_tokens).where(r.expires_at <= ended))
        self._c.execute(delete(t.sign_in_limits).where(
            or_(limits.locked_until.is_(None), limits.locked_until <= ended),
            or_(limits.window_start.is_(None), limits.window_start <= counted),
        ))
