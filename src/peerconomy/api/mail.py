"""Sending notices by email, where an SMTP server is configured.

Mail goes out on one background thread after the step that caused it has committed, so a
slow or absent mail server never slows or fails a member's request; a message that cannot
be sent is logged and dropped (the page shows the same facts). ``PEERCONOMY_SMTP_URL`` is
``smtp://[user:password@]host[:port]`` (STARTTLS when the server offers it) or
``smtps://...`` (TLS from the start).

Each notice is written in its reader's language (their account's ``locale``; English where
they chose none or one the site does not speak), from the same gettext catalogs as the pages
(:mod:`peerconomy.web.i18n`).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from peerconomy.services.notices import Gettext, Notice
from peerconomy.services.ports import UnitOfWork

__all__ = ["Mailer", "catalog", "language_of", "notify"]

log = logging.getLogger(__name__)


def language_of(locale: str) -> str:
    """The shipped language to write to someone whose account says ``locale`` (``de-AT``:
    ``de``; none, or one not shipped: English)."""
    # Imported here, not above: peerconomy.web imports this module (through api.deps).
    from peerconomy.web.i18n import DEFAULT, LANGUAGES

    primary = locale.replace("_", "-").split("-")[0].strip().lower()
    return primary if primary in LANGUAGES else DEFAULT


def catalog(lang: str) -> Gettext:
    """``gettext`` of the catalog of ``lang``, a shipped language (the pages' catalog)."""
    from peerconomy.web.i18n import translations  # imported here: see language_of

    return translations(lang).gettext


class Mailer:
    """Sends notices through one SMTP server, one message after another, each in its
    reader's language (``translations`` gives a language's ``gettext``)."""

    def __init__(
        self, url: str, sender: str, translations: Callable[[str], Gettext] = catalog
    ) -> None:
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
        self.translations = translations
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

    def message(self, notice: Notice) -> EmailMessage:
        """The email of ``notice``, written in its reader's language."""
        lang = language_of(notice.locale)
        subject, body = notice.written(self.translations(lang), lang)
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = notice.to
        message["Subject"] = subject
        message.set_content(body)
        message["Content-Language"] = lang  # after the content: setting it clears Content-*
        return message

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
                    server.send_message(self.message(notice))
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
