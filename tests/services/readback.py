"""Reading the pool's exports back: each format's balances per account, as the pool names them."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal

from beancount import loader
from beancount.core import data as bc

from peerconomy.ledger.journal import Account

__all__ = ["posted", "totals_from_beancount", "totals_from_csv", "totals_from_json"]


def totals_from_csv(text: str) -> dict[Account, Decimal]:
    """Fold the CSV export's rows, one per posting."""
    totals: dict[Account, Decimal] = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(text)):
        totals[row["account"]] += Decimal(row["amount"])
    return dict(totals)


def totals_from_json(text: str) -> dict[Account, Decimal]:
    """Fold the JSON export's transactions' postings."""
    totals: dict[Account, Decimal] = defaultdict(Decimal)
    for transaction in json.loads(text):
        for posting in transaction["postings"]:
            totals[posting["account"]] += Decimal(posting["amount"])
    return dict(totals)


def totals_from_beancount(text: str) -> dict[Account, Decimal]:
    """Load the text with Beancount itself (no errors allowed) and fold its postings, naming
    each account as the pool does (the ``account`` metadata of its ``open`` directive)."""
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    ours = {e.account: e.meta["account"] for e in entries if isinstance(e, bc.Open)}
    totals: dict[Account, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, bc.Transaction):
            for posting in entry.postings:
                units = posting.units
                assert units is not None and units.number is not None and units.currency == "WH"
                totals[ours[posting.account]] += units.number
    return dict(totals)


def posted(balances: dict[Account, Decimal]) -> dict[Account, Decimal]:
    """The balances without the zeros (exports name only accounts that were posted to)."""
    return {account: amount for account, amount in balances.items() if amount != 0}
