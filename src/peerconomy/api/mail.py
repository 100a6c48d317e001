"""Sending notices by email, where an SMTP server is configured.

Mail goes out on one background thread after the step that caused it has committed, so a
slow or absent mail server never slows or fails a member's request; a message that cannot
be sent is logged and dropped (the page shows the same facts). ``PEERCONOMY_SMTP_URL`` is
``smtp://[user:password@]host[:port]`` (STARTTLS when the server offers it) or
``smtps://...`` (TLS from the start).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from peerconomy.services.notices import Notice
from peerconomy.services.ports import UnitOfWork

__all__ = ["Mailer", "notify"]

log = logging.getLogger(__name__)


class Mailer:
    """Sends notices through one SMTP server, one message after another."""

    def __init__(self, url: str, sender: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError(f"PEERCONOMY_SMTP_URL must be smtp://host[:port] or smtps://..., "
                             f"got {url!r}")
        self.host = parts.hostname
        self.tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="peerconomy-mail")
        self._pending: list[Future[None]] = []

    def send_later(self, compose: Callable[[], Iterable[Notice]]) -> None:
        """Compose (in the background too: it reads the store) and send notices."""
        self._pending = [f for f in self._pending if not f.done()]
        self._pending.append(self._pool.submit(self._send, compose))

    def flush(self) -> None:
        """Wait until every notice handed over so far is sent or given up on."""
        for future in list(self._pending):
            future.result()

    def close(self) -> None:
        """Send what is pending, then stop the thread."""
        self._pool.shutdown(wait=True)

    def _send(self, compose: Callable[[], Iterable[Notice]]) -> None:
        try:
            notices = list(compose())
            if not notices:
                return
            smtp_class = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
            with smtp_class(self.host, self.port, timeout=30) as server:
                if not self.tls:
                    server.ehlo()
                    if server.has_extn("starttls"):
                        server.starttls()
                        server.ehlo()
                if self.user is not None:
                    server.login(self.user, self.password or "")
                for notice in notices:
                    message = EmailMessage()
                    message["From"] = self.sender
                    message["To"] = notice.to
                    message["Subject"] = notice.subject
                    message.set_content(notice.body)
                    server.send_message(message)
        except Exception:  # a notice is a courtesy: never let it fail anything else
            log.exception("could not send email notices")


def notify(
    mailer: Mailer | None,
    new_uow: Callable[[], UnitOfWork],
    compose: Callable[[UnitOfWork], Iterable[Notice]],
) -> None:
    """Hand the notices ``compose`` makes (on a fresh unit of work) to the mailer, if any."""
    if mailer is not None:
        mailer.send_later(lambda: compose(new_uow()))
