"""The worker group stops its processes with one SIGTERM each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from floodcast import worker_group
from schemas.settings import Settings

# A stand-in worker: on SIGTERM it restores the default handler (as a worker's shutdown does)
# and takes ``delay`` seconds to exit cleanly; a second SIGTERM meanwhile kills it.
_CHILD = """
import signal, sys, time
from pathlib import Path

delay, ready = float(sys.argv[1]), Path(sys.argv[2])

def on_term(signum, frame):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    time.sleep(delay)
    sys.exit(0)

signal.signal(signal.SIGTERM, on_term)
ready.touch()
while True:
    time.sleep(0.05)
"""


def test_a_slow_worker_is_not_signalled_again_when_a_fast_one_has_exited(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    delays = iter([0.0, 1.5])  # the first exits at once, which ends the group's wait
    ready: list[Path] = []
    real_popen = subprocess.Popen

    def stand_in(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        marker = tmp_path / f"ready-{len(ready)}"
        ready.append(marker)
        return real_popen([sys.executable, "-c", _CHILD, str(next(delays)), str(marker)])

    monkeypatch.setattr(worker_group.subprocess, "Popen", stand_in)

    def terminate_group() -> None:
        deadline = time.monotonic() + 30
        while len(ready) < 2 or not all(marker.exists() for marker in ready):
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)  # handled by the group while it runs

    sender = threading.Thread(target=terminate_group)
    sender.start()
    code = worker_group.run_worker_group(Settings(), processes=2)
    sender.join()

    assert code == 0
