"""The bench reads a worker's CPU finer than /proc's 10 ms clock ticks."""

from __future__ import annotations

import os
import threading
import time

from bench._worker_run import CpuSnapshot


def _spin(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_a_few_milliseconds_of_one_thread_show_in_the_snapshot() -> None:
    """2 ms of CPU on this thread is read on this thread, to well within a tick."""
    before = CpuSnapshot.of(os.getpid())
    _spin(0.002)
    used = CpuSnapshot.of(os.getpid()).since(before)
    main = used.threads[threading.get_native_id()][1]
    assert 0.002 <= main < 0.010
    assert used.process == sum(seconds for _, seconds in used.threads.values())
