"""``bench.pipeline`` runs end to end on a real broker and reports every measure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench._packs import pack_run_readings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]


def test_a_short_pipeline_bench_writes_its_measures(kafka_bootstrap: str, tmp_path: Path) -> None:
    """A 5,000-reading run prints the ratio and writes JSON and the profile where told.

    Micro-batches of 50 messages keep every short run many batches long, as 500 do a full one."""
    command = [
        sys.executable, "-m", "bench.pipeline",
        "--readings", "5000", "--repeats", "1", "--latency-seconds", "4", "--rate", "200",
        "--results-dir", str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={
            **os.environ,
            "FLOODCAST_KAFKA_BOOTSTRAP": kafka_bootstrap,
            "FLOODCAST_BATCH_SIZE": "50",
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ratio pass-through / worker" in done.stdout
    assert "worker / bare faust floor" in done.stdout
    results = json.loads((tmp_path / "pipeline.json").read_text())
    assert results["worker"]["median_readings_per_s"] > 0
    assert results["pass_through"]["median_readings_per_s"] > 0
    assert results["ratio_pass_through_to_worker"] > 0
    floor = results["faust_floor"]
    assert len(floor["runs"]) == 1 and floor["median_messages_per_s"] > 0
    assert results["ratio_worker_to_faust_floor"] > 0
    rows = {row["figure"]: row for row in results["speed"]["rows"]}
    for figure in (
        "bare faust agent (take_events, no work), messages/s",
        "worker, single readings, vs goal",
        "worker, 2 processes vs 1, single readings",
        "worker, packs of 8, readings/s",
        "worker, packs of 32, readings/s",
        "worker, 1 process, many basins, readings/s",
        "worker, 2 processes, many basins, readings/s",
        "latency p99 ms vs goal",
        "latency p99 ms at the latency rate",
        "worker RSS MB (one process)",
    ):
        assert rows[figure]["value"] > 0 and rows[figure]["ratio"] > 0, figure
    assert 50 < rows["worker RSS MB (one process)"]["value"] < 2_000
    for size in (8, 32):
        (packs,) = results["packs"][f"packs_of_{size}"]
        assert size / 2 < packs["readings_per_message"] <= size
        assert packs["accounting"]["total"] >= pack_run_readings(5000, size)
        assert packs["worker_cpu_us_per_reading"] > 0
    latency = results["latency"]
    assert latency["predictions"] > 0
    assert latency["accounting"]["total"] == latency["readings_sent"]
    scaling = results["scaling"]
    assert scaling["basins"] == 24
    assert sum(scaling["readings_per_partition"].values()) == 5000
    floor_latency = results["faust_latency_floor"]
    assert floor_latency["events"] > 0
    assert 0 < floor_latency["to_agent_p50_ms"] <= floor_latency["to_agent_p99_ms"]
    assert (tmp_path / "pipeline-profile.folded.txt").stat().st_size > 0
