"""Shared output for benchmarks: medians, a printed table and a JSON file under bench/results."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def median_seconds(call: Callable[[], object], *, repeats: int, inner: int = 1) -> float:
    """Median wall time of ``inner`` calls, over ``repeats`` runs, per call."""
    call()  # warm-up: first-call allocation and lazy initialisation
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(inner):
            call()
        runs.append((time.perf_counter() - started) / inner)
    return statistics.median(runs)


def write_results(name: str, results: dict[str, object], directory: Path = RESULTS) -> Path:
    """Write ``<directory>/<name>.json`` (default ``bench/results``) with the machine it ran on."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.json"
    payload = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        **results,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path
