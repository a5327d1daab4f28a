"""The bare faust agent floor: ``take_events`` of the worker's batch size and window, no work.

Every worker figure of the bench is held against it: no faust agent on this machine reads
single-reading messages faster, so a worker near it spends little of its own. The agent runs
in a subprocess (``python -m bench._faust_floor``) on the same event loop as the worker, with
a fresh group; it reads the whole pre-published topic and writes its timing as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path

from bench._agent_process import agent_process

FLOOR_DEFINITION = (
    "A faust-streaming app with one agent on the readings topic (raw bytes) that only counts "
    "the events of stream.take_events(batch_size, within=batch_window_seconds), the worker's "
    "settings and event loop, at-least-once (events acknowledged as the worker's are). Timed as "
    "the worker: from the end of its first batch to the batch after which it counted all "
    "messages; CPU is the process's (all threads) over the same window."
)


def faust_floor_run(
    bootstrap: str,
    topic: str,
    expected: int,
    scratch: Path,
    *,
    batch_size: int,
    within: float,
    event_loop: str,
    partitions: int,
    timeout: float = 300.0,
) -> dict[str, float]:
    """Run the bare agent over ``topic`` (``expected`` messages) once; its rate and CPU.

    Returns:
        ``messages_per_s``, ``cpu_us_per_message``, ``timed_messages``, ``timed_seconds``.

    Raises:
        RuntimeError: the agent did not count ``expected`` messages within ``timeout``.
    """
    out = scratch / f"faust-floor-{uuid.uuid4().hex[:8]}.json"
    args = [
        sys.executable,
        "-m",
        "bench._faust_floor",
        f"--bootstrap={bootstrap}",
        f"--topic={topic}",
        f"--expected={expected}",
        f"--batch-size={batch_size}",
        f"--within={within}",
        f"--event-loop={event_loop}",
        f"--partitions={partitions}",
        f"--data-dir={scratch}",
        f"--out={out}",
    ]
    with agent_process(args, scratch / f"{out.stem}.log", out, timeout):
        pass
    return json.loads(out.read_text())


def _agent_main(argv: list[str] | None = None) -> None:
    """The subprocess: a bare faust app whose agent counts events and reports its timing."""
    parser = argparse.ArgumentParser()
    for name in ("bootstrap", "topic", "event-loop", "data-dir", "out"):
        parser.add_argument(f"--{name}", required=True)
    for name in ("expected", "batch-size", "partitions"):
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--within", type=float, required=True)
    args = parser.parse_args(argv)

    import mode.loop

    mode.loop.use(args.event_loop)  # before faust creates its loop, as the worker does
    import faust

    app_id = f"bench-faust-floor-{uuid.uuid4().hex[:8]}"
    app = faust.App(
        app_id,
        broker=";".join(f"kafka://{s.strip()}" for s in args.bootstrap.split(",")),
        store="memory://",
        topic_partitions=args.partitions,
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        web_enabled=False,
        autodiscover=False,
        datadir=str(Path(args.data_dir) / app_id),
    )
    topic = app.topic(
        args.topic, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
    )
    out = Path(args.out)
    seen = 0
    first: tuple[float, int, float] | None = None

    @app.agent(topic, name="floor")
    async def count(stream: faust.StreamT) -> None:
        nonlocal seen, first
        async for events in stream.take_events(args.batch_size, within=args.within):
            seen += len(events)
            if first is None:
                first = (time.time(), seen, time.process_time())
            elif seen >= args.expected and not out.exists():
                seconds = time.time() - first[0]
                timed = seen - first[1]
                cpu = time.process_time() - first[2]
                result = {
                    "messages_per_s": round(timed / seconds, 1),
                    "cpu_us_per_message": round(cpu / timed * 1e6, 1),
                    "timed_messages": timed,
                    "timed_seconds": round(seconds, 3),
                    "pid": os.getpid(),
                }
                partial = out.with_suffix(".part")
                partial.write_text(json.dumps(result))
                partial.rename(out)

    worker = faust.Worker(app, loglevel="warning", quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()


if __name__ == "__main__":
    _agent_main()
