"""Who is calling: the address of the client behind the proxies this deployment trusts.

Every hop that forwards a request (nginx, the dashboard calling the API for a browser)
appends the address it received the request from to ``X-Forwarded-For``. Read from the right,
the first address that is not a trusted proxy (``CAMPUSDESK_TRUSTED_PROXIES``, this machine
by default) is the client: what a client writes into the header itself is left of that, so
it cannot pass for someone else. IPv6 clients are counted by their /64 network, which one
device may rotate its addresses within.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address

from flask import has_request_context, request

HEADER = "X-Forwarded-For"
#: Where werkzeug's ProxyFix keeps the values it replaced.
PROXY_FIX_ORIGINAL = "werkzeug.proxy_fix.orig"

Networks = Iterable[IPv4Network | IPv6Network]


def peer_address(environ: dict) -> str:
    """The address the connection came from, before any ProxyFix rewrote it."""
    original = environ.get(PROXY_FIX_ORIGINAL) or {}
    return original.get("REMOTE_ADDR") or environ.get("REMOTE_ADDR") or ""


def forwarded_chain(environ: dict) -> list[str]:
    """Every address the request passed: ``X-Forwarded-For``'s, then the peer's."""
    header = environ.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in header.split(",") if part.strip()]
    return chain + [peer_address(environ)]


def _trusted(address: str, trusted: Networks) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


def client_key(address: str) -> str:
    """The address a limit counts: an IPv6 client by its /64 network; anything that is not
    an address, cut to 64 characters."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return address[:64]
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(IPv6Network((int(parsed) >> 64 << 64, 64)))


def client_address(environ: dict, trusted: Networks) -> str:
    """The client of the request: the right-most address of the chain that is not a trusted
    proxy, or the first of the chain when every hop is trusted."""
    chain = forwarded_chain(environ)
    for address in reversed(chain):
        if not _trusted(address, trusted):
            return address
    return chain[0]


def forwarding_headers() -> dict[str, str]:
    """For a process calling another on behalf of the request it serves: the
    ``X-Forwarded-For`` that names the request's chain, so the callee sees the client."""
    if not has_request_context():
        return {}
    chain = [address for address in forwarded_chain(request.environ) if address]
    return {HEADER: ", ".join(chain)} if chain else {}
