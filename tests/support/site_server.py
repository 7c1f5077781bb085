"""A loopback static-site server for tests, with per-path fault injection.

Why not `python -m http.server`? Tests of the crawler and extractor need more than files: they need a
page that fails twice before it works (retries), a redirect to a cloud metadata address (SSRF guard),
a response that claims 2 GB (size caps), a page that stalls (timeouts) and a page that lies about its
charset (decoding). All of that is configured per path, either in code or in a `_routes.json` file that
sits inside the fixture site, so a site and its misbehaviour travel together.

Usage::

    with serve_site("saas") as site:                       # tests/fixtures/sites/saas
        httpx.get(site.url("/pricing.html"))
        assert site.hits["/pricing.html"] == 1

    with serve_site(tmp_path, faults={"/": Fault(fail_times=2)}) as site:
        ...                                                # first two GETs of / answer 503

The server binds 127.0.0.1 on an ephemeral port and runs in a daemon thread; leaving the `with`
block shuts it down and wakes any handler that is sleeping in an injected delay.

`_routes.json` maps a path (or an fnmatch pattern such as ``"*.html"``) to the fields of `Fault`::

    {
      "/go-internal.html": {"redirect": "http://10.0.0.1/", "status": 301},
      "/huge.html": {"content_length": 2147483648},
      "*.html": {"content_type": "text/html; charset=windows-1252"}
    }

Exact paths win over patterns; among patterns the longest wins; faults passed in code replace the
file's fault for the same key. `_routes.json` and `expected.json` are never served (404), since a
real site would not expose them either.
"""

from __future__ import annotations

import fnmatch
import json
import mimetypes
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, TypeAlias

__all__ = [
    "SITES_DIR",
    "Fault",
    "Faults",
    "Hits",
    "RecordedRequest",
    "ServedSite",
    "load_routes",
    "resolve_site",
    "sample_site_dir",
    "serve_sample_site",
    "serve_site",
    "wait_until",
]

SITES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
ROUTES_FILE = "_routes.json"
HIDDEN_FILES = frozenset({ROUTES_FILE, "expected.json"})

# Explicit types for what fixture sites contain, so results do not depend on the host's mime.types.
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}


@dataclass(frozen=True)
class Fault:
    """How one path misbehaves. Every field is optional; an empty Fault serves the file normally.

    Order of application: `delay` → `fail_times` → `redirect` → `status` → body shaping
    (`body`, `body_bytes`, `content_length`, `body_delay`) with `content_type` and `headers`.
    """

    status: int | None = None
    """Answer with this status. The file's bytes are still the body when the file exists (a styled
    error page); otherwise a short HTML message. With `redirect`, the redirect status (default 302)."""
    fail_times: int = 0
    """The first N requests to the path answer `fail_status`; request N+1 onwards are served normally."""
    fail_status: int = 503
    redirect: str | None = None
    """Send a redirect to this Location, verbatim (it may be absolute, relative, or a private address)."""
    delay: float = 0.0
    """Seconds to wait before sending anything (a slow server; connect succeeds, the response does not)."""
    body_delay: float = 0.0
    """Seconds to wait after the headers and before the body (a server that stalls mid-response)."""
    content_length: int | None = None
    """Announce this Content-Length, send the real (shorter) body, then close the connection."""
    body_bytes: int | None = None
    """Replace the body with this many filler bytes and send no Content-Length (close-delimited), for
    size caps that cannot rely on the header. Works for paths with no file (served as text/html)."""
    content_type: str | None = None
    """Replace the Content-Type header, e.g. ``"text/html; charset=ISO-8859-1"``."""
    body: str | None = None
    """Serve this text (UTF-8) instead of a file, so a fault can exist for a path with no file."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Extra response headers, e.g. ``{"Retry-After": "1"}``."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, where: str = "") -> Fault:
        """Build from a `_routes.json` entry, rejecting unknown keys so a typo cannot silently no-op."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{where}: unknown fault field(s) {sorted(unknown)}; known: {sorted(known)}")
        kwargs = dict(data)
        if "headers" in kwargs:
            kwargs["headers"] = {str(k): str(v) for k, v in dict(kwargs["headers"]).items()}
        return cls(**kwargs)


Faults: TypeAlias = Mapping[str, Fault]
"""Path (``"/pricing.html"``) or fnmatch pattern (``"*.jpg"``) → Fault."""


