"""`brandtruth up`: start and supervise Temporal, a worker, the API and the sample site."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from brandtruth.config import Settings
from brandtruth.storage import open_artifact_store
from brandtruth.temporal.devserver import devserver_command
from brandtruth.temporal.worker import check_artifact_store

log = logging.getLogger("brandtruth.up")

STOP_GRACE_SECONDS = 10.0
MAX_RESTARTS_PER_MINUTE = 5


def sample_site_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "sample_site"


def allowed_hosts_with_sample_site(current: str, port: int) -> str:
    """BRANDTRUTH_ALLOWED_HOSTS plus the sample site's host:port, keeping what the user listed."""
    hosts = [h.strip() for h in current.split(",") if h.strip()]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        if host not in hosts:
            hosts.append(host)
    return ",".join(hosts)


@dataclass(frozen=True)
class PortNeed:
    """A port `brandtruth up` will listen on, and the variable that moves it."""

    what: str
    host: str
    port: int
    variable: str


def port_needs(settings: Settings) -> list[PortNeed]:
    temporal_host, _, temporal_port = settings.temporal_host.rpartition(":")
    temporal_ip = temporal_host if temporal_host not in ("", "localhost") else "127.0.0.1"
    return [
        PortNeed("Temporal server", temporal_ip, int(temporal_port or 7234), "TEMPORAL_HOST"),
        PortNeed("Temporal UI", temporal_ip, settings.temporal_ui_port, "TEMPORAL_UI_PORT"),
        PortNeed("web UI + API", settings.api_host, settings.api_port, "BRANDTRUTH_API_PORT"),
        PortNeed("sample site", "127.0.0.1", settings.sample_site_port, "BRANDTRUTH_SAMPLE_SITE_PORT"),
    ]


def _bind_error(host: str, port: int) -> OSError | None:
    """Why nothing could listen there, if so (SO_REUSEADDR: sockets in TIME_WAIT do not count)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            return exc
    return None


def port_problems(settings: Settings) -> list[str]:
    """Why the stack cannot start: ports in use or given twice, each with the variable to change."""
    problems: list[str] = []
    seen: dict[int, PortNeed] = {}
    for need in port_needs(settings):
        if need.port in seen:
            other = seen[need.port]
            problems.append(
                f"Port {need.port} is set for both the {other.what} ({other.variable}) and the {need.what} "
                f"({need.variable}): give one of them another port."
            )
            continue
        seen[need.port] = need
        error = _bind_error(need.host, need.port)
        if error is None:
            continue
        if error.errno == errno.EADDRINUSE:
            problems.append(
                f"Port {need.port} ({need.what}) is already in use on {need.host}: stop what uses it, "
                f"or set {need.variable} to a free port."
            )
        else:
            problems.append(
                f"Cannot listen on {need.host}:{need.port} ({need.what}, {need.variable}): {error.strerror}."
            )
    return problems


@dataclass
class Child:
    name: str
    argv: list[str]
    quiet: bool = False  # drop the child's output (e.g. a log line per request)
    proc: asyncio.subprocess.Process | None = None
    starts: list[float] = field(default_factory=list)

    async def start(self, env: dict[str, str]) -> None:
        self.starts = [t for t in self.starts if time.monotonic() - t < 60] + [time.monotonic()]
        out = asyncio.subprocess.DEVNULL if self.quiet else None
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv, env=env, start_new_session=True, stdout=out, stderr=out
        )
        log.info("started %s (pid %d)", self.name, self.proc.pid)

    @property
    def crash_looping(self) -> bool:
        return len(self.starts) > MAX_RESTARTS_PER_MINUTE

    async def stop(self) -> None:
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), STOP_GRACE_SECONDS)
        except TimeoutError:
            log.warning("%s did not stop in %.0f s; killing it", self.name, STOP_GRACE_SECONDS)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()


async def _wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.2)
            continue
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True
    return False


def worker_count(requested: int | None, settings: Settings) -> int:
    """--workers, else BRANDTRUTH_WORKERS, else one worker process per CPU this process may use."""
    if requested is not None:
        return max(1, requested)
    if settings.workers is not None:
        return settings.workers
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def worker_children(count: int) -> list[Child]:
    """N worker processes on one task queue: stage CPU work spreads over cores, not one GIL."""
    return [Child(f"worker-{i + 1}", [sys.executable, "-m", "brandtruth.temporal.worker"]) for i in range(count)]


async def run_stack(settings: Settings, workers: int | None = None) -> int:
    """Run until Ctrl-C (or SIGTERM); restart any child that dies, unless it crash-loops."""
    problems = port_problems(settings)
    if problems:  # checked before anything starts, so nothing half-starts or advertises a dead URL
        for problem in problems:
            print(f"brandtruth up: {problem}", file=sys.stderr, flush=True)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store_problem = await check_artifact_store(settings)
    if store_problem is not None:
        log.error("cannot start: %s", store_problem)
        return 2
    env = dict(os.environ)
    env["BRANDTRUTH_ALLOWED_HOSTS"] = allowed_hosts_with_sample_site(
        env.get("BRANDTRUTH_ALLOWED_HOSTS", ""), settings.sample_site_port
    )
    env["BRANDTRUTH_DATA_DIR"] = str(settings.data_dir.resolve())
    py = sys.executable
    temporal_host, _, temporal_port = settings.temporal_host.rpartition(":")
    children = [
        Child("temporal", devserver_command(settings)),
        Child(
            "sample-site", [py, "-m", "brandtruth.cli", "site", "--port", str(settings.sample_site_port)], quiet=True
        ),
        *worker_children(worker_count(workers, settings)),
        Child("api", [py, "-m", "brandtruth.cli", "api"]),
    ]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    code = 0
    try:
        await children[0].start(env)
        if not await _wait_for_port(temporal_host or "127.0.0.1", int(temporal_port or 7234), 30):
            log.error("Temporal did not start listening on %s", settings.temporal_host)
            return 1
        for child in children[1:]:
            await child.start(env)
        api = f"http://{settings.api_host}:{settings.api_port}"
        print(
            f"\n  BrandTruth is starting:\n"
            f"    web UI + API   {api}/   (docs {api}/docs)\n"
            f"    Temporal UI    http://localhost:{settings.temporal_ui_port}\n"
            f"    sample site    http://127.0.0.1:{settings.sample_site_port}/\n"
            f"    data           {settings.data_dir.resolve()}\n"
            f"    artifacts      {open_artifact_store(settings).location}\n"
            f"    workers        {sum(c.name.startswith('worker-') for c in children)} processes\n"
            f"  Press Ctrl-C to stop everything.\n",
            flush=True,
        )
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
            for child in children:
                if stop.is_set() or child.proc is None or child.proc.returncode is None:
                    continue
                if child.crash_looping:
                    log.error("%s keeps exiting (last code %s); stopping", child.name, child.proc.returncode)
                    code = 1
                    stop.set()
                    break
                log.warning("%s exited with code %s; restarting it", child.name, child.proc.returncode)
                await child.start(env)
    finally:
        log.info("stopping…")
        # Everything but Temporal at once (N workers need not wait on each other), Temporal last.
        await asyncio.gather(*(child.stop() for child in children[1:]))
        await children[0].stop()
    return code
