"""The composition root: where the program's parts are put together, and the one place
outside :mod:`peerconomy.store` that knows the store's adapters.

The command line, the web server (the ASGI app), the demo and the simulator get their store
here: one on a database URL (SQLite or PostgreSQL; a new database is set up at once), or one
in memory; and they manage databases here (upgrade, backup, restore). The server and
``peerconomy mail test`` get their mailer here (:func:`mailer`), and the server its clock
(:func:`clock`). Everything else works on the protocols of :mod:`peerconomy.services.ports`
and is handed a store or a unit of work.

The SQL adapter (SQLAlchemy, Alembic) and the mailer (SMTP, the mail's translations) are
imported when first needed, so that a program that never opens a database or sends mail,
such as the command line's ``--help`` or the simulator, does not pay for them;
:class:`StoreError` is read from the SQL adapter on first use too.

>>> store = memory_store()
>>> with store.unit_of_work() as uow:
...     uow.pools.names()
[]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peerconomy.store.memory import MemoryStore

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from peerconomy.mailer import Mailer, MailSettings
    from peerconomy.store.sql import SqlStore, StoreError

__all__ = [
    "Clock",
    "StoreError",
    "backup_database",
    "clock",
    "data_dir",
    "database_url",
    "mailer",
    "memory_store",
    "open_store",
    "restore_database",
    "upgrade_database",
]

Clock = Callable[[], datetime]
"""The time now, in UTC, whenever it is called (the program's :func:`clock`, or a test's)."""


def __getattr__(name: str) -> Any:
    """:class:`StoreError` (a store or database that cannot be opened, with a message that
    says why), read from the SQL adapter when it is first asked for."""
    if name == "StoreError":
        from peerconomy.store.sql import StoreError

        return StoreError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def data_dir() -> Path:
    """The user's peerconomy data directory (made if missing), e.g.
    ``~/.local/share/peerconomy`` on Linux."""
    from peerconomy.store.sql import default_data_dir

    return default_data_dir()


def database_url(db: str | None = None) -> str:
    """The database to use: ``db`` where given, else the configured one (the environment's
    ``PEERCONOMY_DATABASE_URL``, or the user's SQLite file)."""
    from peerconomy.store.sql import default_database_url

    return db or default_database_url()


def open_store(url: str | URL | None = None) -> SqlStore:
    """A store on the database at ``url`` (default: :func:`database_url`), checked to be at
    this version's schema (a new, empty database gets it at once); :class:`StoreError` if it
    cannot be opened."""
    from peerconomy.store.sql import open_store as open_sql_store

    return open_sql_store(url if url is not None else database_url())


def memory_store() -> MemoryStore:
    """A new, empty store in memory (the simulator's, and tests'): nothing outlives it."""
    return MemoryStore()


def upgrade_database(url: str | None = None) -> str | None:
    """Create the tables of a new database, or migrate an older one to this version; the
    revision it is at after."""
    from peerconomy.store.sql import upgrade_database as upgrade

    return upgrade(database_url(url))


def backup_database(url: str | None, path: Path) -> dict[str, Any]:
    """Write every pool, account and book entry of the database into the JSON file
    ``path``; the document written."""
    from peerconomy.store.backup import write_backup

    return write_backup(database_url(url), path)


def restore_database(url: str | None, document: Mapping[str, Any] | Path) -> dict[str, int]:
    """Restore a backup into a new, empty database (all of it, or nothing); the rows
    restored, by table."""
    from peerconomy.store.backup import restore

    return restore(database_url(url), document)


def mailer(settings: MailSettings) -> Mailer | None:
    """The mailer the settings name: one that sends through the SMTP server of
    ``settings.smtp_url``, from ``settings.mail_from``, with links to ``settings.base_url``
    signed with ``settings.secret_key``; None where no mail server is set up. ValueError
    naming ``PEERCONOMY_SMTP_URL`` if the URL is no SMTP server's."""
    if not settings.smtp_url:
        return None
    from peerconomy.mailer import Mailer

    return Mailer(settings.smtp_url, settings.mail_from, base_url=settings.base_url,
                  secret_key=settings.secret_key)


def clock() -> Clock:
    """The program's clock: the time now, in UTC, whenever it is called.

    >>> clock()().tzinfo
    datetime.timezone.utc
    """
    return _now


def _now() -> datetime:
    """The time now, in UTC."""
    return datetime.now(UTC)
