"""The bare faust latency floor: when an agent's stream yields each reading, no work done.

The worker's latency is held against it: no faust agent on this machine sees a reading sooner,
before any micro-batch, processing, or the prediction's way out. The agent runs in a subprocess
(``python -m bench._faust_latency_floor``) on the worker's event loop, with a fresh group, and
notes for every event its CreateTime and the wall time its stream yielded it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from confluent_kafka.admin import AdminClient, NewTopic

from bench._agent_process import agent_process
from bench._latency import LATENCY_WARMUP_S, live_gauges, percentile, publish_for
from floodcast.catchment import Simulation
from floodcast.emulator import KafkaPublisher, MessagePlanner
from stream_app.kafka import create_topics

LATENCY_FLOOR_DEFINITION = (
    "A faust-streaming app with one agent on the readings topic (raw bytes) that only notes, "
    "for every event, the wall time its stream yielded it (at-least-once, the worker's event "
    "loop), fed by the gauges' producer at the worker's latency rate. Latency = that time - "
    "the reading's CreateTime; the same warm-up is left out. The worker's latency adds its "
    "batch, its processing, the prediction's send and the consumer hop to this."
)

_READY_NAME = "ready"
_SAMPLES_NAME = "samples.jsonl"
_FLUSH_SECONDS = 0.5


def faust_latency_floor_run(
    bootstrap: str,
    simulations: Sequence[Simulation],
    scratch: Path,
    *,
    rate: float,
    seconds: float,
    partitions: int,
    event_loop: str,
    timeout: float = 120.0,
) -> dict[str, float]:
    """Feed the bare agent ``rate`` readings/s for ``seconds``; its latency percentiles.

    Returns:
        ``to_agent_{p50,p90,p99,max}_ms`` and ``events`` (after the warm-up).

    Raises:
        RuntimeError: the agent did not start within ``timeout`` or saw nothing.
    """
    run_id = uuid.uuid4().hex[:8]
    source = f"bench-floor-in-{run_id}"
    create_topics(
        AdminClient({"bootstrap.servers": bootstrap}), [NewTopic(source, partitions, 1)], timeout=30
    )
    folder = scratch / f"faust-latency-floor-{run_id}"
    folder.mkdir()
    args = [
        sys.executable,
        "-m",
        "bench._faust_latency_floor",
        f"--bootstrap={bootstrap}",
        f"--source={source}",
        f"--partitions={partitions}",
        f"--event-loop={event_loop}",
        f"--folder={folder}",
    ]
    with agent_process(args, folder / "agent.log", folder / _READY_NAME, timeout):
        config = live_gauges(source, rate, partitions)
        publisher = KafkaPublisher(bootstrap, config.producer)
        try:
            _, began = publish_for(MessagePlanner(simulations, config), publisher, seconds)
        finally:
            publisher.close()
        time.sleep(1.0 + _FLUSH_SECONDS)  # the last events' way in, and the agent's notes
    samples = [json.loads(line) for line in (folder / _SAMPLES_NAME).read_text().splitlines()]
    return _stats(samples, after=began + LATENCY_WARMUP_S)


def _stats(samples: Sequence[Sequence[float]], *, after: float) -> dict[str, float]:
    """Percentiles of (created, yielded) samples of readings created after ``after``."""
    values = [(yielded - created) * 1000 for created, yielded in samples if created >= after]
    if not values:
        raise RuntimeError("the faust latency floor agent saw nothing after the warm-up")
    stats: dict[str, float] = {"events": len(values)}
    for label, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99)):
        stats[f"to_agent_{label}_ms"] = round(percentile(values, q), 1)
    stats["to_agent_max_ms"] = round(max(values), 1)
    return stats


def _agent_main(argv: list[str] | None = None) -> None:
    """The subprocess: a bare faust app whose agent notes when it saw each event."""
    parser = argparse.ArgumentParser()
    for name in ("bootstrap", "source", "event-loop", "folder"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--partitions", type=int, required=True)
    args = parser.parse_args(argv)

    import mode.loop

    mode.loop.use(args.event_loop)  # before faust creates its loop, as the worker does
    import faust

    folder = Path(args.folder)
    app = faust.App(
        f"bench-faust-latency-floor-{folder.name}",
        broker=";".join(f"kafka://{s.strip()}" for s in args.bootstrap.split(",")),
        store="memory://",
        topic_partitions=args.partitions,
        processing_guarantee="at_least_once",
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        web_enabled=False,
        autodiscover=False,
        datadir=str(folder / "data"),
    )
    source = app.topic(
        args.source,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
    )
    notes: list[str] = []

    @app.agent(source, name="note")
    async def note(stream: faust.StreamT) -> None:
        async for event in stream.events():
            notes.append(f"[{event.message.timestamp}, {time.time()}]")

    @app.timer(interval=_FLUSH_SECONDS)
    async def flush() -> None:
        if notes:
            with (folder / _SAMPLES_NAME).open("a") as out:
                out.write("\n".join(notes) + "\n")
            notes.clear()

    @app.on_partitions_assigned.connect
    async def ready(app: faust.App, assigned: set, **kwargs: object) -> None:
        if assigned:
            (folder / _READY_NAME).touch()

    worker = faust.Worker(app, loglevel="warning", quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()


if __name__ == "__main__":
    _agent_main()
