"""The SSRF guard's address rules, including odd IPv4 spellings."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandtruth.errors import BlockedAddressError, InvalidURLError
from brandtruth.web.guard import SSRFGuard, classify, parse_ipv4_spelling


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("10.0.0.1", "10.0.0.1"),
        ("169.254.169.254", "169.254.169.254"),
    ],
)
def test_ipv4_spellings(spelling: str, expected: str) -> None:
    assert parse_ipv4_spelling(spelling) == ipaddress.IPv4Address(expected)


@pytest.mark.parametrize("host", ["example.com", "1.2.3.4.5", "256.1.1.1", "08.1.1.1", "1..1", "1.2.3.4a"])
def test_non_addresses(host: str) -> None:
    assert parse_ipv4_spelling(host) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://017700000001/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a00:1]/",
    ],
)
def test_blocked_literals(url: str) -> None:
    with pytest.raises(BlockedAddressError) as info:
        SSRFGuard().check_url(url)
    assert "refusing to fetch" in info.value.message


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "gopher://x/", "http://", "example.com"])
def test_invalid_urls(url: str) -> None:
    with pytest.raises(InvalidURLError):
        SSRFGuard().check_url(url)


def test_allow_list_admits_loopback_but_never_metadata() -> None:
    guard = SSRFGuard(["127.0.0.1:8001", "169.254.169.254"])
    guard.check_url("http://127.0.0.1:8001/")
    with pytest.raises(BlockedAddressError):
        guard.check_url("http://127.0.0.1:8002/")
    with pytest.raises(BlockedAddressError) as info:
        guard.check_url("http://169.254.169.254/")
    assert "never fetched" in info.value.message


def test_public_address_passes() -> None:
    assert classify(ipaddress.ip_address("93.184.216.34")) is None
    SSRFGuard().check_url("http://93.184.216.34/")


async def test_resolve_refuses_names_pointing_inside() -> None:
    with pytest.raises(BlockedAddressError) as info:
        await SSRFGuard().resolve("localhost", 80)
    assert "loopback" in info.value.message
    assert await SSRFGuard(["localhost:80"]).resolve("localhost", 80)


_PRIVATE_NETS = [
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "127.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12", "169.254.0.0/16", "100.64.0.0/10")
]


@given(
    st.sampled_from(_PRIVATE_NETS),
    st.integers(min_value=0, max_value=2**24 - 1),
    st.sampled_from(["dec", "hex", "oct", "int"]),
)
def test_any_spelling_of_a_private_address_is_blocked(net: ipaddress.IPv4Network, offset: int, style: str) -> None:
    ip = net.network_address + (offset % net.num_addresses)
    octets = [int(o) for o in str(ip).split(".")]
    if style == "dec":
        host = str(ip)
    elif style == "hex":
        host = ".".join(hex(o) for o in octets)
    elif style == "oct":
        host = ".".join("0" + format(o, "o") for o in octets)
    else:
        host = str(int(ip))
    with pytest.raises(BlockedAddressError):
        SSRFGuard().check_url(f"http://{host}/")


@pytest.mark.parametrize(
    ("url", "purpose"),
    [
        ("http://255.255.255.255/", "broadcast"),
        ("http://198.18.0.1/", "benchmarking"),
        ("http://198.19.255.254/", "benchmarking"),
        ("http://[2001:db8::1]/", "documentation"),
        ("http://192.0.2.10/", "documentation"),
        ("http://[::ffff:198.18.0.1]/", "benchmarking"),
    ],
)
def test_reserved_ranges_are_never_admitted_even_when_listed(url: str, purpose: str) -> None:
    host = url.split("//", 1)[1].rstrip("/")
    bare = host.strip("[]")
    guard = SSRFGuard([host, bare, f"{host}:80", f"{bare}:80"])
    with pytest.raises(BlockedAddressError) as info:
        guard.check_url(url)
    assert "reserved" in info.value.message and purpose in info.value.message
    assert "never fetched" in info.value.message


def test_rfc1918_addresses_stay_allow_listable() -> None:
    for host in ("10.1.2.3", "172.16.0.9", "192.168.1.1"):
        SSRFGuard([host]).check_url(f"http://{host}/")
