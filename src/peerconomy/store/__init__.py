"""Adapters that keep a pool: in memory (:mod:`.memory`) or in SQL (:mod:`.sql`), whose
units of work nest alike (:mod:`.unit_of_work`)."""
