"""Who the client is: the socket's peer, unless that peer is a proxy the site trusts; then
the right-most address of ``X-Forwarded-For`` that no trusted proxy has."""

from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from peerconomy.http.clients import client_of, parse_trusted_proxies

PROXIES = parse_trusted_proxies("127.0.0.1, 10.0.0.0/8")


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_of("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"


def test_a_header_from_an_untrusted_peer_is_ignored() -> None:
    assert client_of("198.51.100.66", "203.0.113.9", PROXIES) == "198.51.100.66"


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client() -> None:
    """What a client wrote into the header itself (left of the proxy's own entry) is never
    taken: the right-most address no trusted proxy has is."""
    assert client_of("127.0.0.1", "6.6.6.6, 203.0.113.9", PROXIES) == "203.0.113.9"
    assert client_of("127.0.0.1", "203.0.113.9, 10.1.2.3", PROXIES) == "203.0.113.9"
    assert client_of("127.0.0.1", ["6.6.6.6", "203.0.113.9, 10.0.0.7"],
                     PROXIES) == "203.0.113.9"


def test_a_trusted_proxy_without_a_header_is_the_client() -> None:
    assert client_of("127.0.0.1", None, PROXIES) == "127.0.0.1"
    assert client_of("127.0.0.1", " , ", PROXIES) == "127.0.0.1"


def test_ipv6_proxies_are_matched_by_their_own_family() -> None:
    proxies = parse_trusted_proxies("::1")
    assert client_of("::1", "2001:db8::5", proxies) == "2001:db8::5"
    assert client_of("127.0.0.1", "2001:db8::5", proxies) == "127.0.0.1"


@given(st.lists(st.ip_addresses(v=4).map(str), min_size=1, max_size=5),
       st.ip_addresses(v=4).map(str))
def test_an_untrusted_peer_is_always_the_client_whatever_the_header(
    hops: list[str], peer: str
) -> None:
    if ipaddress.ip_address(peer) in ipaddress.ip_network("10.0.0.0/8") or peer == "127.0.0.1":
        return
    assert client_of(peer, ", ".join(hops), PROXIES) == peer
