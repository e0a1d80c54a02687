"""integrations.addresses: the SSRF guard (pure Python, property-tested)."""

import ipaddress
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.integrations.addresses import (
    BLOCKED_NETWORKS,
    Refusal,
    UnsafeURL,
    check_url,
    is_allowed,
    parse_networks,
)

# Networks an outgoing message must never reach by default, by what they are.
NOT_PUBLIC = [
    "127.0.0.0/8",  # loopback
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",  # private
    "169.254.0.0/16",  # link-local, cloud metadata
    "100.64.0.0/10",  # carrier-grade NAT
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved
    "0.0.0.0/8",  # unspecified
    "::1/128",
    "::/128",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
]
# Networks of the public internet (a public DNS resolver's, a CDN's).
PUBLIC = ["8.8.8.0/24", "1.1.1.0/24", "93.184.0.0/16", "2606:4700::/32"]


def addresses_in(cidr):
    network = ipaddress.ip_network(cidr)
    return st.integers(
        min_value=int(network.network_address),
        max_value=int(network.broadcast_address),
    ).map(
        lambda n: (
            ipaddress.ip_address(n)
            if network.version == 4
            else ipaddress.IPv6Address(n)
        )
    )


not_public = st.one_of(*(addresses_in(cidr) for cidr in NOT_PUBLIC))
public = st.one_of(*(addresses_in(cidr) for cidr in PUBLIC))
public_v4 = st.one_of(*(addresses_in(cidr) for cidr in PUBLIC if ":" not in cidr))
not_public_v4 = st.one_of(
    *(addresses_in(cidr) for cidr in NOT_PUBLIC if ":" not in cidr)
)


def mapped(v4):
    return ipaddress.IPv6Address(f"::ffff:{v4}")


@given(not_public)
def test_no_private_local_or_special_address_is_allowed(address):
    assert not is_allowed(address)


@given(public)
def test_public_addresses_are_allowed(address):
    assert is_allowed(address)


@given(st.one_of(public_v4, not_public_v4))
def test_an_ipv4_mapped_ipv6_address_is_judged_as_its_ipv4_address(address):
    assert is_allowed(mapped(address)) == is_allowed(address)


@given(not_public_v4)
def test_6to4_and_nat64_addresses_of_a_private_ipv4_address_are_refused(address):
    six_to_four = ipaddress.IPv6Address((0x2002 << 112) | (int(address) << 80))
    nat64 = ipaddress.IPv6Address(
        int(ipaddress.IPv6Address("64:ff9b::")) | int(address)
    )
    assert six_to_four.sixtofour == address
    assert not is_allowed(six_to_four)
    assert not is_allowed(nat64)


@given(not_public, st.integers(min_value=0, max_value=32))
def test_an_allowed_network_opens_exactly_its_addresses(address, extra):
    # given the network around the address, as an administrator allowed it
    prefix = max(0, address.max_prefixlen - extra)
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)

    # then the address is allowed, and it stays refused without the setting
    assert is_allowed(address, [network])
    assert not is_allowed(address)


@given(not_public_v4)
def test_allowing_an_ipv4_address_allows_its_mapped_form(address):
    network = ipaddress.ip_network(f"{address}/32")
    assert is_allowed(mapped(address), [network])


@given(public)
def test_a_url_with_a_public_address_is_accepted_and_pinned_to_it(address):
    host = f"[{address}]" if address.version == 6 else str(address)
    target = check_url(f"https://{host}/robot/send?access_token=abc")
    assert target.addresses == (str(address),)
    assert target.path == "/robot/send?access_token=abc"
    assert target.port == 443


@given(not_public)
def test_a_url_with_a_private_address_is_refused(address):
    host = f"[{address}]" if address.version == 6 else str(address)
    with pytest.raises(UnsafeURL) as refused:
        check_url(f"http://{host}:8080/hook")
    assert refused.value.reason == Refusal.PRIVATE
    assert refused.value.address == str(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/hook",  # resolves to loopback
        "http://2130706433/hook",  # 127.0.0.1 as one number
        "http://0x7f.1/hook",  # 127.0.0.1 in hex
        "http://[::ffff:127.0.0.1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0:8000/",
    ],
)
def test_tricky_spellings_of_local_addresses_are_refused(url):
    with pytest.raises(UnsafeURL) as refused:
        check_url(url)
    assert refused.value.reason == Refusal.PRIVATE


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://93.184.215.14/file", Refusal.SCHEME),
        ("file:///etc/passwd", Refusal.SCHEME),
        ("gopher://93.184.215.14/", Refusal.SCHEME),
        ("javascript:alert(1)", Refusal.SCHEME),
        ("https:///no-host", Refusal.MALFORMED),
        ("https://93.184.215.14:99999/", Refusal.MALFORMED),
        ("https://93.184.215.14/a b", Refusal.MALFORMED),
        ("https://user:pw@93.184.215.14/", Refusal.CREDENTIALS),
        ("https://no-such-host.invalid/", Refusal.UNRESOLVED),
    ],
)
def test_urls_that_are_not_plain_http_are_refused_with_their_reason(url, reason):
    with pytest.raises(UnsafeURL) as refused:
        check_url(url)
    assert refused.value.reason == reason


def test_every_address_of_the_host_must_be_allowed():
    # given a host that resolves to a public and a private address
    def resolve(host, port, family, kind):
        return [
            (2, 1, 6, "", ("93.184.215.14", port)),
            (2, 1, 6, "", ("10.0.0.7", port)),
        ]

    # then the URL is refused for the private one
    with pytest.raises(UnsafeURL) as refused:
        check_url("https://hooks.example.com/x", resolve=resolve)
    assert refused.value.address == "10.0.0.7"


def test_the_loopback_receiver_of_the_tests_is_reached_only_when_allowed():
    allowed = parse_networks(["127.0.0.1/32"])
    target = check_url("http://127.0.0.1:8123/hook", allowed=allowed)
    assert target.addresses == ("127.0.0.1",)
    assert target.host_header == "127.0.0.1:8123"
    with pytest.raises(UnsafeURL):
        check_url("http://127.0.0.2:8123/hook", allowed=allowed)


def test_networks_are_parsed_from_the_setting():
    assert parse_networks(["127.0.0.1", " 10.1.0.0/16 ", "", "fd00::/8"]) == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.1.0.0/16"),
        ipaddress.ip_network("fd00::/8"),
    )
    with pytest.raises(ValueError, match="Not a network"):
        parse_networks(["10.0.0.0/33"])


def test_non_ascii_paths_are_percent_encoded():
    target = check_url("https://93.184.215.14/钩子?名=值")
    assert target.path.isascii()
    assert target.path.startswith("/%E9%92%A9")


def test_the_blocked_list_holds_no_public_network():
    for network in BLOCKED_NETWORKS:
        for cidr in PUBLIC:
            assert not network.overlaps(ipaddress.ip_network(cidr)) or (
                network.version != ipaddress.ip_network(cidr).version
            )


@pytest.mark.parametrize(
    "module",
    ["clientfolio.integrations.addresses", "clientfolio.integrations.transport"],
)
def test_the_guard_and_the_transport_load_no_django(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
