"""Stream worker throughput and latency on a real Kafka broker, against a raw pass-through.

Run: ``.venv/bin/python -m bench.pipeline [--readings N] [--repeats R]``. Uses the broker in
``FLOODCAST_KAFKA_BOOTSTRAP`` when set, else starts a local Apache Kafka on free ports in a
temporary directory. In one run:

1. N simulated readings (every built-in basin, no faults) are published once to a fresh topic.
2. Baseline: a confluent-kafka Consumer -> Producer copy of that topic, nothing parsed.
3. Worker: a Floodcast worker (fresh app id, tables and output topics) over the same topic,
   timed from its first accounting record to the one covering all N readings (see
   ``THROUGHPUT_DEFINITION``), with its CPU time. Repeated ``R`` times, then once more under
   py-spy, whose stacks are summarised into where the main thread's time per reading goes.
4. Reference: the worker's batch processor fed by plain aiokafka, without faust
   (``DIRECT_DEFINITION``), to tell faust's per-message cost from the processing's.
5. Latency: a fresh worker fed readings at a fixed rate, event time replaying the hours up to
   now (``LATENCY_DEFINITION``).

A full run takes about three minutes; the machine has 2 cores and is shared, so compare the
CPU microseconds per reading more than the rates, and repeat (``--repeats``) for medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench._basin_copies import COPIES, copied_package, copied_simulations
from bench._broker import bench_broker
from bench._direct_consumer import direct_run
from bench._faust_floor import FLOOR_DEFINITION, faust_floor_run
from bench._faust_latency_floor import LATENCY_FLOOR_DEFINITION, faust_latency_floor_run
from bench._packs import (
    PACK_RUN_MESSAGES_DIVISOR,
    pack_run_readings,
    pack_settings_update,
    planned_packs,
)
from bench._pass_through import pass_through
from bench._readings import messages_per_partition, planned_readings, publish, simulate_for
from bench._repo_settings import ROOT, repo_settings
from bench._report import RESULTS, write_results
from bench._runs import latency_run, throughput_run
from bench._speed import SPEED_FLOORS, print_speed, speed_summary
from schemas.settings import Settings

GOAL_READINGS_PER_S = 20_000
PASS_THROUGH_RUNS = 3
"""The pass-through takes seconds: always run it a few times, interleaved with the worker."""
PROFILE_NAME = "pipeline-profile.folded.txt"

THROUGHPUT_DEFINITION = (
    "The readings are published to the topic before the worker starts, so it reads a backlog "
    "as fast as it can. Worker startup (imports, model load, group join, table recovery) is "
    "not timed: the clock starts at the CreateTime of the first record the worker writes to "
    "its partition-counts changelog (the end of its first batch) and stops at the CreateTime "
    "of the record after which the counts (scored + pending + deduplicated + dead-lettered) "
    "cover all N readings. Readings counted by that first record are left out of the rate. "
    "'pending' readings are accepted into a slot that is not final yet: only the cut-off last "
    "step's. Worker CPU time (all threads, from /proc's per-thread schedstat) over the window "
    "gives CPU microseconds per reading, which the machine's noise disturbs far less than "
    "the wall-clock rate. The pass-through is timed from assigning its consumer to the last "
    "copy acknowledged (acks=all, as the worker's producer)."
)
DIRECT_DEFINITION = (
    "Not the product: the worker's BatchProcessor (same model, same settings) fed in this "
    "process by aiokafka getmany batches of batch_size readings, its outputs (predictions, "
    "dead letters, basin states, counts) produced with aiokafka, without faust's stream, "
    "table and per-message machinery. Timed from the consumer's start to the last output "
    "acknowledged; CPU is this process's."
)
SCALING_DEFINITION = (
    "The scaling runs read their own topic: the same number of readings from copies of the "
    "built-in basins (bench._basin_copies), so that basins, and with them readings, spread "
    "over the partitions as in a network of many basins; the package serves the copies with "
    "the default model. One process and the group of processes read it in turn, each with a "
    "fresh group; the ratio is the group's median rate over the one process's."
)

PACKS_DEFINITION = (
    "The pack runs read the same simulated gauges as SenML packs (the emulator's --pack-size: "
    "each gauge's readings of that many steps in one message), timed as the single-reading "
    "runs. Each holds the single-reading run's readings / "
    f"{PACK_RUN_MESSAGES_DIVISOR} as messages (packs of 32: four times the readings), read "
    "at the worker's own batch size in messages; only the allowed lateness is widened to the "
    "span of a pack."
)

LATENCY_DEFINITION = (
    "Latency of a prediction = wall time this process consumed it from the predictions topic "
    "minus the wall time the last reading of its slot (same basin, observed_at = the "
    "prediction's watermark) was handed to the gauges' producer. Slots close early once every "
    "gauge has reported, so no allowed-lateness wait is included; the worker's micro-batch "
    "window (batch_window_seconds), the producers' linger, the broker and the consumer hop "
    "are. 'to_worker_send' uses the prediction's CreateTime instead of its consumption. Only "
    "slots whose readings were sent after the warm-up count; a worker publishes a basin's "
    "prediction on a change of path and otherwise once per publish cadence of event time, so "
    "not every slot has one."
)


def _code_version() -> dict[str, object]:
    """The checked-out commit, and whether the worker's code differs from it."""

    executable = shutil.which("git")

    def git(*args: str) -> str:
        if executable is None:
            return "unknown"
        done = subprocess.run([executable, *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "stream_app_modified": bool(git("status", "--porcelain", "--", "stream_app")),
    }


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(run[key]) for run in runs)


