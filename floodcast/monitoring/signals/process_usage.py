"""This process's memory and CPU use, read from /proc (Linux)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["ProcessUsage"]

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class ProcessUsage:
    """Resident memory (MiB) and CPU use (percent of one core since the previous call).

    Args:
        pid: the process to watch (this one by default).
        clock: monotonic seconds.
    """

    def __init__(self, pid: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._proc = Path("/proc") / str(pid or os.getpid())
        self.clock = clock
        self._last: tuple[float, float] | None = None

    def memory_mib(self) -> float | None:
        """Resident set size in MiB; ``None`` without /proc."""
        try:
            pages = int((self._proc / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return None
        return pages * _PAGE / 2**20

    def cpu_percent(self) -> float | None:
        """CPU used since the previous call, in percent of one core; ``None`` on the first."""
        try:
            # fields after the command name (which may hold spaces) start at state
            fields = (self._proc / "stat").read_text().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime
        except (OSError, IndexError, ValueError):
            return None
        now = self.clock()
        last, self._last = self._last, (now, cpu)
        if last is None or now <= last[0]:
            return None
        return 100.0 * (cpu - last[1]) / (now - last[0])
