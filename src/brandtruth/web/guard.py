"""The SSRF guard: which URLs and network addresses BrandTruth may connect to.

A brand URL comes from a user, and every link, redirect and image on that site comes from whoever
runs it. Without a guard, `http://169.254.169.254/` (cloud metadata), `http://localhost:6379/` or a
redirect to `http://10.0.0.5/admin` would make the worker fetch internal resources for an attacker.

Rules (all enforced at connect time by `GuardedNetworkBackend`, so they hold for the first request,
every redirect hop, every image and every pooled connection alike):

* only `http` and `https` URLs, with a host;
* the host is resolved (asynchronously) and *every* address it resolves to must be globally
  routable. Refused: loopback, RFC 1918 private, link-local (incl. `169.254.169.254`), CGNAT
  `100.64.0.0/10`, multicast, unspecified, reserved ranges (documentation incl. `2001:db8::/32`,
  benchmarking `198.18.0.0/15`, broadcast `255.255.255.255`), IPv6 ULA `fc00::/7`,
  and IPv6 forms that embed an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64, 6to4, Teredo)
  are judged by the embedded IPv4 address;
* IPv4 literals in any spelling the C resolver accepts (`2130706433`, `0x7f.1`, `0177.0.0.1`,
  `127.1`) are normalised before the check, so an odd spelling cannot sneak past it;
* loopback, private and CGNAT addresses are admitted only when the URL's host, `host:port`, or the
  resolved `ip:port` is listed in `Settings.allowed_hosts` (env `BRANDTRUTH_ALLOWED_HOSTS`) — the
  sample site and test fixture servers are reached that way. Link-local, multicast, unspecified
  and reserved addresses are never admitted;
* the connection is made to the address that was checked (no second DNS lookup an attacker could
  rebind), and the peer address of the connected socket is checked once more.

Every refusal is a `BlockedAddressError` (non-retryable) whose message says what was refused and why;
a malformed URL is an `InvalidURLError`; a name that does not resolve is a `FetchRejectedError`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from brandtruth.errors import BlockedAddressError, FetchRejectedError, InvalidURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Shared address space (RFC 6598) is not flagged by `is_private` on every Python version.
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# "Private" in the allow-listable sense: networks an operator may really run a site on (RFC 1918).
# Python's `is_private` also covers documentation, benchmarking and broadcast ranges; those are
# reserved here, so no allow-list entry can open them.
_RFC1918 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
_SPECIAL_PURPOSE: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(net), purpose)
    for net, purpose in (
        ("255.255.255.255/32", "limited broadcast"),
        ("198.18.0.0/15", "benchmarking"),
        ("192.0.2.0/24", "documentation"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("100::/64", "discard-only"),
    )
)


@dataclass(frozen=True)
class Target:
    """A syntactically acceptable URL, reduced to what the guard decides on."""

    url: str
    scheme: str
    host: str
    port: int
    ip_literal: IPAddress | None


def parse_ipv4_spelling(host: str) -> ipaddress.IPv4Address | None:
    """Read `host` as an IPv4 address the way `inet_aton` does, or return None.

    Accepts 1 to 4 dot-separated parts, each decimal, `0x` hex or `0`-prefixed octal; the last part
    fills the remaining bytes (so `127.1` is 127.0.0.1 and `2130706433` is 127.0.0.1). Browsers
    and the C resolver both accept these spellings, so the guard must treat them as addresses.
    """
    text = host.rstrip(".")
    if not text:
        return None
    parts = text.split(".")
    if len(parts) > 4:
        return None
    values: list[int] = []
    for part in parts:
        if not part:
            return None
        try:
            if part[:2].lower() == "0x":
                value = int(part[2:], 16) if len(part) > 2 else 0
            elif len(part) > 1 and part[0] == "0":
                value = int(part[1:], 8)
            elif part.isdigit():
                value = int(part, 10)
            else:
                return None
        except ValueError:
            return None
        values.append(value)
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for v in head:
        number = (number << 8) | v
    number = (number << (8 * (4 - len(head)))) | last
    return ipaddress.IPv4Address(number)


def parse_ip_literal(host: str) -> IPAddress | None:
    """An IP address written as the host (any IPv4 spelling, or IPv6 with or without brackets)."""
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if ":" in bare:
        try:
            return ipaddress.IPv6Address(bare.split("%", 1)[0])
        except ValueError:
            return None
    return parse_ipv4_spelling(bare)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4, Teredo)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    packed = ip.packed
    if packed[:12] == bytes(12) and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(packed[12:])
    return None


def classify(ip: IPAddress) -> str | None:
    """Why `ip` is not globally routable (e.g. "loopback"), or None if it is public.

    IPv6 addresses that embed an IPv4 address are judged by that address, since that is where a
    packet would end up.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = classify(inner)
            return f"{reason} (embedded in IPv6 {ip})" if reason else None
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata lives here)"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "carrier-grade NAT (shared address space)"
    if isinstance(ip, ipaddress.IPv6Address) and ip in ipaddress.ip_network("fc00::/7"):
        return "IPv6 unique local"
    for net, purpose in _SPECIAL_PURPOSE:
        if ip.version == net.version and ip in net:
            return f"reserved ({purpose})"
    if isinstance(ip, ipaddress.IPv4Address) and any(ip in net for net in _RFC1918):
        return "private"
    if ip.is_reserved or ip.is_private:
        return "reserved"
    if not ip.is_global:
        return "not globally routable"
    return None


