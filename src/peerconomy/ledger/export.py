"""The books as CSV, JSON and Beancount text; each agrees with :func:`balances` exactly.

CSV has one row per posting, and a text cell that a spreadsheet would take for a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
``'`` before it, so that it shows as the text it is (CSV injection); numbers stay numbers.
JSON has one object per transaction, amounts as decimal strings (so nothing is lost to
floats); Beancount text opens one account per participant under ``Assets:Participants`` and
the pool's as ``Equity:Pool``, in the commodity ``WH`` (weighted
hours), so that Fava can show the books.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final

from peerconomy.ledger.journal import POOL, Account, Transaction, participant_of

__all__ = ["COMMODITY", "beancount_accounts", "csv_text", "to_beancount", "to_csv", "to_json"]

COMMODITY: Final = "WH"
CSV_COLUMNS: Final = (
    "transaction", "period", "date", "kind", "narration", "reverses", "account", "amount"
)


FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)."""
_NUMBER: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_text(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text: ``'`` before a cell that starts as
    a formula would (``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``); a number such as
    ``-1.5`` is left as it is."""
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(transactions: Iterable[Transaction]) -> str:
    """One row per posting, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in transactions:
        for p in t.postings:
            writer.writerow([csv_text(t.id), t.period, t.date.isoformat(), csv_text(t.kind),
                             csv_text(t.narration), csv_text(t.reverses or ""),
                             csv_text(p.account), str(p.amount)])
    return out.getvalue()


def to_json(transactions: Iterable[Transaction]) -> str:
    """A JSON list of transactions; amounts are decimal strings."""
    data: list[dict[str, Any]] = [
        {
            "id": t.id, "period": t.period, "date": t.date.isoformat(), "kind": t.kind,
            "narration": t.narration, "reverses": t.reverses,
            "postings": [{"account": p.account, "amount": str(p.amount)} for p in t.postings],
        }
        for t in transactions
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def beancount_accounts(accounts: Iterable[Account]) -> dict[Account, str]:
    """Beancount names for our accounts: ``Equity:Pool`` and ``Assets:Participants:<Name>``.

    A name component must start with a capital or a digit and hold letters, digits and
    dashes; other characters become dashes, and a clash gets a numbered suffix.
    """
    names: dict[Account, str] = {}
    taken: set[str] = set()
    for account in sorted(set(accounts)):
        who = participant_of(account)
        if who is None:
            names[account] = "Equity:Pool" if account == POOL else _unique(
                "Equity:" + _component(account), taken)
        else:
            names[account] = _unique("Assets:Participants:" + _component(who), taken)
        taken.add(names[account])
    return names


def to_beancount(transactions: Sequence[Transaction], title: str = "peerconomy pool") -> str:
    """Beancount text: options, an ``open`` per account, then every transaction."""
    names = beancount_accounts(p.account for t in transactions for p in t.postings)
    opened = min((t.date for t in transactions), default=date(1970, 1, 1))
    lines = [f'option "title" "{_quote(title)}"', f'option "operating_currency" "{COMMODITY}"',
             ""]
    for account, name in sorted(names.items(), key=lambda item: item[1]):
        lines.append(f"{opened.isoformat()} open {name} {COMMODITY}")
        lines.append(f'  account: "{_quote(account)}"')
    for t in transactions:
        lines.append("")
        lines.append(f'{t.date.isoformat()} * "{_quote(t.narration)}"')
        lines.append(f'  id: "{_quote(t.id)}"')
        lines.append(f"  period: {t.period}")
        lines.append(f'  kind: "{t.kind}"')
        if t.reverses:
            lines.append(f'  reverses: "{_quote(t.reverses)}"')
        lines.extend(f"  {names[p.account]}  {p.amount} {COMMODITY}" for p in t.postings)
    return "\n".join(lines) + "\n"


def _component(text: str) -> str:
    part = re.sub(r"[^A-Za-z0-9-]", "-", text) or "X"
    part = part[0].upper() + part[1:]
    return part if re.match(r"[A-Z0-9]", part) else "X" + part


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    return candidate


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
