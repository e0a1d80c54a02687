"""The guard against server-side request forgery (SSRF) for chat channels and webhooks.

A URL an administrator or a project manager types must not turn the server into a way
into its own network: only ``http`` and ``https``, and every address the host resolves
to must be public. Loopback, private, link-local, carrier-grade NAT (100.64.0.0/10),
multicast, reserved and unspecified addresses are refused, and so are IPv4 addresses
wrapped in IPv6 (``::ffff:10.0.0.1``, 6to4, NAT64) whose inner address is one of those.
An administrator may allow networks (``INTEGRATIONS_ALLOWED_NETWORKS``, CIDRs): an
address inside one of them is allowed whatever its kind.

The check runs when the URL is saved and again right before each connection, on the
addresses the connection then uses (``resolve_checked``), so a host that later resolves
elsewhere (DNS rebinding) is refused too.

``check_address`` and ``check_url_shape`` are pure; ``check_url`` resolves the host.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Refused",
    "allowed_networks",
    "check_address",
    "check_url",
    "check_url_shape",
    "resolve_checked",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IPv6 prefixes that carry an IPv4 address: NAT64 (RFC 6052) and 6to4 (RFC 3056).
NAT64 = ipaddress.ip_network("64:ff9b::/96")
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


class Refused(ValueError):
    """A URL or an address the server will not connect to; ``message`` says why, in
    the active language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def allowed_networks(values: Iterable[str] | None = None) -> list[IPNetwork]:
    """The networks an administrator allows (``INTEGRATIONS_ALLOWED_NETWORKS``)."""
    if values is None:
        values = getattr(settings, "INTEGRATIONS_ALLOWED_NETWORKS", [])
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values]


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    # Deprecated IPv4-compatible addresses (::a.b.c.d).
    if int(address) >> 32 == 0 and int(address) > 1:
        return ipaddress.IPv4Address(int(address))
    return None


def _not_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            # ::ffff:a.b.c.d is the IPv4 address itself, to a dual-stack socket.
            return _not_public(address.ipv4_mapped)
        inner = _embedded_ipv4(address)
        if inner is not None and _not_public(inner):
            return True
        if address.is_site_local:
            return True
    elif address in CGNAT:
        return True
    return bool(
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def check_address(
    address: str | IPAddress, allowed: Sequence[IPNetwork] = ()
) -> IPAddress:
    """The address, if the server may connect to it; else ``Refused``.

    An address inside an allowed network is always allowed (also an IPv4 address
    wrapped in IPv6 whose inner address is)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        candidates.append(ip.ipv4_mapped)
    for network in allowed:
        if any(c.version == network.version and c in network for c in candidates):
            return ip
    if _not_public(ip):
        raise Refused(
            _(
                "The address %(address)s is not public (loopback, private, link-local "
                "or reserved); an administrator can allow its network."
            )
            % {"address": ip}
        )
    return ip


def check_url_shape(url: str) -> tuple[str, str, int]:
    """The scheme, host and port of an http(s) URL; ``Refused`` for anything else
    (another scheme, no host, credentials in the URL, a bad port)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Refused(_("This is not a valid URL.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(_("Only http:// and https:// addresses are allowed."))
    host = parts.hostname or ""
    if not host:
        raise Refused(_("The URL has no host."))
    if parts.username or parts.password:
        raise Refused(_("The URL must not contain a user name or password."))
    return scheme, host, port or (443 if scheme == "https" else 80)


Resolver = Callable[[str, int], list[str]]


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(
            _("The host %(host)s could not be found.") % {"host": host}
        ) from error
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def resolve_checked(
    host: str,
    port: int,
    *,
    allowed: Sequence[IPNetwork] | None = None,
    resolver: Resolver | None = None,
) -> list[IPAddress]:
    """Every address ``host`` resolves to, each checked; ``Refused`` if any is not
    allowed (a host with one public and one private address is refused)."""
    networks = allowed_networks() if allowed is None else allowed
    try:
        literal: IPAddress | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    addresses = [str(literal)] if literal else (resolver or _resolve)(host, port)
    if not addresses:
        raise Refused(_("The host %(host)s could not be found.") % {"host": host})
    return [check_address(address, networks) for address in addresses]


def check_url(
    url: str,
    *,
    allowed: Sequence[IPNetwork] | None = None,
    resolver: Resolver | None = None,
) -> str:
    """The URL, if the server may post to it now; else ``Refused`` with the reason."""
    _scheme, host, port = check_url_shape(url)
    resolve_checked(host, port, allowed=allowed, resolver=resolver)
    return url.strip()
