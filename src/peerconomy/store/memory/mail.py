"""The outbox, the notices users turned off and the reminders sent, in memory
(:class:`~peerconomy.services.ports.MailRepository`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from peerconomy.domain.mail import NoticeKind, QueuedMail
from peerconomy.domain.reminders import SentReminder
from peerconomy.store.memory.state import Repository

__all__ = ["MemoryMailRepository"]


class MemoryMailRepository(Repository):
    """The outbox, by number, the notices each user has turned off, and the reminders sent
    by their key."""

    def queue(self, mail: QueuedMail) -> QueuedMail:
        self._s.last_mail_id += 1
        numbered = replace(mail, id=self._s.last_mail_id)
        self._s.outbox[numbered.id] = numbered
        return numbered

    def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        waiting = [m for m in self._s.outbox.values()
                   if m.sent_at is None and m.failed_at is None and m.next_try_at <= now]
        return waiting[:max(limit, 0)]

    def claim(self, mail: QueuedMail, until: datetime) -> bool:
        if self._s.outbox.get(mail.id) != mail:
            return False
        self._s.outbox[mail.id] = replace(mail, next_try_at=until)
        return True

    def mail(self, id: int) -> QueuedMail | None:
        return self._s.outbox.get(id)

    def put(self, mail: QueuedMail) -> None:
        if mail.id not in self._s.outbox:
            raise ValueError(f"no queued mail {mail.id!r} to replace")
        self._s.outbox[mail.id] = mail

    def outbox(self) -> list[QueuedMail]:
        return list(self._s.outbox.values())

    def turned_off(self, user: str) -> set[tuple[str, NoticeKind]]:
        return set(self._s.turned_off.get(user, ()))

    def set_wanted(self, user: str, pool: str, kind: NoticeKind, wanted: bool) -> None:
        off = set(self._s.turned_off.get(user, ()))
        if wanted:
            off.discard((pool, kind))
        else:
            off.add((pool, kind))
        self._s.turned_off[user] = off

    def claim_reminder(self, sent: SentReminder) -> bool:
        key = (sent.kind, sent.pool, sent.member, sent.subject)
        if key in self._s.reminders_sent:
            return False
        self._s.reminders_sent[key] = sent
        return True

    def sent_reminders(self, pool: str, kind: NoticeKind, since: datetime
                       ) -> list[SentReminder]:
        return sorted((r for r in self._s.reminders_sent.values()
                       if r.pool == pool and r.kind == kind and r.sent_at >= since),
                      key=lambda r: (r.sent_at, r.member, r.subject))
