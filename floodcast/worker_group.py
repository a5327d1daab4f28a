"""``floodcast worker --processes N``: N worker processes in one consumer group, stopped together.

Partitions are the unit of scale: the group spreads the readings topic's partitions (and with
them the basins' state) over the processes, so more processes than partitions leave some idle.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

from schemas.settings import Settings

__all__ = ["child_env", "run_worker_group"]

_POLL_SECONDS = 0.2


def child_env(settings: Settings, index: int) -> dict[str, str]:
    """Settings that differ per process: its own metrics and web ports; the lag monitor (one
    per group is enough) only in the first."""
    env = {
        "FLOODCAST_METRICS_PORT": str(settings.metrics_port + index),
        "FLOODCAST_WORKER_WEB_PORT": str(settings.worker_web_port + index),
    }
    if index > 0:
        env["FLOODCAST_MONITOR_IN_WORKER"] = "false"
    return env


def run_worker_group(settings: Settings, processes: int, worker_args: Sequence[str] = ()) -> int:
    """Run ``processes`` single workers until SIGTERM/SIGINT or until one of them exits.

    Either way every process is sent SIGTERM and awaited: the group stops together.

    Args:
        settings: the workers' settings (all read the same environment).
        processes: how many worker processes.
        worker_args: further ``floodcast worker`` arguments (e.g. ``--model``).

    Returns:
        0 when every process ended cleanly, else the first non-zero exit code.
    """
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "floodcast", "worker", *worker_args],
            env={**os.environ, **child_env(settings, index)},
        )
        for index in range(processes)
    ]

    signalled: set[int] = set()

    def stop_all(signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        # once per child: a second SIGTERM could reach a worker whose shutdown has already
        # restored the default handler, and kill it mid-exit
        for child in children:
            if child.pid not in signalled and child.poll() is None:
                signalled.add(child.pid)
                child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop_all) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while all(child.poll() is None for child in children):
            time.sleep(_POLL_SECONDS)
        stop_all()
        codes = [child.wait() for child in children]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return next((code for code in codes if code != 0), 0)
