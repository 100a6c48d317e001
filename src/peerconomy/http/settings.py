"""How a running service is configured: from the environment, with safe defaults.

The session secret is never in the repository: ``PEERCONOMY_SECRET_KEY`` if set, else a
random key made once and kept (mode 0600) in the data directory beside the SQLite file.
Every variable is read through :func:`peerconomy.environment.setting`: an empty one is unset.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Final, Literal, get_args

from peerconomy.domain.security import LimitRule
from peerconomy.environment import setting
from peerconomy.http.clients import TrustedProxies, parse_trusted_proxies
from peerconomy.services.accounts import SIGN_UP_MODES, SignUpMode
from peerconomy.services.security import SecurityPolicy

__all__ = [
    "DEFAULT_MAIL_FROM",
    "DEFAULT_THREADS",
    "LOG_LEVELS",
    "MAX_BODY_BYTES",
    "MAX_SCENARIO_BYTES",
    "AppSettings",
    "LogLevel",
    "base_url_from_environment",
    "load_secret_key",
    "log_level",
    "sign_up_mode",
]

MAX_BODY_BYTES = 1024 * 1024
"""A request body's largest size by default: a form or a JSON call is a few kilobytes."""
MAX_SCENARIO_BYTES = 8 * 1024 * 1024
"""The largest body of a route that takes a scenario (a project's tasks and goods)."""
DEFAULT_MAIL_FROM: Final = "peerconomy@localhost"
"""The sender of notices where ``PEERCONOMY_MAIL_FROM`` is unset."""
DEFAULT_THREADS: Final = 8
"""The threads per server process that answer requests where ``PEERCONOMY_THREADS`` is
unset: a few keep a busy process from switching between many requests that hold database
locks and wait for the GIL."""
LogLevel = Literal["debug", "info", "warning", "error"]
LOG_LEVELS: Final[tuple[LogLevel, ...]] = get_args(LogLevel)
"""What ``PEERCONOMY_LOG_LEVEL`` may say, most said first: ``info`` (the default) writes the
access log, ``warning`` and ``error`` leave it out."""


def load_secret_key(data_dir: Path) -> str:
    """``PEERCONOMY_SECRET_KEY``, or the key kept in ``data_dir/secret_key`` (made if new)."""
    configured = setting("PEERCONOMY_SECRET_KEY")
    if configured:
        return configured
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it just now
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(key + "\n")
    return key


