"""What every member reads of a pool: the ledger (statements, balances, charts, downloads)
and the hint board with its Atom feed."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from browsing import Browser, clear, offer, rows_of, text_of, wish

People = dict[str, Browser]
ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"


def balances_on_the_page(page: str) -> dict[str, Decimal]:
    """The table of everyone's balance, the pool's included, by the name in its first cell."""
    rows = rows_of(page)
    start = rows.index(["Participant", "Balance"])
    found: dict[str, Decimal] = {}
    for row in rows[start + 1:]:
        if row[0] == "Sum":
            found[row[0]] = Decimal(row[1])
            break
        found[row[0]] = Decimal(row[1])
    return found


def test_the_ledger_shows_statements_and_balances_that_sum_to_zero(settled: People) -> None:
    page = settled["ben"].page("/pools/seaside/ledger")
    assert balances_on_the_page(page) == {
        "ana": Decimal("-2"), "ben": Decimal("-1.5"), "the pool": Decimal("3.5"),
        "Sum": Decimal(0),
    }
    statement = [row for row in rows_of(page) if row[0] == "1"]
    assert [row[2:] for row in statement] == [
        ["share shares of period 1", "-3.5", "-3.5"],
        ["credit confirmed work of period 1", "2", "-1.5"],
    ]


def test_the_ledger_charts_the_balance_as_svg(settled: People) -> None:
    ben = settled["ben"]
    clear(settled["ana"])  # a second period, on the offers and wishes that stand
    settled["ana"].submit("/pools/seaside/period/settle", form_on="/pools/seaside/period")
    page = ben.page("/pools/seaside/ledger")
    found = re.search(r"<figure>(<svg .*?</svg>)</figure>", page, re.DOTALL)
    assert found is not None
    chart = ElementTree.fromstring(found.group(1))
    assert chart.tag == f"{SVG}svg"
    assert chart.get("role") == "img"
    assert chart.get("aria-label") == "My balance over the periods"
    assert chart.findtext(f"{SVG}title") == "My balance over the periods"
    points = chart.findall(f".//{SVG}circle")
    assert len(points) == 2  # one per settled period
    said = chart.findtext(f"{SVG}desc") or ""
    assert said.startswith("my balance: period 1: -1.5, period 2: ")
    assert points[0].findtext(f"{SVG}title") == "my balance, period 1: -1.5"
    assert "Task weights over the periods" in text_of(page)


def test_the_ledger_before_any_settlement(people: People) -> None:
    said = people["ben"].text("/pools/seaside/ledger")
    assert "No settled period yet." in said
    assert "Nothing posted to your account yet." in said
    assert "Sum 0" in said


def test_the_csv_download_agrees_with_the_balances(settled: People) -> None:
    ben = settled["ben"]
    answer = ben.get("/pools/seaside/ledger.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="seaside.csv"'
    sums: dict[str, Decimal] = defaultdict(Decimal)
    by_transaction: dict[str, Decimal] = defaultdict(Decimal)
    for line in csv.DictReader(io.StringIO(answer.text)):
        sums[line["account"]] += Decimal(line["amount"])
        by_transaction[line["transaction"]] += Decimal(line["amount"])
    assert set(by_transaction.values()) == {Decimal(0)}, "every transaction sums to zero"
    shown = balances_on_the_page(ben.page("/pools/seaside/ledger"))
    assert {
        "participant:ana": shown["ana"], "participant:ben": shown["ben"],
        "pool": shown["the pool"],
    } == sums


def test_the_beancount_download_agrees_with_the_balances(settled: People) -> None:
    ben = settled["ben"]
    answer = ben.get("/pools/seaside/ledger.beancount")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="seaside.beancount"'
    text = answer.text
    opened = dict(re.findall(r'open (\S+) WH\n  account: "([^"]+)"', text))
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for account, amount in re.findall(r"^  ([A-Z]\S+)  (-?[\d.]+) WH$", text, re.MULTILINE):
        sums[opened[account]] += Decimal(amount)
    shown = balances_on_the_page(ben.page("/pools/seaside/ledger"))
    assert {
        "participant:ana": shown["ana"], "participant:ben": shown["ben"],
        "pool": shown["the pool"],
    } == sums


def test_a_download_in_a_format_there_is_not_is_not_found(people: People) -> None:
    answer = people["ben"].get("/pools/seaside/ledger.xlsx")
    assert answer.status_code == 404
    assert "no download format 'xlsx'" in text_of(answer.text)


@pytest.fixture
def short_of_hands(people: People) -> People:
    """Period 1 cleared with hours nobody covers: ana wished for a guest bed (half an hour of
    laundry) and only ben offered, 1 h in the garden; the stairs (4 h) nobody offered."""
    wish(people["ana"], "good:guest-bed")
    offer(people["ben"], "garden", 1, 1.0)
    clear(people["ana"])
    return people


def test_the_hint_board_shows_the_most_wanted_tasks(short_of_hands: People) -> None:
    page = short_of_hands["ben"].page("/pools/seaside/hints")
    assert "From the plan of period 1." in text_of(page)
    rows = rows_of(page)
    assert ["stairs", "flats", "4", "5"] in rows  # task, project, open hours, weight
    assert ["garden", "flats", "1", "5"] in rows
    assert ["laundry", "flats", "0.5", "5"] in rows
    assert 'type="application/atom+xml" href="/pools/seaside/hints.atom"' in page


def test_the_hint_feed_is_atom_with_an_entry_per_uncovered_task(short_of_hands: People
                                                                 ) -> None:
    answer = short_of_hands["ben"].get("/pools/seaside/hints.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(answer.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Hint board of seaside"
    assert feed.findtext(f"{ATOM}id") == "http://127.0.0.1:8000/pools/seaside/hints"
    entries = feed.findall(f"{ATOM}entry")
    uncovered = {
        (e.findtext(f"{ATOM}id") or "").rsplit("/uncovered/", 1)[1]: e.findtext(f"{ATOM}title")
        for e in entries if "/uncovered/" in (e.findtext(f"{ATOM}id") or "")
    }
    assert uncovered == {
        "stairs": "4 open hours of stairs",
        "garden": "1 open hour of garden",
        "laundry": "0.5 open hours of laundry",
    }
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated") == feed.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link") is not None
        assert entry.findtext(f"{ATOM}summary")
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)


def test_the_hint_feed_before_any_clearing_has_no_entries(people: People) -> None:
    answer = people["ben"].get("/pools/seaside/hints.atom")
    feed = ElementTree.fromstring(answer.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findall(f"{ATOM}entry") == []
    assert "Nothing yet: the hint board fills once a period is cleared." in people["ben"].text(
        "/pools/seaside/hints")


def test_the_hint_feed_speaks_the_reader_s_language(short_of_hands: People) -> None:
    answer = short_of_hands["ben"].get("/pools/seaside/hints.atom",
                                       **{"Accept-Language": "de"})
    assert answer.headers["Content-Language"] == "de"
    ElementTree.fromstring(answer.content)


def test_the_hint_board_and_its_feed_name_tasks_as_people_read_them(short_of_hands: People
                                                                    ) -> None:
    short_of_hands["ana"].submit("/pools/seaside/tasks/stairs/names",
                                 {"name": "Treppenhaus <putzen>", "version": "1"},
                                 form_on="/pools/seaside/projects")
    short_of_hands["ana"].submit("/pools/seaside/settings", {
        "admission": "approval", "max_weight": "5", "display_name": "Häuser am Meer",
        "communal_validation": "on", "version": "1"}, form_on="/pools/seaside/projects")
    rows = rows_of(short_of_hands["ben"].page("/pools/seaside/hints"))
    assert ["Treppenhaus <putzen>", "flats", "4", "5"] in rows
    feed = ElementTree.fromstring(short_of_hands["ben"].get("/pools/seaside/hints.atom").content)
    assert feed.findtext(f"{ATOM}title") == "Hint board of Häuser am Meer"
    titles = {e.findtext(f"{ATOM}id", "").rsplit("/", 1)[1]: e.findtext(f"{ATOM}title")
              for e in feed.findall(f"{ATOM}entry")}
    assert titles["stairs"] == "4 open hours of Treppenhaus <putzen>"  # the id stays the key
    assert titles["garden"] == "1 open hour of garden"
