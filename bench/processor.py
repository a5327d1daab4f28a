"""CPU per reading of the worker's batch processor alone: no Kafka, no faust.

Run: ``python -m bench.processor [--readings N] [--repeats R] [--digest] [--profile]``.

The simulated readings (as ``bench.pipeline`` publishes them) are encoded once, cut into
micro-batches of ``SourceRecord`` as a consumer hands them over (``bench._direct_consumer``),
and fed to one ``BatchProcessor`` per repeat, its table writes kept in dicts between batches.
The time counted is this process's CPU time over the batches, the outputs' serialisation
included; the input is moved out of the collector's way (``gc.freeze()``), as the worker
freezes what it holds after start-up. ``--digest`` hashes everything the processor gives
(predictions, dead letters, basin states, partition counts, tallies) under a fixed clock, so
that a change can be shown to leave the outputs byte-identical.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import pstats
import statistics
import time
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench._packs import pack_settings_update, planned_packs
from bench._readings import READINGS_PER_STEP_HINT, KeyValue, planned_readings, simulate_for
from bench._repo_settings import anchored, repo_settings
from converters.model_package import load_package
from floodcast.catchment import Simulation
from stream_app.blas_threads import single_threaded_blas
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer

CASES: dict[str, tuple[int, int]] = {
    "single_1000": (1, 1000),
    "single_38": (1, READINGS_PER_STEP_HINT),
    "packs_32": (32, 1000),
}
"""Case -> (readings per message, readings per micro-batch)."""
PARTITIONS = 4
CLOCK = datetime(2027, 1, 1, tzinfo=UTC)
"""Fixed wall clock (after every simulated reading), so that the outputs are reproducible."""

Batches = list[list[SourceRecord]]


def case_batches(
    simulations: Sequence[Simulation], readings: int, pack_size: int, batch_readings: int
) -> tuple[Batches, int]:
    """The case's messages as micro-batches, partitioned by key.

    Returns:
        The batches, and the readings they hold.
    """
    if pack_size == 1:
        messages: list[KeyValue] = planned_readings(simulations, readings)
        held, per_batch = len(messages), batch_readings
    else:
        messages, held = planned_packs(simulations, readings, pack_size)
        per_batch = max(1, batch_readings // pack_size)
    offsets = [0] * PARTITIONS
    records = []
    for key, value in messages:
        partition = zlib.crc32(key) % PARTITIONS
        records.append(SourceRecord("readings", partition, offsets[partition], key, value))
        offsets[partition] += 1
    return [records[i : i + per_batch] for i in range(0, len(records), per_batch)], held


def run_batches(processor: BatchProcessor, batches: Batches) -> list[bytes]:
    """Feed ``batches`` in order, keeping the table writes; every output, serialised."""
    states: dict[str, bytes] = {}
    counts: dict[str, bytes] = {}
    out: list[bytes] = []
    for records in batches:
        result = processor.process(records, states.get, counts.get)
        out += [letter.model_dump_json().encode() for _, letter in result.dead_letters]
        out += [prediction.model_dump_json().encode() for prediction in result.predictions]
        for basin_id, (_, state) in result.basin_states.items():
            states[basin_id] = state
            out += (basin_id.encode(), state)
        for partition, (_, tally) in result.partition_counts.items():
            counts[str(partition)] = value = tally.to_bytes()
            out.append(value)
        tallies = (result.replayed, result.held, sorted(result.gaps.items()))
        out.append(repr((tallies, result.slots_finalised)).encode())
    return out


def digest(outputs: Sequence[bytes]) -> str:
    """sha256 over ``outputs``, each one length-prefixed."""
    hashed = hashlib.sha256()
    for item in outputs:
        hashed.update(len(item).to_bytes(8, "little") + item)
    return hashed.hexdigest()


def measure(
    scorer: FloodPathScorer, config: ProcessorConfig, batches: Batches, readings: int, repeats: int
) -> tuple[float, str]:
    """Median CPU µs per reading over ``repeats`` fresh processors, and the outputs' digest."""
    cpu, digests = [], set()
    for _ in range(repeats):
        processor = BatchProcessor(scorer, config, clock=lambda: CLOCK)
        began = time.process_time()
        outputs = run_batches(processor, batches)
        cpu.append(time.process_time() - began)
        digests.add(digest(outputs))
    if len(digests) != 1:
        raise RuntimeError(f"the outputs differ between repeats: {sorted(digests)}")
    return statistics.median(cpu) / readings * 1e6, digests.pop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", type=Path, default=None, help="package (default: settings)")
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--digest", action="store_true", help="print the outputs' sha256")
    parser.add_argument("--profile", action="store_true", help="print a cProfile top list")
    args = parser.parse_args(argv)
    settings = repo_settings()
    if args.model is not None:
        settings = settings.model_copy(update={"model_path": anchored(args.model)})
    scorer = FloodPathScorer(load_package(settings.model_path))
    single_threaded_blas()  # as the worker
    simulations = simulate_for(args.readings)
    results: dict[str, dict[str, object]] = {}
    for name in args.case or CASES:
        pack_size, batch_readings = CASES[name]
        batches, held = case_batches(simulations, args.readings, pack_size, batch_readings)
        gc.freeze()  # as the worker after start-up: the collector skips the input held here
        tuned = settings
        if pack_size > 1:
            tuned = settings.model_copy(update=pack_settings_update(pack_size))
        config = ProcessorConfig.from_settings(tuned)
        us, sha = measure(scorer, config, batches, held, args.repeats)
        results[name] = {"cpu_us_per_reading": round(us, 2), "readings": held}
        if args.digest:
            results[name]["sha256"] = sha
        print(f"{name:12s} {us:8.2f} µs/reading  ({held:,} readings, {len(batches)} batches)")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(run_batches, BatchProcessor(scorer, config, lambda: CLOCK), batches)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    if args.digest:
        print("digest", digest([json.dumps(results[n]["sha256"]).encode() for n in results]))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
