"""``floodcast``'s entry point prints Python stacks when native code crashes."""

from __future__ import annotations

import signal
import subprocess
import sys

_CRASH_UNDER_MAIN = """
import ctypes

import floodcast.cli as cli


def crash_in_native_code() -> None:
    ctypes.string_at(0)  # reads address 0: SIGSEGV, as a C extension's bug would raise


cli.app = crash_in_native_code
cli.main()
"""


def test_native_crash_prints_the_python_stack() -> None:
    """A segmentation fault under ``main`` leaves the crashing Python frame on stderr."""
    done = subprocess.run(
        [sys.executable, "-c", _CRASH_UNDER_MAIN],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGSEGV
    assert "Fatal Python error: Segmentation fault" in done.stderr
    assert "in crash_in_native_code" in done.stderr
