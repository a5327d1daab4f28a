"""Start and stop a stream worker in a subprocess (integration tests, demos)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import SecretStr

from floodcast.exceptions import WorkerProcessError
from schemas.settings import Settings

__all__ = ["EventPredicate", "WorkerProcess", "settings_env"]

EventPredicate = Callable[[dict[str, Any]], bool]
"""``predicate(log event) -> matched?`` over the worker's JSON log lines."""

_POLL_SECONDS = 0.1


def settings_env(settings: Settings) -> dict[str, str]:
    """``FLOODCAST_*`` environment variables that reproduce ``settings`` in a child process."""
    env = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        if isinstance(value, SecretStr):  # str() of a secret is a mask
            value = value.get_secret_value()
        text = str(value).lower() if isinstance(value, bool) else str(value)
        env[f"FLOODCAST_{name.upper()}"] = text
    return env


class WorkerProcess:
    """One ``python -m floodcast worker`` process, its JSON log in a file (at INFO level at least).

    Args:
        settings: the worker's settings (passed as environment variables).
        log_path: where the worker's stderr (its JSON log) and stdout go.
        extra_env: more environment variables for the child.
        processes: worker processes in the group (``floodcast worker --processes``).
    """

    def __init__(
        self,
        settings: Settings,
        log_path: Path,
        extra_env: Mapping[str, str] | None = None,
        processes: int = 1,
    ) -> None:
        self.processes = processes
        self.settings = settings
        self.log_path = log_path
        self._env = {**os.environ, **settings_env(settings), **(extra_env or {})}
        if settings.log_level in ("WARNING", "ERROR"):
            # readiness is read from the INFO-level partitions_assigned event
            self._env["FLOODCAST_LOG_LEVEL"] = "INFO"
        self._process: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 90.0, *, own_readings: bool = True) -> None:
        """Start the worker and wait until it owns partitions of the readings topic.

        Args:
            timeout: seconds to wait.
            own_readings: False: wait only until the worker has joined its group; a group
                with more workers than Faust's assignor gives work to leaves some idle.

        Raises:
            WorkerProcessError: the worker exited, or got no readings partition in time.
        """
        if self.running:
            raise WorkerProcessError(f"worker pid {self.pid} is already running")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "floodcast", "worker", "--processes", str(self.processes)],
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            self.wait_for(self._group_ready(own_readings), timeout)
        except WorkerProcessError:
            self.kill()
            raise

    def _group_ready(self, own_readings: bool = True) -> EventPredicate:
        """A predicate true once every process (or every partition) holds readings partitions;
        without ``own_readings``, once the worker joined its group."""
        if not own_readings:
            return lambda e: e.get("event") == "partitions_assigned"
        topic = self.settings.topic_readings
        wanted = min(self.processes, self.settings.readings_partitions)
        holding: dict[object, bool] = {}

        def ready(event: dict[str, Any]) -> bool:
            if event.get("event") != "partitions_assigned":
                return False
            partitions = event.get("partitions", ())
            holding[event.get("pid")] = any(p.rsplit(":", 1)[0] == topic for p in partitions)
            return sum(holding.values()) >= wanted

        return ready

    def wait_for(self, predicate: EventPredicate, timeout: float) -> dict[str, Any]:
        """Wait for a log event of this run that matches ``predicate``.

        Raises:
            WorkerProcessError: the worker exited first, or ``timeout`` passed.
        """
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events():
                if predicate(event):
                    return event
            if not self.running:
                raise WorkerProcessError(
                    f"worker exited ({self._returncode()}) before the awaited event\n"
                    + self.log_tail()
                )
            if time.monotonic() > deadline:
                raise WorkerProcessError(
                    f"awaited worker event not seen in {timeout:.0f} s\n" + self.log_tail()
                )
            time.sleep(_POLL_SECONDS)

    def events(self) -> list[dict[str, Any]]:
        """JSON log events written since the last :meth:`start`."""
        return list(self._iter_events())

    def _iter_events(self) -> Iterator[dict[str, Any]]:
        if not self.log_path.exists():
            return
        with self.log_path.open("rb") as log:
            log.seek(self._log_offset)
            for line in log:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict):
                    yield event

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        text = self.log_path.read_bytes()[self._log_offset :].decode(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 60.0) -> int:
        """Stop gracefully (SIGTERM), killing the worker if it outlives ``timeout``.

        Returns:
            The exit code (negative: killed by that signal).
        """
        if self._process is None:
            return 0
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self._returncode()

    def kill(self) -> None:
        """Kill the worker (and any processes it started) at once (SIGKILL)."""
        if self._process is not None and self._process.poll() is None:
            # its own session: the group holds the worker and, with --processes, its children
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(10)

    def _returncode(self) -> int:
        code = self._process.poll() if self._process is not None else 0
        return 0 if code is None else code

    def __enter__(self) -> WorkerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
