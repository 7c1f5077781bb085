"""Stopping a child process the way an operator does: a polite signal, then SIGKILL after a grace period."""

from __future__ import annotations

import asyncio
import os
import signal


async def stop_process(
    proc: asyncio.subprocess.Process, sig: signal.Signals, grace: float, *, whole_group: bool = False
) -> None:
    """Send `sig` unless `proc` already exited; SIGKILL it (its whole process group when `whole_group`,
    for a process started with `start_new_session=True` that has children) if it outlives `grace` seconds."""
    if proc.returncode is not None:
        return
    proc.send_signal(sig)
    try:
        await asyncio.wait_for(proc.wait(), grace)
    except TimeoutError:
        if whole_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        await proc.wait()
