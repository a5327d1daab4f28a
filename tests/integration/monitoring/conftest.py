"""Worker settings with fast alerts, a paced gauge feed, ``floodcast monitor`` processes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from floodcast.worker_process import settings_env
from schemas.settings import Settings

# the stream worker's fixtures: per-test topics and app id, the toy model, worker processes
from tests.integration.stream_app.conftest import (  # noqa: F401
    start_worker,
    toy_package,
    worker_settings,
)


class MonitorProcess:
    """A running ``floodcast monitor`` and its JSON log."""

    def __init__(self, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    def events(self) -> list[dict[str, Any]]:
        """Every JSON log event so far."""
        found = []
        for line in self.log_path.read_bytes().splitlines():
            with contextlib.suppress(ValueError):
                found.append(json.loads(line))
        return found

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 60) -> None:
        """Wait for a log event matching ``predicate``.

        Raises:
            TimeoutError: the monitor exited first, or ``timeout`` passed.
        """
        deadline = time.monotonic() + timeout
        while not any(predicate(event) for event in self.events()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise TimeoutError(f"monitor event not seen (exit {self.process.poll()}):\n{tail}")
            time.sleep(0.2)

    def wait_for_rounds(self, count: int, timeout: float = 60) -> None:
        """Wait until the monitor has completed ``count`` more rounds (DEBUG log level)."""
        done = len([e for e in self.events() if e.get("event") == "monitor_round"])
        self.wait_for(
            lambda _: (
                len([e for e in self.events() if e.get("event") == "monitor_round"]) >= done + count
            ),
            timeout,
        )


_START_SECONDS = 180.0

MonitorFactory = Callable[[Settings], MonitorProcess]
"""``start_monitor(settings) -> the running floodcast monitor`` (stopped after the test)."""

FAST_ALERTS = {
    "monitor_interval_seconds": 0.5,
    "monitor_lag_window": 12,
    "alert_for_seconds": 1.0,
    "alert_clear_seconds": 1.0,
}
"""Short timings so each alert fires and resolves within seconds."""


@pytest.fixture
def monitor_settings(worker_settings: Settings) -> Settings:  # noqa: F811
    """Worker settings with fast alert timings and thresholds no healthy run crosses."""
    return worker_settings.model_copy(
        update={
            **FAST_ALERTS,
            "alert_lag_messages": 300,
            "alert_lag_seconds": 10.0,
            "alert_error_rate": 0.2,
            "alert_error_window_seconds": 3.0,
            "log_level": "DEBUG",
            # one monitor per test: the worker's own would publish the same alerts again
            "monitor_in_worker": False,
            "metrics_enabled": False,
            "alert_gauge_offline_seconds": 3.0,
        }
    )


@pytest.fixture
def start_monitor(tmp_path: Path) -> Iterator[MonitorFactory]:
    """Run ``floodcast monitor`` with the given settings; its JSON log goes under tmp_path."""
    started: list[subprocess.Popen[bytes]] = []

    def start(settings: Settings) -> MonitorProcess:
        """Start a monitor and wait until it has started (interpreter and imports done)."""
        log_path = tmp_path / f"monitor-{len(started)}.log"
        log = log_path.open("wb")
        command = [sys.executable, "-c", "from floodcast.cli import main; main()", "monitor"]
        process = subprocess.Popen(
            command,
            env={**os.environ, **settings_env(settings)},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        started.append(process)
        monitor = MonitorProcess(process, log_path)
        # Starting Python and importing the monitor costs ~6 s of CPU, which took over a
        # minute of wall time on a loaded 2-core machine; the tests' timings start after it,
        # as WorkerProcess.start waits for a worker's partitions.
        monitor.wait_for(lambda e: e.get("event") == "monitor_start", timeout=_START_SECONDS)
        return monitor

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