def _scaling_setup(
    settings: Settings, bootstrap: str, readings: int, scratch: Path
) -> tuple[str, Settings]:
    """Publish the scaling runs' readings (``COPIES`` copies of every basin); their settings."""
    per_copy = -(-readings // COPIES)
    simulations = copied_simulations([simulate_for(per_copy, seed=c) for c in range(COPIES)])
    topic = f"bench-scaling-readings-{uuid.uuid4().hex[:8]}"
    publish(
        bootstrap,
        topic,
        planned_readings(simulations, readings),
        partitions=settings.readings_partitions,
    )
    package = copied_package(
        settings.model_path, [sim.basin for sim in simulations], scratch / "scaling-package"
    )
    return topic, settings.model_copy(update={"model_path": package})


def _median_percentiles(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The first run's other fields, each ``*_ms`` percentile the median over ``runs``."""
    merged: dict[str, Any] = dict(runs[0])
    for key in runs[0]:
        if key.endswith("_ms"):
            merged[key] = round(_median(runs, key), 1)
    return {**merged, "runs": runs}


def run(
    readings: int,
    repeats: int,
    latency_seconds: float,
    rate: float,
    profile_file: Path,
    pack_sizes: tuple[int, ...] = (8, 32),
    processes: int = 2,
) -> dict[str, Any]:
    """Run every measurement and return the results (see the module docstring)."""
    started = time.perf_counter()
    load_before = os.getloadavg()
    code = _code_version()  # before the workers start: others may commit meanwhile
    settings = repo_settings()
    partitions = settings.readings_partitions
    simulations = simulate_for(
        max([readings, *(pack_run_readings(readings, k) for k in pack_sizes)])
    )
    messages = planned_readings(simulations, readings)
    with (
        tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp,
        bench_broker(settings, Path(tmp)) as (bootstrap, broker),
    ):
        scratch = Path(tmp)
        topic = f"bench-readings-{uuid.uuid4().hex[:8]}"
        published = publish(bootstrap, topic, messages, partitions=partitions)
        per_partition = messages_per_partition(bootstrap, topic, partitions)
        baseline, worker, floor = [], [], []
        for index in range(max(repeats, PASS_THROUGH_RUNS)):
            baseline.append(
                pass_through(
                    bootstrap,
                    topic,
                    f"{topic}-copy-{uuid.uuid4().hex[:6]}",
                    expected=readings,
                    partitions=partitions,
                )
            )
            if index < repeats:
                floor.append(
                    faust_floor_run(
                        bootstrap,
                        topic,
                        readings,
                        scratch,
                        batch_size=settings.batch_size,
                        within=settings.batch_window_seconds,
                        event_loop=settings.worker_event_loop,
                        partitions=partitions,
                    )
                )
                worker.append(throughput_run(settings, bootstrap, topic, readings, scratch))
        packed = _pack_runs(
            settings, bootstrap, scratch, simulations, readings, pack_sizes, repeats
        )
        scaling_topic, scaling = _scaling_setup(settings, bootstrap, readings, scratch)
        scaled_one, grouped = [], []
        for _ in range(repeats):
            scaled_one.append(
                throughput_run(scaling, bootstrap, scaling_topic, readings, scratch, label="s")
            )
            grouped.append(
                throughput_run(
                    scaling,
                    bootstrap,
                    scaling_topic,
                    readings,
                    scratch,
                    processes=processes,
                    label="g",
                )
            )
        scaling_per_partition = messages_per_partition(bootstrap, scaling_topic, partitions)
        direct = direct_run(settings, bootstrap, topic, readings, partitions=partitions)
        profiled = throughput_run(
            settings, bootstrap, topic, readings, scratch, profile_to=profile_file
        )
        latency_runs, floor_latency_runs = [], []
        paced = {"rate": rate, "seconds": latency_seconds, "partitions": partitions}
        for _ in range(repeats):
            floor_latency_runs.append(
                faust_latency_floor_run(
                    bootstrap,
                    simulations,
                    scratch,
                    event_loop=settings.worker_event_loop,
                    **paced,
                )
            )
            latency_runs.append(latency_run(settings, bootstrap, simulations, scratch, **paced))
    latency = _median_percentiles(latency_runs)
    floor_latency = _median_percentiles(floor_latency_runs)
    pass_rate = _median(baseline, "readings_per_s")
    floor_rate = _median(floor, "messages_per_s")
    worker_rate = _median(worker, "readings_per_s")
    cpu_us = _median(worker, "worker_cpu_us_per_reading")
    profile = profiled.pop("profile")
    return {
        "readings": readings,
        "partitions": partitions,
        "readings_per_partition": per_partition,
        "basins": [sim.basin.basin_id for sim in simulations],
        "mean_payload_bytes": round(sum(len(v) for _, v in messages) / len(messages), 1),
        "cores": os.cpu_count(),
        "load_average_1m": {"before": load_before[0], "after": os.getloadavg()[0]},
        "broker": broker,
        "repeats": repeats,
        "code": code,
        "worker_settings": {
            "batch_size": settings.batch_size,
            "batch_window_seconds": settings.batch_window_seconds,
            "batch_adaptive": settings.batch_adaptive,
            "metrics_enabled": settings.metrics_enabled,
            "monitor_in_worker": settings.monitor_in_worker,
            "model": str(settings.model_path.relative_to(ROOT))
            if settings.model_path.is_relative_to(ROOT)
            else str(settings.model_path),
        },
        "publish": {k: round(v, 3) for k, v in published.items()},
        "pass_through": {"median_readings_per_s": round(pass_rate, 1), "runs": baseline},
        "worker": {
            "definition": THROUGHPUT_DEFINITION,
            "median_readings_per_s": round(worker_rate, 1),
            "median_cpu_us_per_reading": round(cpu_us, 1),
            "readings_per_worker_cpu_second": round(1e6 / cpu_us, 1),
            "runs": worker,
            "profiled_run": profiled,
        },
        "scaling": {
            "definition": SCALING_DEFINITION,
            "basins": COPIES * len(simulations),
            "readings_per_partition": scaling_per_partition,
            "one_process_runs": scaled_one,
            "group_runs": grouped,
        },
        "ratio_pass_through_to_worker": round(pass_rate / worker_rate, 1),
        "faust_floor": {
            "definition": FLOOR_DEFINITION,
            "median_messages_per_s": round(floor_rate, 1),
            "median_cpu_us_per_message": round(_median(floor, "cpu_us_per_message"), 1),
            "runs": floor,
        },
        "ratio_worker_to_faust_floor": round(worker_rate / floor_rate, 2),
        "reference_without_faust": {"definition": DIRECT_DEFINITION, **direct},
        "packs": {
            "definition": PACKS_DEFINITION,
            **{f"packs_of_{size}": size_runs for size, size_runs in packed.items()},
        },
        "goal_readings_per_s": GOAL_READINGS_PER_S,
        "goal_met": worker_rate >= GOAL_READINGS_PER_S,
        "latency": {"definition": LATENCY_DEFINITION, **latency},
        "faust_latency_floor": {"definition": LATENCY_FLOOR_DEFINITION, **floor_latency},
        "speed": speed_summary(
            pass_rate,
            floor_rate,
            worker,
            packed,
            scaled_one,
            grouped,
            processes,
            latency,
            floor_latency,
            SPEED_FLOORS,
        ),
        "profile": {
            "tool": "py-spy record --nonblocking --threads --idle (200 Hz), attached for the "
            "profiled run's whole processing window",
            "file": profile_file.name,
            "format": "folded stacks (flamegraph.pl, speedscope, inferno)",
            "main_thread_us_per_reading_by_bucket": {
                bucket: round(pct / 100 * float(profiled["main_thread_cpu_us_per_reading"]), 1)
                for bucket, pct in profile["buckets_pct_of_main_busy"].items()
            },
            **profile,
        },
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


def _pack_runs(
    settings: Settings,
    bootstrap: str,
    scratch: Path,
    simulations: Any,
    readings: int,
    pack_sizes: tuple[int, ...],
    repeats: int,
) -> dict[int, list[dict[str, Any]]]:
    """Worker runs over the same simulated readings sent as packs of each size."""
    runs: dict[int, list[dict[str, Any]]] = {}
    for size in pack_sizes:
        messages, held = planned_packs(simulations, pack_run_readings(readings, size), size)
        topic = f"bench-packs{size}-{uuid.uuid4().hex[:8]}"
        publish(bootstrap, topic, messages, partitions=settings.readings_partitions)
        tuned = settings.model_copy(update=pack_settings_update(size))
        runs[size] = [
            {
                **throughput_run(tuned, bootstrap, topic, held, scratch, label=f"k{size}"),
                "messages": len(messages),
                "readings_per_message": round(held / len(messages), 2),
            }
            for _ in range(repeats)
        ]
    return runs


def print_table(results: dict[str, Any]) -> None:
    """A readable summary of ``results``."""
    worker, latency, profile = results["worker"], results["latency"], results["profile"]
    profiled = worker["profiled_run"]
    load = results["load_average_1m"]
    print(
        f"\n{results['readings']:,} readings, {results['partitions']} partitions "
        f"(readings per partition {results['readings_per_partition']}), "
        f"{results['cores']} cores, load average {load['before']:.1f} -> {load['after']:.1f}, "
        f"{results['broker']}; medians of {results['repeats']} run(s)"
    )
    print(f"{'throughput':<40} {'readings/s':>11} {'worker CPU us/reading':>22}")
    rows = [
        ("pass-through (consume -> produce)", results["pass_through"]["median_readings_per_s"], ""),
        (
            "bare faust agent (take_events, no work)",
            results["faust_floor"]["median_messages_per_s"],
            f"{results['faust_floor']['median_cpu_us_per_message']:.1f}",
        ),
        (
            "Floodcast worker",
            worker["median_readings_per_s"],
            f"{worker['median_cpu_us_per_reading']:.1f}",
        ),
        (
            "Floodcast worker, under py-spy",
            profiled["readings_per_s"],
            f"{profiled['worker_cpu_us_per_reading']:.1f}",
        ),
    ]
    for name, rate, cpu in rows:
        print(f"{name:<40} {rate:>11,.0f} {cpu:>22}")
    print(
        f"ratio pass-through / worker: {results['ratio_pass_through_to_worker']}x; "
        f"worker / bare faust floor: {results['ratio_worker_to_faust_floor']}; "
        f"worker CPU-bound ceiling {worker['readings_per_worker_cpu_second']:,.0f} readings/s; "
        f"goal {GOAL_READINGS_PER_S:,}/s {'met' if results['goal_met'] else 'NOT met'}"
    )
    direct = results["reference_without_faust"]
    print(
        f"reference, same batch processor on aiokafka getmany without faust: "
        f"{direct['readings_per_s']:,.0f} readings/s, {direct['cpu_us_per_reading']} us CPU/reading"
    )
    print(
        f"latency, last reading of a slot sent -> its prediction consumed, at "
        f"{latency['rate_achieved_per_s']:,.0f} readings/s for {latency['seconds']} s "
        f"({latency['predictions']} predictions): p50 {latency['to_consumer_p50_ms']} ms, "
        f"p99 {latency['to_consumer_p99_ms']} ms, max {latency['to_consumer_max_ms']} ms"
    )
    floor = results["faust_latency_floor"]
    print(
        f"a bare faust agent sees each reading, same rate, after: "
        f"p50 {floor['to_agent_p50_ms']} ms, p99 {floor['to_agent_p99_ms']} ms, "
        f"max {floor['to_agent_max_ms']} ms"
    )
    print_speed(results["speed"])
    print(f"worker CPU by thread (profiled run, s): {profiled['cpu_seconds_by_thread']}")
    print(
        f"main thread (event loop) busy {profile['main_thread_busy_pct']}% of the profiled run; "
        "its time per reading:"
    )
    for bucket, us in profile["main_thread_us_per_reading_by_bucket"].items():
        pct = profile["buckets_pct_of_main_busy"][bucket]
        print(f"  {pct:5.1f}%  {us:6.1f} us  {bucket}")
    print("main thread, top functions by own time:")
    for row in profile["top_self_pct_of_main_busy"]:
        print(f"  {row['pct']:5.1f}%  {row['function']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=200_000, help="N readings (>= 1,000).")
    parser.add_argument("--repeats", type=int, default=1, help="Unprofiled runs of each rate.")
    parser.add_argument("--latency-seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=1000.0, help="Latency run readings/s.")
    parser.add_argument("--results-dir", type=Path, default=RESULTS, help="Where JSON goes.")
    parser.add_argument(
        "--pack-sizes", default="8,32", help="Comma-separated SenML pack sizes to run."
    )
    parser.add_argument("--processes", type=int, default=2, help="Processes of the group run.")
    args = parser.parse_args(argv)
    pack_sizes = tuple(int(size) for size in args.pack_sizes.split(",") if size)
    if args.readings < 1000 or args.repeats < 1:
        parser.error("--readings must be >= 1000 and --repeats >= 1")
    profile_file = args.results_dir / PROFILE_NAME
    results = run(
        args.readings,
        args.repeats,
        args.latency_seconds,
        args.rate,
        profile_file,
        pack_sizes,
        args.processes,
    )
    print_table(results)
    written = write_results("pipeline", results, args.results_dir)
    print(f"wrote {written} and {profile_file}")


if __name__ == "__main__":
    main()