class Hits:
    """Thread-safe count of requests per URL path (query string excluded; ``/`` is its own key)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, path: str) -> int:
        with self._lock:
            self._counts[path] += 1
            return self._counts[path]

    def __getitem__(self, path: str) -> int:
        with self._lock:
            return self._counts.get(path, 0)

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def __repr__(self) -> str:
        return f"Hits({self.snapshot()!r})"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it, so tests can assert on user agents or conditional headers."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, faults: dict[str, Fault]) -> None:
        self.root = root
        self.faults = faults
        self.faults_lock = threading.Lock()
        self.hits = Hits()
        self.attempts = Hits()  # separate from hits so tests may reset hits without re-arming fail_times
        self.requests: list[RecordedRequest] = []
        self.requests_lock = threading.Lock()
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)

    def fault_for(self, path: str) -> Fault | None:
        with self.faults_lock:
            if path in self.faults:
                return self.faults[path]
            patterns = [k for k in self.faults if any(c in k for c in "*?[") and fnmatch.fnmatchcase(path, k)]
            if not patterns:
                return None
            return self.faults[max(patterns, key=len)]


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.1"
    server_version = "BrandTruthTestSite/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log; tests read `hits`/`requests` instead."""

    def do_GET(self) -> None:
        self._handle(send_body=True)

    def do_HEAD(self) -> None:
        self._handle(send_body=False)

    def _method_not_allowed(self) -> None:
        self._record_and_count()
        self._send_simple(HTTPStatus.METHOD_NOT_ALLOWED, send_body=True, extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = _method_not_allowed

    # ------------------------------------------------------------------ request flow

    def _record_and_count(self) -> str:
        parts = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parts.path) or "/"
        with self.server.requests_lock:
            self.server.requests.append(
                RecordedRequest(self.command, path, parts.query, {k: v for k, v in self.headers.items()})
            )
        self.server.hits.add(path)
        return path

    def _handle(self, *, send_body: bool) -> None:
        path = self._record_and_count()
        fault = self.server.fault_for(path) or Fault()

        if fault.delay and self.server.stopping.wait(fault.delay):
            self.close_connection = True
            return
        if fault.fail_times and self.server.attempts.add(path) <= fault.fail_times:
            self._send_simple(fault.fail_status, send_body=send_body, extra=fault.headers)
            return
        if fault.redirect is not None:
            self._send_simple(
                fault.status or HTTPStatus.FOUND,
                send_body=send_body,
                extra={**fault.headers, "Location": fault.redirect},
            )
            return

        status: int = fault.status or HTTPStatus.OK
        body, content_type = b"", "text/html; charset=utf-8"
        if fault.body is not None:
            body = fault.body.encode("utf-8")
        else:
            found = self._resolve_file(path)
            if isinstance(found, str):  # a directory without its trailing slash
                self._send_simple(HTTPStatus.MOVED_PERMANENTLY, send_body=send_body, extra={"Location": found})
                return
            if found is not None:
                body, content_type = found.read_bytes(), _content_type(found)
            elif fault.body_bytes is None:  # (filler needs no file: it is synthesised below)
                if fault.status is None:
                    self._send_not_found(send_body=send_body)
                else:
                    self._send_simple(status, send_body=send_body, extra=fault.headers)
                return

        if fault.body_bytes is not None:
            body = (b"<!-- filler -->\n" * (fault.body_bytes // 16 + 1))[: fault.body_bytes]
        self._send(
            status,
            body,
            content_type=fault.content_type or content_type,
            send_body=send_body,
            announced_length=fault.content_length,
            close_delimited=fault.body_bytes is not None,
            body_delay=fault.body_delay,
            extra=fault.headers,
        )

    def _resolve_file(self, path: str) -> Path | str | None:
        """Map a URL path to a file inside the root; never outside it (no `..` escapes)."""
        root = self.server.root
        rel = path.lstrip("/")
        if rel in HIDDEN_FILES:
            return None
        candidate = (root / rel).resolve()
        if candidate != root and root not in candidate.parents:
            return None
        if candidate.is_dir():
            if not path.endswith("/"):
                return path + "/"
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    # ------------------------------------------------------------------ writers

    def _send_not_found(self, *, send_body: bool) -> None:
        page = self.server.root / "404.html"
        if page.is_file():
            self._send(HTTPStatus.NOT_FOUND, page.read_bytes(), content_type=_content_type(page), send_body=send_body)
        else:
            self._send_simple(HTTPStatus.NOT_FOUND, send_body=send_body)

    def _send_simple(self, status: int, *, send_body: bool, extra: Mapping[str, str] | None = None) -> None:
        phrase = _phrase(status)
        body = f"<!DOCTYPE html><title>{status} {phrase}</title><h1>{status} {phrase}</h1>\n".encode()
        self._send(status, body, content_type="text/html; charset=utf-8", send_body=send_body, extra=extra)

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        content_type: str,
        send_body: bool,
        announced_length: int | None = None,
        close_delimited: bool = False,
        body_delay: float = 0.0,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if close_delimited:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(announced_length if announced_length is not None else len(body)))
            if announced_length is not None and announced_length != len(body):
                self.send_header("Connection", "close")
                self.close_connection = True
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not send_body:
            return
        if body_delay:
            self.wfile.flush()
            if self.server.stopping.wait(body_delay):
                self.close_connection = True
                return
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. it enforced a size cap); that is the behaviour under test.
            self.close_connection = True


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Status"


