"""The SSRF guard: only http(s), only public addresses unless an administrator allows
the network; property-tested over the address space."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.integrations import ssrf

NOT_PUBLIC_V4 = [
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "0.0.0.0/8",
    "192.0.2.0/24",
]
NOT_PUBLIC_V6 = ["::1/128", "fe80::/10", "fc00::/7", "ff00::/8", "::/128"]


def _in(network):
    net = ipaddress.ip_network(network)
    return st.integers(int(net.network_address), int(net.broadcast_address)).map(
        lambda n: (
            ipaddress.ip_address(n) if net.version == 4 else ipaddress.IPv6Address(n)
        )
    )


non_public_v4 = st.one_of(*[_in(n) for n in NOT_PUBLIC_V4])
non_public_v6 = st.one_of(*[_in(n) for n in NOT_PUBLIC_V6])


@given(non_public_v4)
def test_no_private_ipv4_address_passes(address):
    with pytest.raises(ssrf.Refused):
        ssrf.check_address(address)


@given(non_public_v4)
def test_nor_wrapped_in_ipv6(address):
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    nat64 = ipaddress.IPv6Address(
        int(ipaddress.IPv6Address("64:ff9b::")) + int(address)
    )
    for wrapped in (mapped, nat64):
        with pytest.raises(ssrf.Refused):
            ssrf.check_address(wrapped)


@given(non_public_v6)
def test_no_private_ipv6_address_passes(address):
    with pytest.raises(ssrf.Refused):
        ssrf.check_address(address)


@given(st.ip_addresses(v=4))
def test_an_ipv4_address_passes_only_when_global(address):
    refused = any(address in ipaddress.ip_network(n) for n in NOT_PUBLIC_V4) or (
        not address.is_global
    )
    try:
        ssrf.check_address(address)
    except ssrf.Refused:
        assert refused or address.is_multicast
    else:
        assert not refused
        assert address.is_global
        assert not address.is_multicast


@given(st.ip_addresses(v=4), st.ip_addresses(v=4))
def test_an_allowed_network_lets_its_addresses_through(address, other):
    network = ipaddress.ip_network(f"{address}/24", strict=False)
    allowed = [network]
    assert ssrf.check_address(address, allowed) == address
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    assert ssrf.check_address(mapped, allowed) == mapped
    if other not in network:
        try:
            ssrf.check_address(other, allowed)
        except ssrf.Refused:
            assert not other.is_global or other.is_multicast or other in ssrf.CGNAT


@given(st.sampled_from(["ftp", "file", "gopher", "javascript", "data", "ws"]))
def test_only_http_and_https(scheme):
    with pytest.raises(ssrf.Refused, match="http"):
        ssrf.check_url_shape(f"{scheme}://example.com/x")


@pytest.mark.parametrize(
    "url",
    [
        "http://",
        "https://user:pw@example.com/",
        "http://example.com:99999/",
        "nonsense",
    ],
)
def test_malformed_urls_are_refused(url):
    with pytest.raises(ssrf.Refused):
        ssrf.check_url_shape(url)


def test_every_address_of_the_host_must_be_public(settings):
    settings.INTEGRATIONS_ALLOWED_NETWORKS = []

    def resolver(host, port):
        return ["93.184.216.34", "10.0.0.5"]

    with pytest.raises(ssrf.Refused, match="10.0.0.5"):
        ssrf.check_url("https://rebind.example/", resolver=resolver)
    assert ssrf.check_url(
        "https://ok.example/", resolver=lambda host, port: ["93.184.216.34"]
    )


def test_literal_and_localhost_are_refused_by_default(settings):
    settings.INTEGRATIONS_ALLOWED_NETWORKS = []
    for url in [
        "http://127.0.0.1:8000/",
        "http://[::1]/",
        "http://localhost/",
        "http://169.254.169.254/latest/",
    ]:
        with pytest.raises(ssrf.Refused):
            ssrf.check_url(url)


def test_the_setting_allows_a_network(settings):
    settings.INTEGRATIONS_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    assert ssrf.check_url("http://127.0.0.1:9/") == "http://127.0.0.1:9/"
    with pytest.raises(ssrf.Refused):
        ssrf.check_url("http://127.0.0.2:9/")
