"""The store's Alembic environment: ``env.py``, the revision template and ``versions/``.

:func:`peerconomy.store.sql.upgrade_database` runs it; it needs no ``alembic.ini``.
"""
