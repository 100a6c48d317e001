"""Adapters that keep a pool: in memory (:mod:`.memory`) or in SQL (:mod:`.sql`)."""