# ---------------------------------------------------------------------- public API


class ServedSite:
    """A running site: where it is, what it has been asked, and knobs to change faults mid-test."""

    def __init__(self, server: _SiteServer) -> None:
        self._server = server
        host, port = server.server_address[0], server.server_address[1]
        self.root: Path = server.root
        self.host: str = str(host)
        self.port: int = int(port)
        self.host_port: str = f"{self.host}:{self.port}"
        self.base_url: str = f"http://{self.host_port}"
        self.hits: Hits = server.hits

    def url(self, path: str = "/") -> str:
        """Absolute URL for a path on this site (``site.url("/about.html")``)."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._server.requests_lock:
            return list(self._server.requests)

    def set_fault(self, path: str, fault: Fault | None) -> None:
        """Add, replace (or with None remove) the fault for a path while the server runs."""
        with self._server.faults_lock:
            if fault is None:
                self._server.faults.pop(path, None)
            else:
                self._server.faults[path] = fault

    def __repr__(self) -> str:
        return f"ServedSite({self.base_url!r}, root={str(self.root)!r})"


def resolve_site(path_or_name: str | Path) -> Path:
    """A directory path as given, or a bare name looked up under tests/fixtures/sites/."""
    candidate = Path(path_or_name)
    if not candidate.is_absolute() and len(candidate.parts) == 1 and (SITES_DIR / candidate).is_dir():
        return (SITES_DIR / candidate).resolve()
    if candidate.is_dir():
        return candidate.resolve()
    available = sorted(p.name for p in SITES_DIR.iterdir() if p.is_dir()) if SITES_DIR.is_dir() else []
    raise FileNotFoundError(f"no fixture site {str(path_or_name)!r}; available under {SITES_DIR}: {available}")


def load_routes(root: Path) -> dict[str, Fault]:
    """Read `<root>/_routes.json` (if any) into faults keyed by path or pattern."""
    file = root / ROUTES_FILE
    if not file.is_file():
        return {}
    data = json.loads(file.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{file}: expected an object mapping paths to faults")
    return {str(k): Fault.from_json(v, where=f"{file}[{k!r}]") for k, v in data.items()}


@contextmanager
def serve_site(path_or_name: str | Path, *, faults: Faults | None = None) -> Iterator[ServedSite]:
    """Serve a directory (or a named fixture site) on 127.0.0.1:<ephemeral> for the `with` block."""
    root = resolve_site(path_or_name)
    merged = {**load_routes(root), **dict(faults or {})}
    server = _SiteServer(root, merged)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"site:{root.name}", daemon=True
    )
    thread.start()
    try:
        yield ServedSite(server)
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def sample_site_dir() -> Path:
    """The sample brand site shipped inside the brandtruth package (what `brandtruth up` serves)."""
    return Path(str(resources.files("brandtruth") / "sample_site"))


@contextmanager
def serve_sample_site(*, faults: Faults | None = None) -> Iterator[ServedSite]:
    """Serve the bundled sample site the same way as a fixture site."""
    with serve_site(sample_site_dir(), faults=faults) as site:
        yield site


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0, interval: float = 0.01) -> bool:
    """Poll a condition (e.g. a hit count reached by a background client) with a hard deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
