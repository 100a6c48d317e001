"""How a running service is configured: from the environment, with safe defaults.

The session secret is never in the repository: ``PEERCONOMY_SECRET_KEY`` if set, else a
random key made once and kept (mode 0600) in the data directory beside the SQLite file.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AppSettings", "load_secret_key"]


def load_secret_key(data_dir: Path) -> str:
    """``PEERCONOMY_SECRET_KEY``, or the key kept in ``data_dir/secret_key`` (made if new)."""
    configured = os.environ.get("PEERCONOMY_SECRET_KEY", "").strip()
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
    mail_from: str = "peerconomy@localhost"
    base_url: str = "http://127.0.0.1:8000"
    """Where people reach the site: links in emails and invitations point here."""
    session_days: int = 14

    @classmethod
    def from_environment(cls, data_dir: Path) -> AppSettings:
        """Settings from ``PEERCONOMY_*`` variables (see docs/deploy.md)."""
        env = os.environ
        return cls(
            secret_key=load_secret_key(data_dir),
            secure_cookies=env.get("PEERCONOMY_SECURE_COOKIES", "") in {"1", "true", "yes"},
            smtp_url=env.get("PEERCONOMY_SMTP_URL") or None,
            mail_from=env.get("PEERCONOMY_MAIL_FROM", "peerconomy@localhost"),
            base_url=env.get("PEERCONOMY_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        )
