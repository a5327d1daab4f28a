"""A bench agent in a subprocess: started, awaited until it leaves a file, then stopped."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def agent_process(
    args: Sequence[str], log: Path, ready: Path, timeout: float
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``args`` (output to ``log``) until the block ends; enter once ``ready`` exists.

    Raises:
        RuntimeError: the agent exited, or wrote no ``ready`` within ``timeout`` seconds.
    """
    with log.open("wb") as out:
        child = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while not ready.exists():
                if child.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the bench agent {args[2]} gave no {ready.name} (see {log})"
                    )
                time.sleep(0.1)
            yield child
        finally:
            child.terminate()
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(10)
