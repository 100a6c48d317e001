"""The mailer: notices written in their reader's language and sent through one SMTP server.

This is the program's mail adapter, as :mod:`peerconomy.store` is its database's: the
composition root builds one from the settings (:func:`peerconomy.bootstrap.mailer`), and the
server's outbox worker (:class:`peerconomy.http.mail.OutboxWorker`) and ``peerconomy mail
test`` send through it. ``PEERCONOMY_SMTP_URL`` is ``smtp://[user:password@]host[:port]``
(STARTTLS when the server offers it) or ``smtps://...`` (TLS from the start).

Every message has ``Date`` and ``Message-ID``; a pool notice also has ``List-Unsubscribe``
(a one-click link, RFC 8058, signed with the site's key) and says the same at its foot.
Each message is written in its reader's language (their account's ``locale``; English where
they chose none or one the site does not speak), from the same gettext catalogs as the pages
(:mod:`peerconomy.i18n`).

>>> Mailer("smtps://mail.example", "pool@seaside.example").port
465
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

from peerconomy.i18n import DEFAULT, LANGUAGES, translations
from peerconomy.services.mail_settings import UNSUBSCRIBE, sign
from peerconomy.services.notices import N_, Gettext, Link, Notice, text

__all__ = ["MailSettings", "Mailer", "MailerLike", "catalog", "language_of", "trial_message"]


class MailSettings(Protocol):
    """What a mailer is built from (the server's settings, or the command line's)."""

    @property
    def smtp_url(self) -> str | None:
        """``smtp://user:password@host:port`` (or ``smtps://``); None: no mail server."""

    @property
    def mail_from(self) -> str:
        """The sender of every message."""

    @property
    def base_url(self) -> str:
        """Where people reach the site: the messages' links point here."""

    @property
    def secret_key(self) -> str:
        """Signs the messages' links."""


def language_of(locale: str) -> str:
    """The shipped language to write to someone whose account says ``locale`` (``de-AT``:
    ``de``; none, or one not shipped: English)."""
    primary = locale.replace("_", "-").split("-")[0].strip().lower()
    return primary if primary in LANGUAGES else DEFAULT


def catalog(lang: str) -> Gettext:
    """``gettext`` of the catalog of ``lang``, a shipped language (the pages' catalog)."""
    return translations(lang).gettext


class Mailer:
    """Sends messages through one SMTP server, each in its reader's language
    (``translations`` gives a language's ``gettext``), with the site's links written out
    from ``base_url`` and signed with ``secret_key``."""

    def __init__(
        self, url: str, sender: str, translations: Callable[[str], Gettext] = catalog,
        *, base_url: str = "http://127.0.0.1:8000", secret_key: str = "",
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
        self.base_url = base_url.rstrip("/")
        self.secret_key = secret_key
        self.domain = sender.rpartition("@")[2].strip(" >") or "localhost"

    def link(self, link: Link) -> str:
        """A link of a notice written out in full (its token signed, if it has one)."""
        url = self.base_url + link.path
        if link.purpose:
            url += "/" + sign(self.secret_key, link.purpose, link.payload)
        return url

    def unsubscribe_urls(self, notice: Notice) -> tuple[str, str] | None:
        """The links that turn off the kind of notice ``notice`` is: the page with a button
        (for the reader), and the one-click address a mail program posts to (RFC 8058);
        None if it is not a pool notice."""
        if notice.unsubscribe is None:
            return None
        token = sign(self.secret_key, UNSUBSCRIBE, notice.unsubscribe)
        return (f"{self.base_url}/unsubscribe/{token}",
                f"{self.base_url}/api/v1/unsubscribe/{token}")

    def message(self, notice: Notice) -> EmailMessage:
        """The email of ``notice``, written in its reader's language."""
        lang = language_of(notice.locale)
        gettext = self.translations(lang)
        subject, body = notice.written(gettext, lang, self.link)
        off = self.unsubscribe_urls(notice)
        if off is not None:
            body += "\n-- \n" + text(
                N_("You get this as a member of %(pool)s. Turn these notices off: %(link)s"
                   " (or choose which you get on your account page)."),
                pool=notice.unsubscribe[1] if notice.unsubscribe else "", link=off[0],
            ).written(gettext, lang) + "\n"
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = notice.to
        message["Subject"] = subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self.domain)
        if off is not None:
            message["List-Unsubscribe"] = f"<{off[1]}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            message["Precedence"] = "list"
        message.set_content(body)
        message["Content-Language"] = lang  # after the content: setting it clears Content-*
        return message

    def connect(self) -> smtplib.SMTP:
        """An SMTP connection, greeted (STARTTLS where offered) and logged in."""
        smtp_class = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        server = smtp_class(self.host, self.port, timeout=30)
        try:
            if not self.tls:
                server.ehlo()
                if server.has_extn("starttls"):
                    server.starttls()
                    server.ehlo()
            if self.user is not None:
                server.login(self.user, self.password or "")
        except BaseException:
            server.close()
            raise
        return server

    def send(self, notices: Sequence[Notice]) -> list[str | None]:
        """Send ``notices`` over one connection: for each, None if the server took it, else
        why not (an error to connect fails them all: :meth:`connect` raises)."""
        outcomes: list[str | None] = []
        with self.connect() as server:
            for notice in notices:
                try:
                    message = self.message(notice)
                except Exception as error:  # a message that cannot be written: only it fails
                    outcomes.append(f"could not write the message: {error!r}")
                    continue
                try:
                    refused = server.send_message(message)
                except OSError as error:  # smtplib's errors are OSErrors too
                    outcomes.append(f"{type(error).__name__}: {error}")
                    lost = (isinstance(error, smtplib.SMTPServerDisconnected)
                            or not isinstance(error, smtplib.SMTPException))
                    if lost:  # the connection is gone: the rest wait for the next try
                        outcomes += ["the mail server hung up"] * (len(notices) - len(outcomes))
                        break
                    continue
                outcomes.append(f"refused: {refused}" if refused else None)
        return outcomes


class MailerLike(Protocol):
    """What the worker sends through (a :class:`Mailer`, or a test's fake)."""

    def send(self, notices: Sequence[Notice]) -> Sequence[str | None]: ...


def trial_message(to: str) -> Notice:
    """A message that shows mail from the site arrives (``peerconomy mail test``)."""
    return Notice(to, text(N_("peerconomy: a test message")),
                  ((text(N_("This is a test message from your peerconomy site. If you read it,"
                            " its mail arrives.")),),))

