"""The site's icon: ``/favicon.ico``, where browsers look for it unasked, is an ICO (it was
a 404 in every server log), and every page links the same icon as SVG, under the
Content-Security-Policy's ``img-src 'self'``."""

from __future__ import annotations

from xml.etree import ElementTree

from browsing import Browser


def test_the_favicon_is_an_icon(people: dict[str, Browser]) -> None:
    anybody = people["cleo"]
    answer = anybody.get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/x-icon"
    icon = answer.content
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO: reserved 0, type 1 (icon)
    count = int.from_bytes(icon[4:6], "little")
    sizes = {icon[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32} <= sizes, sizes
    assert "Content-Security-Policy" in answer.headers


def test_every_page_links_the_svg_icon(people: dict[str, Browser]) -> None:
    for who, path in (("ben", "/pools/seaside"), ("cleo", "/signin"), ("ana", "/no-page")):
        page = people[who].get(path).text
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page, path
    svg = people["cleo"].get("/static/favicon.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(svg.text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"
    assert "img-src 'self'" in svg.headers["Content-Security-Policy"]
