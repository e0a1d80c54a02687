"""Which addresses outgoing messages may go to: the guard against server-side request
forgery (SSRF).

A chat channel or webhook URL is accepted only if it is ``http`` or ``https`` and every
address its host resolves to is public: never the server itself (loopback), the private
networks around it (RFC 1918, unique local IPv6), link-local (cloud metadata at
169.254.169.254), carrier-grade NAT, multicast, reserved, documentation or unspecified
ranges, nor an IPv6 address that embeds one of those (IPv4-mapped, 6to4, NAT64). An
administrator may open a network on purpose (``allowed``: a reverse proxy on the LAN, a
receiver on 127.0.0.1 in the tests).

The check runs when the URL is saved and again right before each request, whose
connection then goes to the very address that was checked (``Target.addresses``), so a
host that resolves to a public address once and to a private one later (DNS rebinding)
gains nothing. Redirects are never followed (``integrations.transport``).

Pure Python (the standard library only): tested with hypothesis, without Django.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = [
    "BLOCKED_NETWORKS",
    "Address",
    "Network",
    "Refusal",
    "Target",
    "UnsafeURL",
    "check_url",
    "is_allowed",
    "parse_networks",
]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., Sequence[tuple[Any, ...]]]


def _networks(*cidrs: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr) for cidr in cidrs)


# Everything that is not the public internet (IANA special-purpose registries); listed
# here rather than read from ``ipaddress``'s flags, which differ between Python versions
# (3.11 calls multicast and 6to4 addresses "global").
BLOCKED_NETWORKS: tuple[Network, ...] = _networks(
    "0.0.0.0/8",  # "this network", unspecified
    "10.0.0.0/8",  # private
    "100.64.0.0/10",  # carrier-grade NAT (shared address space)
    "127.0.0.0/8",  # loopback
    "169.254.0.0/16",  # link-local (cloud metadata)
    "172.16.0.0/12",  # private
    "192.0.0.0/24",  # IETF protocol assignments
    "192.0.2.0/24",  # documentation
    "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
    "192.168.0.0/16",  # private
    "198.18.0.0/15",  # benchmarking
    "198.51.100.0/24",  # documentation
    "203.0.113.0/24",  # documentation
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, and the broadcast address
    "::/8",  # unspecified, loopback, IPv4-compatible and other reserved
    "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
    "100::/64",  # discard-only
    "2001::/23",  # IETF protocol assignments (Teredo, benchmarking, ORCHID)
    "2001:db8::/32",  # documentation
    "3fff::/20",  # documentation
    "5f00::/16",  # segment routing SIDs
    "fc00::/7",  # unique local (private)
    "fe80::/10",  # link-local
    "fec0::/10",  # site-local (deprecated)
    "ff00::/8",  # multicast
)

# IPv6 prefixes that carry an IPv4 address: checked as that IPv4 address as well.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


_PRINTABLE_ASCII = "".join(chr(code) for code in range(33, 127))


class Refusal(StrEnum):
    """Why a URL was refused; the caller turns it into a message for people."""

    SCHEME = "scheme"  # not http or https
    MALFORMED = "malformed"  # no host, a bad port, characters a URL may not hold
    CREDENTIALS = "credentials"  # user:password@ in the URL
    UNRESOLVED = "unresolved"  # the host has no address
    PRIVATE = "private"  # an address that is not public and not allowed


class UnsafeURL(ValueError):
    """A URL outgoing messages may not go to; ``reason`` says why, ``address`` names
    the refused address (``PRIVATE``) and ``host`` the host."""

    def __init__(self, reason: Refusal, *, host: str = "", address: str = "") -> None:
        super().__init__(f"{reason}: {address or host}")
        self.reason = reason
        self.host = host
        self.address = address


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``addresses``, every one allowed, in the
    resolver's order) and what to ask for there."""

    scheme: str
    host: str  # as sent in the Host header and for TLS (IDNA, no brackets)
    port: int
    path: str  # path and query, at least "/"
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """CIDRs (``127.0.0.1/32``, ``10.1.0.0/16``, ``fd00::/8``) as networks; a bare
    address is its own /32 or /128. Raises ``ValueError`` naming a bad entry."""
    networks = []
    for value in values:
        text = value.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as error:
            raise ValueError(f"Not a network: {text!r}") from error
    return tuple(networks)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _in_any(address: Address, networks: Iterable[Network]) -> bool:
    return any(
        address.version == network.version and address in network
        for network in networks
    )


def is_allowed(address: Address | str, allowed: Iterable[Network] = ()) -> bool:
    """Whether messages may go to ``address``: a public address, or one inside a
    network the administrator allowed. An IPv6 address that embeds an IPv4 address is
    judged as both: both must pass (an IPv4-mapped address only as its IPv4 form)."""
    if isinstance(address, str):
        address = ipaddress.ip_address(address.split("%", 1)[0])
    allowed = tuple(allowed)
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if address.ipv4_mapped is not None:
            return is_allowed(address.ipv4_mapped, allowed) or _in_any(address, allowed)
        if embedded is not None and not is_allowed(embedded, allowed):
            return _in_any(address, allowed)
    if _in_any(address, allowed):
        return True
    return not _in_any(address, BLOCKED_NETWORKS)


def _split(url: str) -> tuple[str, str, int, str]:
    """Scheme, host (IDNA, no brackets), port and path of an http(s) URL."""
    if not isinstance(url, str) or any(ord(c) < 33 or c == "\\" for c in url):
        raise UnsafeURL(Refusal.MALFORMED)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeURL(Refusal.MALFORMED) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL(Refusal.SCHEME)
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL(Refusal.CREDENTIALS, host=parts.hostname or "")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL(Refusal.MALFORMED)
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise UnsafeURL(Refusal.MALFORMED, host=host) from error
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    # Only ASCII goes on the request line: other characters are percent-encoded.
    path = quote(path, safe=_PRINTABLE_ASCII)
    return scheme, host, port or (443 if scheme == "https" else 80), path


def check_url(
    url: str,
    *,
    allowed: Iterable[Network] = (),
    resolve: Resolver = socket.getaddrinfo,
) -> Target:
    """The URL, checked: raises ``UnsafeURL`` unless it is http(s) and every address
    its host resolves to (now, with ``resolve``) is allowed (``is_allowed``).

    A host that is an IP address is checked as it is (no look-up beyond parsing it
    the way the system does: ``http://2130706433/`` is 127.0.0.1 and is refused)."""
    scheme, host, port, path = _split(url)
    allowed = tuple(allowed)
    try:
        infos = resolve(host, port, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeURL(Refusal.UNRESOLVED, host=host) from error
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]
        try:
            address = ipaddress.ip_address(text)
        except ValueError as error:
            raise UnsafeURL(Refusal.UNRESOLVED, host=host) from error
        if not is_allowed(address, allowed):
            raise UnsafeURL(Refusal.PRIVATE, host=host, address=str(address))
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        raise UnsafeURL(Refusal.UNRESOLVED, host=host)
    return Target(scheme, host, port, path, tuple(addresses))
