"""Who the client is: the address failed sign-ins and rate limits are counted against.

The socket's peer address is the client, unless that peer is a proxy the site names in
``PEERCONOMY_TRUSTED_PROXIES`` (none by default): then the ``X-Forwarded-For`` header is
read from its right end, skipping the trusted proxies, and the first address no trusted
proxy is is the client. An address a client wrote into the header itself is never believed
unless every hop after it is trusted, so nobody picks their own address by sending the
header (not even a local process: the server never trusts a peer for being local).

>>> trusted = parse_trusted_proxies("10.0.0.0/8")
>>> client_of("10.0.0.2", "198.51.100.7, 203.0.113.9, 10.0.0.5", trusted)
'203.0.113.9'
>>> client_of("127.0.0.1", "203.0.113.9", trusted)
'127.0.0.1'
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

__all__ = ["TrustedProxies", "client_of", "parse_trusted_proxies"]

TrustedProxies = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
"""The networks (single addresses are networks of one) whose forwarded-for header is read."""


def parse_trusted_proxies(text: str, setting: str = "PEERCONOMY_TRUSTED_PROXIES"
                          ) -> TrustedProxies:
    """The proxies named in ``text`` (addresses or networks, separated by commas or
    spaces); ValueError naming ``setting`` and the entry that is neither."""
    found = []
    for entry in text.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{setting} must list IP addresses or networks, got {entry!r}") from None
    return tuple(found)


def _trusted(address: str, trusted: TrustedProxies) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in trusted if network.version == ip.version)


def client_of(peer: str | None, forwarded_for: str | Iterable[str] | None,
              trusted: TrustedProxies) -> str | None:
    """The client's address: ``peer`` (the socket's) unless it is a trusted proxy; then the
    right-most address of the ``X-Forwarded-For`` header(s) that is not a trusted proxy."""
    if peer is None or not trusted or not _trusted(peer, trusted) or not forwarded_for:
        return peer
    headers = [forwarded_for] if isinstance(forwarded_for, str) else list(forwarded_for)
    hops = [hop.strip() for header in headers for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop[:64]
    return hops[0][:64] if hops else peer
