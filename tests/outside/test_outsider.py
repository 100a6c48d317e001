from __future__ import annotations

from outsider import POOL, Site


def test_setup(site: Site) -> None:
    with site.api("coord") as c:
        r = c.get(f"/api/v1/pools/{POOL}")
        print(r.status_code, r.text)
        print(c.get(f"/api/v1/pools/{POOL}/members").text)
