"""The outbox, the notices users turned off and the reminders sent, in SQL
(:class:`~peerconomy.services.ports.MailRepository`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from peerconomy.domain.mail import NoticeKind, QueuedMail
from peerconomy.domain.reminders import SentReminder
from peerconomy.store import tables as t
from peerconomy.store.sql.identity_map import SqlRepository, writes
from peerconomy.store.sql.rows import dialect_insert, field_columns, record_values

__all__ = ["SqlMailRepository"]


class SqlMailRepository(SqlRepository):
    """The outbox, the notices users turned off and the reminders sent
    (:class:`~peerconomy.services.ports.MailRepository`).

    Two schedulers claiming one reminder at once: the second one's insert waits for the
    first one's transaction (the primary key), then does nothing."""

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


    @writes
    def claim_reminder(self, sent: SentReminder) -> bool:
        r = t.reminders_sent
        inserted = self._c.execute(
            dialect_insert(self._c.dialect.name)(r)
            .values(kind=sent.kind, pool=sent.pool, member=sent.member, subject=sent.subject,
                    sent_at=t.utc(sent.sent_at))
            .on_conflict_do_nothing(index_elements=["kind", "pool", "member", "subject"])
            .returning(r.c.subject)
        )
        return inserted.first() is not None  # (rowcount does not say, on PostgreSQL)

    def sent_reminders(self, pool: str, kind: NoticeKind, since: datetime
                       ) -> list[SentReminder]:
        r = t.reminders_sent.c
        rows = self._c.execute(
            select(r.kind, r.pool, r.member, r.subject, r.sent_at)
            .where(r.pool == pool, r.kind == kind, r.sent_at >= t.utc(since))
            .order_by(r.sent_at, r.member, r.subject)
        )
        return [SentReminder(**row._asdict()) for row in rows]
