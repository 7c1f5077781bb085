"""What `/start` can refuse about a URL at once, without the network, so a bad run never starts.

The SSRF guard refuses IP literals in private, loopback and other internal ranges. Host *names* are
resolved later, when the site is read; but `localhost` and `*.localhost` are this machine by
definition (RFC 6761), whatever DNS says, so they are judged here like 127.0.0.1 and ::1 are.
"""

from __future__ import annotations

from collections.abc import Iterable

from brandtruth.api.errors import Invalid
from brandtruth.errors import BadInputError
from brandtruth.web.guard import SSRFGuard

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_loopback_name(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.endswith(".localhost")


def check_start_url(url: str, allowed_hosts: Iterable[str]) -> None:
    """Raise Invalid (422) for a URL that will certainly be refused; the message names the fix."""
    guard = SSRFGuard(allowed_hosts)
    try:
        target = guard.check_url(url)
    except BadInputError as exc:
        raise Invalid(f"url: {exc.message}") from None
    if target.ip_literal is not None or not is_loopback_name(target.host):
        return
    port = target.port
    admitted = {target.host, f"{target.host}:{port}", "127.0.0.1", f"127.0.0.1:{port}", "::1", f"[::1]:{port}"}
    if admitted & guard.allowed_hosts:
        return
    raise Invalid(
        f"url: refusing to fetch {url[:200]}: {target.host} is this machine (a loopback address); "
        f"list {target.host}:{port} in BRANDTRUTH_ALLOWED_HOSTS to allow it"
    )
