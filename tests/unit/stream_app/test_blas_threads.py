"""Stream processes keep numpy's BLAS to one thread (issue 14: cores for the event loop)."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import json
from threadpoolctl import threadpool_info
from stream_app.blas_threads import single_threaded_blas
limited = single_threaded_blas()
print(json.dumps({"limited": limited, "blas": [
    lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]}))
"""


def test_every_loaded_blas_runs_one_thread_after_the_limit() -> None:
    """In a fresh process (no OPENBLAS_NUM_THREADS), numpy's BLAS ends with one thread."""
    env = {"PATH": "/usr/bin:/bin"}  # nothing that presets BLAS threads
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=True
    )
    report = json.loads(probe.stdout)
    assert report["limited"] == len(report["blas"]) >= 1
    assert report["blas"] == [1] * len(report["blas"])