@dataclass(frozen=True, slots=True)
class AppSettings:
    """The service's settings."""

    secret_key: str
    """Signs the session cookies."""
    secure_cookies: bool = False
    """Send cookies only over HTTPS (set it behind a TLS-terminating proxy)."""
    smtp_url: str | None = None
    """``smtp://user:password@host:port`` (or ``smtps://``) for email notices; None: none."""
    mail_from: str = DEFAULT_MAIL_FROM
    base_url: str = "http://127.0.0.1:8000"
    """Where people reach the site: links in emails and invitations point here."""
    session_days: int = 14
    """A session (and its cookie) ends this many days after sign-in, however active."""
    session_idle_hours: int = 48
    """A session unused this many hours ends."""
    sign_in_limit: int = 5
    """Failed sign-ins to one account within ``sign_in_lock_minutes`` before it is locked
    for as long."""
    client_sign_in_limit: int = 20
    """Failed sign-ins from one client address (on any accounts) before it is locked."""
    sign_in_lock_minutes: int = 15
    reset_link_minutes: int = 60
    """How long a password-reset link works (once)."""
    trusted_proxies: TrustedProxies = ()
    """The proxies whose ``X-Forwarded-For`` header names the client (none: the socket's
    peer is the client, whatever a header says)."""
    sign_up_limit: int = 20
    """Sign-ups and invitation acceptances from one client address per hour before it is
    answered 429 for a while."""
    max_body_bytes: int = MAX_BODY_BYTES
    """The largest request body (a form, a JSON call) taken; a larger one is answered 413."""
    max_scenario_bytes: int = MAX_SCENARIO_BYTES
    """The largest body of a route that takes a scenario (a project's tasks and goods)."""
    signup: SignUpMode = "invite-only"
    """Who may sign up: ``open`` (anyone), ``invite-only`` (with an invitation link) or
    ``closed`` (nobody; accounts are made on the command line)."""
    threads: int = DEFAULT_THREADS
    """Threads per server process that answer requests (the routes are plain functions)."""
    log_level: LogLevel = "info"
    """How much the server writes to its log: ``info`` is one access-log line per request
    (:mod:`peerconomy.http.server_log`) besides warnings and errors."""

    @classmethod
    def from_environment(cls, data_dir: Path) -> AppSettings:
        """Settings from ``PEERCONOMY_*`` variables (see docs/deploy.md)."""
        return cls(
            secret_key=load_secret_key(data_dir),
            secure_cookies=setting("PEERCONOMY_SECURE_COOKIES") in {"1", "true", "yes"},
            smtp_url=setting("PEERCONOMY_SMTP_URL") or None,
            mail_from=setting("PEERCONOMY_MAIL_FROM", DEFAULT_MAIL_FROM),
            base_url=base_url_from_environment(),
            session_days=_positive("PEERCONOMY_SESSION_DAYS", 14, "days"),
            session_idle_hours=_positive("PEERCONOMY_SESSION_IDLE_HOURS", 48, "hours"),
            sign_in_limit=_positive("PEERCONOMY_SIGN_IN_LIMIT", 5, "failures"),
            client_sign_in_limit=_positive("PEERCONOMY_CLIENT_SIGN_IN_LIMIT", 20, "failures"),
            sign_in_lock_minutes=_positive("PEERCONOMY_SIGN_IN_LOCK_MINUTES", 15, "minutes"),
            reset_link_minutes=_positive("PEERCONOMY_RESET_LINK_MINUTES", 60, "minutes"),
            trusted_proxies=parse_trusted_proxies(setting("PEERCONOMY_TRUSTED_PROXIES")),
            sign_up_limit=_positive("PEERCONOMY_SIGN_UP_LIMIT", 20, "sign-ups"),
            max_body_bytes=_positive("PEERCONOMY_MAX_BODY_BYTES", MAX_BODY_BYTES, "bytes"),
            max_scenario_bytes=_positive("PEERCONOMY_MAX_SCENARIO_BYTES", MAX_SCENARIO_BYTES,
                                         "bytes"),
            threads=_positive("PEERCONOMY_THREADS", DEFAULT_THREADS, "threads"),
            signup=sign_up_mode(setting("PEERCONOMY_SIGNUP")),
            log_level=log_level(setting("PEERCONOMY_LOG_LEVEL")),
        )

    def security_policy(self) -> SecurityPolicy:
        """The limits of sign-in and sessions these settings give (the rest as
        :class:`SecurityPolicy`'s defaults)."""
        lock = timedelta(minutes=self.sign_in_lock_minutes)
        return SecurityPolicy(
            account_limit=LimitRule(self.sign_in_limit, lock, lock),
            client_limit=LimitRule(self.client_sign_in_limit, lock, lock),
            session_max_age=timedelta(days=self.session_days),
            session_idle=timedelta(hours=self.session_idle_hours),
            reset_link_age=timedelta(minutes=self.reset_link_minutes),
            sign_up_limit=LimitRule(self.sign_up_limit, timedelta(hours=1), timedelta(hours=1)),
        )


def sign_up_mode(text: str) -> SignUpMode:
    """The sign-up mode ``PEERCONOMY_SIGNUP`` names (empty: ``invite-only``); ValueError
    naming the variable if it is none of them."""
    wanted = text.strip().lower() or "invite-only"
    for mode in SIGN_UP_MODES:
        if wanted == mode:
            return mode
    raise ValueError(f"PEERCONOMY_SIGNUP must be one of {', '.join(SIGN_UP_MODES)},"
                     f" got {text!r}")


def log_level(text: str) -> LogLevel:
    """The log level ``PEERCONOMY_LOG_LEVEL`` names, in any case (empty: ``info``);
    ValueError naming the variable if it is none of :data:`LOG_LEVELS`."""
    wanted = text.strip().lower() or "info"
    for level in LOG_LEVELS:
        if wanted == level:
            return level
    raise ValueError(f"PEERCONOMY_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)},"
                     f" got {text!r}")


def _positive(name: str, default: int, unit: str) -> int:
    """A positive whole number (of ``unit``) from the variable ``name`` (``default`` if
    unset or empty)."""
    text = setting(name)
    if not text:
        return default
    try:
        size = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of {unit}, got {text!r}") from None
    if size <= 0:
        raise ValueError(f"{name} must be a positive number of {unit}, got {text!r}")
    return size


def base_url_from_environment() -> str:
    """Where people reach the site (``PEERCONOMY_BASE_URL``), for links made off the server
    too (the command line's invitation and password links)."""
    return setting("PEERCONOMY_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
