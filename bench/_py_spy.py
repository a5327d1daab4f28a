"""Sample a running process with py-spy for a while; folded stacks come out."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType

SAMPLE_RATE = 200
"""Samples per second: 1 % of a 20 s run is still 40 samples."""


def py_spy_executable() -> str:
    """py-spy from this environment (the dev extra), else from PATH.

    Raises:
        FileNotFoundError: py-spy is not installed.
    """
    beside = Path(sys.executable).with_name("py-spy")
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise FileNotFoundError("py-spy is not installed (pip install -e '.[dev]')")
    return found


class PySpyRecording:
    """``py-spy record`` on ``pid`` from ``start`` until ``stop``; folded stacks go to ``out``.

    Every thread is sampled, waiting or not, with its name as the root frame.

    Args:
        pid: the process to sample.
        out: where the folded stacks (``frame;frame;... count`` lines) go.
        log: where py-spy's own messages go.
    """

    def __init__(self, pid: int, out: Path, log: Path) -> None:
        self.pid = pid
        self.out = out
        self.log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        command = [
            py_spy_executable(),
            "record",
            "--pid",
            str(self.pid),
            "--rate",
            str(SAMPLE_RATE),
            "--format",
            "raw",
            "--output",
            str(self.out),
            "--nonblocking",  # do not pause the worker for each sample
            "--threads",
            "--idle",  # waiting threads too: the share of time the event loop waited
        ]
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def stop(self, timeout: float = 30.0) -> Path:
        """Stop sampling (SIGINT makes py-spy write its output) and return the output path.

        Raises:
            RuntimeError: py-spy failed or wrote nothing.
        """
        if self._process is None:
            raise RuntimeError("py-spy was not started")
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
        if not self.out.exists() or self.out.stat().st_size == 0:
            raise RuntimeError(
                f"py-spy wrote no profile (exit {self._process.returncode}): "
                + self.log.read_text(errors="replace")[-2000:]
            )
        return self.out

    def __enter__(self) -> PySpyRecording:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self.stop()
