"""The outbox and the notices users turned off, in SQL
(:class:`~peerconomy.services.ports.MailRepository`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from peerconomy.domain.mail import NoticeKind, QueuedMail
from peerconomy.store import tables as t
from peerconomy.store.sql.identity_map import SqlRepository, writes
from peerconomy.store.sql.rows import field_columns, record_values

__all__ = ["SqlMailRepository"]


class SqlMailRepository(SqlRepository):
    """The outbox and the notices users turned off
    (:class:`~peerconomy.services.ports.MailRepository`)."""

    @writes
    def queue(self, mail: QueuedMail) -> QueuedMail:
        values = record_values(t.outbox, mail)
        del values["id"]
        key = self._c.execute(insert(t.outbox).values(**values)).inserted_primary_key
        assert key is not None
        return replace(mail, id=int(key[0]))

    def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        o = t.outbox.c
        rows = self._c.execute(
            select(*field_columns(t.outbox))
            .where(o.sent_at.is_(None), o.failed_at.is_(None), o.next_try_at <= t.utc(now))
            .order_by(o.id).limit(max(limit, 0))
        )
        return [QueuedMail(**row._asdict()) for row in rows]

    @writes
    def claim(self, mail: QueuedMail, until: datetime) -> bool:
        o = t.outbox.c
        result = self._c.execute(
            update(t.outbox)
            .where(o.id == mail.id, o.next_try_at == t.utc(mail.next_try_at),
                   o.tries == mail.tries, o.sent_at.is_(None), o.failed_at.is_(None))
            .values(next_try_at=t.utc(until))
        )
        return bool(result.rowcount)

    def mail(self, id: int) -> QueuedMail | None:
        row = self._c.execute(select(*field_columns(t.outbox)).where(t.outbox.c.id == id)).first()
        return None if row is None else QueuedMail(**row._asdict())

    @writes
    def put(self, mail: QueuedMail) -> None:
        result = self._c.execute(update(t.outbox).where(t.outbox.c.id == mail.id)
                                 .values(**record_values(t.outbox, mail)))
        if result.rowcount == 0:
            raise ValueError(f"no queued mail {mail.id!r} to replace")

    def outbox(self) -> list[QueuedMail]:
        rows = self._c.execute(select(*field_columns(t.outbox)).order_by(t.outbox.c.id))
        return [QueuedMail(**row._asdict()) for row in rows]

    def turned_off(self, user: str) -> set[tuple[str, NoticeKind]]:
        m = t.mail_turned_off.c
        rows = self._c.execute(select(m.pool, m.kind).where(m.user_name == user))
        return {(row.pool, row.kind) for row in rows}

    @writes
    def set_wanted(self, user: str, pool: str, kind: NoticeKind, wanted: bool) -> None:
        m = t.mail_turned_off.c
        self._c.execute(delete(t.mail_turned_off).where(
            m.user_name == user, m.pool == pool, m.kind == kind))
        if not wanted:
            self._c.execute(insert(t.mail_turned_off).values(user_name=user, pool=pool,
                                                             kind=kind))

