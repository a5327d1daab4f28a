"""Readings held back on an offset gap whose read failed are processed again without waiting
for another message of their partition (issue 14: a run stopped counting at the end of its
backlog)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from converters.model_package import load_package
from stream_app.batch_runner import BatchRunner
from stream_app.gap_reader import GapReader
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer
from stream_app.state.partition_checkpoint import PartitionCheckpoint
from tests.fixtures.broker import TopicFactory
from tests.integration.stream_app.kafka_io import produce
from tests.unit.stream_app.readings import TOY_GAUGES, reading_bytes

pytestmark = pytest.mark.integration


class _Sent:
    """An output topic of the runner: what was sent to it (the delivery is already done)."""

    def __init__(self) -> None:
        self.values: list[bytes] = []

    async def send(self, *, key: bytes, value: bytes, force: bool) -> asyncio.Future[None]:
        self.values.append(value)
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


class _Event:
    """The stream event a record came with (the runner writes table entries under it)."""


def _records(topic: str, messages: list[tuple[bytes, bytes]], offsets: range) -> list[Any]:
    event = _Event()
    return [SourceRecord(topic, 0, o, *messages[o], context=event) for o in offsets]


def test_held_readings_are_processed_once_the_gap_can_be_read(
    kafka_bootstrap: str, make_topic: TopicFactory, toy_package: Path
) -> None:
    """Offsets 3-4 are missing from a batch of 5-11 and the first read of them fails: 5-11 are
    held and counted nowhere; retry_held reads 3-4 back and counts all 12 readings once."""
    topic = make_topic("held", partitions=1)
    messages = [(b"toy", reading_bytes(g, s)) for s in range(4) for g in TOY_GAUGES]
    produce(kafka_bootstrap, topic, messages)
    processor = BatchProcessor(FloodPathScorer(load_package(toy_package)), ProcessorConfig())
    checkpoints: dict[bytes, bytes] = {}
    unreachable = GapReader({"bootstrap.servers": "127.0.0.1:9", "socket.timeout.ms": "1000"}, 2)
    predictions = _Sent()
    runner = BatchRunner(predictions, _Sent(), checkpoints, {}, unreachable, lambda r: None)  # type: ignore[arg-type]
    first = _records(topic, messages, range(3))
    later = _records(topic, messages, range(5, len(messages)))

    async def scenario() -> tuple[Any, Any, Any]:
        counted = await runner.run(processor, first, {})
        held = await runner.run(processor, later, {})
        runner.gap_reader = GapReader({"bootstrap.servers": kafka_bootstrap}, timeout=30)
        try:
            retried = await runner.retry_held(processor)
            again = await runner.retry_held(processor)
        finally:
            runner.gap_reader.close()
            unreachable.close()
        return counted, held, (retried, again)

    counted, held, (retried, again) = asyncio.run(scenario())
    assert (counted.held, held.held, held.gaps) == (0, len(later), {0: 3})
    assert retried is not None and (retried.held, retried.gaps) == (0, {})
    assert again is None  # nothing is held any more
    totals = PartitionCheckpoint.from_bytes(checkpoints[b"0"]).counts
    assert (totals.total, totals.offset) == (len(messages), len(messages) - 1)
    assert totals.scored + totals.pending == len(messages)
