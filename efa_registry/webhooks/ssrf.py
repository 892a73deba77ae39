"""SSRF guard: a webhook target must be a public address, checked when it is registered and
again before every delivery (DNS may change in between).

Unless the operator allows private targets (``EFA_WEBHOOK_ALLOW_PRIVATE``), only https URLs whose
host resolves exclusively to globally routable unicast addresses are accepted. The delivery then
connects to the address that was checked (``Target.address``), so a second DNS answer cannot
swap in a private one (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

import msgspec

from efa_registry.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Prefixes that carry an IPv4 address inside an IPv6 one: judged by the embedded address.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class RefusedTarget(InvalidInput):
    """The URL may not be called (scheme, or an address that is not public)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, field="url")


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """A checked URL; ``address`` is the vetted IP to connect to (None: resolve normally)."""

    url: str
    host: str
    address: str | None = None


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` is not a public unicast address, or None when it is."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        reason = refusal(embedded)
        return f"{reason} via embedded {embedded}" if reason else None
    checks = (("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
              ("link-local", address.is_link_local), ("multicast", address.is_multicast),
              ("reserved", address.is_reserved), ("private", address.is_private),
              ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
              ("not globally routable", not address.is_global))
    return next((name for name, hit in checks if hit), None)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this function to simulate DNS)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


async def check_url(url: str, *, allow_private: bool) -> Target:
    """Vet ``url``; raise RefusedTarget (naming ``url``) when it may not be called."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget("the URL must be http(s)://host/…")
    if parts.username or parts.password:
        raise RefusedTarget("credentials in the URL are not accepted; authenticate by the signature")
    host = parts.hostname
    try:
        port = parts.port if parts.port is not None else (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise RefusedTarget("the port must be a number from 1 to 65535")
    if allow_private:
        return Target(url=url, host=host)
    if parts.scheme != "https":
        raise RefusedTarget("webhook targets must use https")
    try:
        addresses = [ipaddress.ip_address(host)] if _is_ip(host) else [
            ipaddress.ip_address(a.split("%")[0]) for a in await resolve(host, port)]
    except (OSError, ValueError) as exc:
        raise RefusedTarget(f"the host {host} does not resolve") from exc
    if not addresses:
        raise RefusedTarget(f"the host {host} does not resolve")
    for address in addresses:
        reason = refusal(address)
        if reason:
            raise RefusedTarget(f"the host {host} resolves to {address} ({reason}); only public addresses are allowed")
    return Target(url=url, host=host, address=str(addresses[0]))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