# Reasons that an allow-list entry may override; the others are never reachable.
_OVERRIDABLE = ("loopback", "private", "carrier-grade NAT", "IPv6 unique local")


def is_overridable(reason: str) -> bool:
    return reason.startswith(_OVERRIDABLE)


class SSRFGuard:
    """Decides whether a URL, and each address its host resolves to, may be connected to."""

    def __init__(self, allowed_hosts: Iterable[str] = ()) -> None:
        self.allowed_hosts = frozenset(h.strip().lower() for h in allowed_hosts if h.strip())

    def check_url(self, url: str | httpx.URL) -> Target:
        """Check the URL's syntax and scheme (no network). Raises InvalidURLError or BlockedAddressError."""
        text = str(url)
        try:
            parsed = httpx.URL(text)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            # httpx rejects some spellings browsers accept (e.g. "012.00.00.00"); if the host is an
            # internal address in disguise, say so rather than just "invalid".
            host = (urlsplit(text).hostname or "") if "://" in text else ""
            literal = parse_ip_literal(host) if host else None
            reason = classify(literal) if literal is not None else None
            if literal is not None and reason:
                raise self._blocked(text, host, literal, reason) from exc
            raise InvalidURLError(f"not a valid URL: {text[:200]!r} ({exc})") from exc
        scheme = parsed.scheme.lower()
        if scheme not in _ALLOWED_SCHEMES:
            raise InvalidURLError(
                f"only http and https URLs can be fetched, not {scheme or 'a URL without a scheme'}: {text[:200]!r}"
            )
        host = parsed.host.lower()
        if not host:
            raise InvalidURLError(f"the URL has no host: {text[:200]!r}")
        if parsed.userinfo:
            raise InvalidURLError(f"URLs with credentials are not fetched: {parsed.copy_with(userinfo=b'')}")
        port = parsed.port or _DEFAULT_PORTS[scheme]
        literal = parse_ip_literal(host)
        if literal is not None:
            reason = classify(literal)
            if reason and not self._admits(host, port, literal, reason):
                raise self._blocked(text, host, literal, reason)
        return Target(url=text, scheme=scheme, host=host, port=port, ip_literal=literal)

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Resolve `host` and return the addresses that may be connected to (all of them, or raise).

        If *any* address is refused, the whole host is refused: a name that resolves to both a
        public and a private address is a classic way to slip past a guard that checks only one.
        """
        literal = parse_ip_literal(host)
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        else:
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(
                    host.rstrip("."), port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
                )
            except socket.gaierror as exc:
                raise FetchRejectedError(f"could not resolve the host name {host!r} ({exc.strerror})") from exc
            seen: dict[IPAddress, None] = {}
            for _family, _type, _proto, _canon, sockaddr in infos:
                seen[ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])] = None
            addresses = list(seen)
            if not addresses:
                raise FetchRejectedError(f"the host name {host!r} resolved to no address")
        for ip in addresses:
            self.check_address(host, port, ip)
        return addresses

    def check_address(self, host: str, port: int, ip: IPAddress) -> None:
        """Raise BlockedAddressError unless connecting to `ip` for `host:port` is allowed."""
        reason = classify(ip)
        if reason and not self._admits(host, port, ip, reason):
            raise self._blocked(f"{host}:{port}", host, ip, reason)

    def check_peer(self, host: str, port: int, peer: object, expected: IPAddress) -> None:
        """Check the address the socket actually connected to (as reported by the OS)."""
        try:
            raw = peer[0] if isinstance(peer, tuple) else peer
            ip = ipaddress.ip_address(str(raw).split("%", 1)[0])
        except (ValueError, IndexError) as exc:
            raise BlockedAddressError(f"could not verify the connected address for {host}: {peer!r}") from exc
        if ip != expected:
            raise BlockedAddressError(f"connected to {ip} for {host} but the checked address was {expected}; refusing")
        self.check_address(host, port, ip)

    def _admits(self, host: str, port: int, ip: IPAddress, reason: str) -> bool:
        if not is_overridable(reason):
            return False
        names = {host, f"{host}:{port}", str(ip), f"{ip}:{port}", f"[{ip}]:{port}"}
        return bool(names & self.allowed_hosts)

    @staticmethod
    def _blocked(what: str, host: str, ip: IPAddress, reason: str) -> BlockedAddressError:
        via = "" if host == str(ip) else f" ({host} is {ip})"
        hint = (
            "; list the host in BRANDTRUTH_ALLOWED_HOSTS to allow it"
            if is_overridable(reason)
            else "; this kind of address is never fetched"
        )
        return BlockedAddressError(f"refusing to fetch {what[:200]}: {reason} address{via}{hint}")
