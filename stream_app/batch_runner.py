"""One micro-batch end to end: process it, deliver its messages, then checkpoint each partition.

The order makes a hard kill at any point safe (issue 12):

1. the batch processor works from the partitions' last checkpoints;
2. predictions and dead letters are sent and their delivery awaited;
3. each source partition's counts and basin states are written as one changelog record.

A kill before 3 loses no reading: the checkpoint still names the old offset, so the readings
are processed again and their messages sent again, the same ones (a prediction is identified
by ``FloodPathPrediction.prediction_id``, a dead letter by its source offset). A kill after 3
repeats nothing: the offsets are in the checkpoint. Offsets the stream skipped are read back
by a ``GapReader`` instead of being waited for.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager

import faust
from faust import streams
from faust.types import EventT

from stream_app.exceptions import GapReadError
from stream_app.gap_reader import GapReader
from stream_app.json_logging import log_event
from stream_app.processing import BatchProcessor, BatchResult, SourceRecord
from stream_app.state.partition_checkpoint import PartitionCheckpoint

__all__ = ["BatchRunner", "OffsetAck", "event_context"]

logger = logging.getLogger("stream_app")

OffsetAck = Callable[[Sequence[SourceRecord]], None]
"""``ack(records)``: tell the stream's consumer that records it never delivered are done."""

SideBacklog = Callable[[Sequence[SourceRecord]], Collection[int]]
"""``backlog(records)``: partitions whose side-input topics hold messages beyond ``records``
that the worker has not processed yet."""

_MAX_GAP_ROUNDS = 8

INLINE_MAX_RECORDS = 100
"""Batches up to this size are processed on the event loop: a few milliseconds of work that a
thread would only delay (the hand-off, and the GIL traded with the consuming loop every 5 ms).
Larger batches, a backlog's, go to a thread so that consuming goes on meanwhile."""


@contextmanager
def event_context(event: EventT) -> Iterator[None]:
    """Make ``event`` the current event of this task while the block runs.

    A Faust table write goes to the changelog partition of ``faust.current_event()``
    (``Table.partition_for_key`` in ``faust/tables/base.py``). ``Stream.take_events`` fills its
    buffer in a background task, so the agent that consumes a batch has no current event of its
    own, and one event per batch would be the wrong one for the other partitions. The variable
    is the context variable Faust's stream iterator itself sets (``faust/streams.py``,
    ``_current_event``); setting it here touches only the agent's task, never the buffering
    task's ``Stream.current_event``.
    """
    token = streams._current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        streams._current_event.reset(token)


class BatchRunner:
    """Runs micro-batches against the partition-checkpoint table.

    Args:
        predictions: the predictions topic.
        dead_letters: the dead-letter topic.
        checkpoints: table of ``PartitionCheckpoint`` bytes by ``str(partition)``.
        legacy_states: the basin-state table of older workers, read for a basin that has no
            state in its partition's checkpoint yet.
        gap_reader: reads offsets the stream skipped.
        ack: acknowledges records read by the gap reader to the stream's consumer.
        side_backlog: which partitions' river levels are still to be read (slots wait).
    """

    def __init__(
        self,
        predictions: faust.TopicT,
        dead_letters: faust.TopicT,
        checkpoints: faust.Table,
        legacy_states: faust.Table,
        gap_reader: GapReader,
        ack: OffsetAck,
        side_backlog: SideBacklog | None = None,
    ) -> None:
        self.predictions = predictions
        self.dead_letters = dead_letters
        self.checkpoints = checkpoints
        self.legacy_states = legacy_states
        self.gap_reader = gap_reader
        self.ack = ack
        self.side_backlog = side_backlog
        self._held: dict[tuple[str, int], list[SourceRecord]] = {}
        """Records held back on a gap, by (topic, partition), until a read of the gap succeeds."""
        self._lock = asyncio.Lock()

    async def run(
        self,
        processor: BatchProcessor,
        records: Sequence[SourceRecord],
        received: Mapping[bytes | None, float],
    ) -> BatchResult:
        """Process ``records``, filling any gap in their offsets from the broker.

        Records held back on a gap (its read failed) are remembered: a later batch of their
        partition reads the gap again, and so does :meth:`retry_held` when none comes.

        Args:
            processor: the batch processor (one model per batch).
            records: the batch, in consumption order.
            received: Kafka timestamp of each key's newest reading (prediction latency).

        Returns:
            Everything the batch produced; ``held`` counts records still waiting on a gap.
        """
        async with self._lock:
            result = await self._run(processor, records, received)
            for source in {(record.topic, record.partition) for record in records}:
                self._held.pop(source, None)  # the batch read the gap again
            for (topic, partition), start in result.gaps.items():
                self._held[(topic, partition)] = [
                    r
                    for r in records
                    if r.topic == topic and r.partition == partition and r.offset >= start
                ]
            return result

    async def retry_held(self, processor: BatchProcessor) -> BatchResult | None:
        """Process the records still held back on a gap again (reading the gap first).

        The stream has acknowledged them with their batch, so it never delivers them again:
        without this, readings held at the end of a backlog, or on a partition that goes
        quiet, would wait for the partition's next message.

        Returns:
            What the retry produced, or None when nothing was held.
        """
        if not self._held:
            return None
        records = [record for held in self._held.values() for record in held]
        return await self.run(processor, records, {})

    def forget(self, sources: Collection[tuple[str, int]]) -> None:
        """Drop the held records of ``(topic, partition)`` sources (revoked: their next owner
        reads them)."""
        for source in sources:
            self._held.pop(source, None)

    async def _run(
        self,
        processor: BatchProcessor,
        records: Sequence[SourceRecord],
        received: Mapping[bytes | None, float],
    ) -> BatchResult:
        result = await self._step(processor, records, (), received)
        total = result
        unread: dict[tuple[str, int], int] = {}  # gap start of gaps whose read failed
        unread_held = 0
        for _ in range(_MAX_GAP_ROUNDS):
            if not result.gaps:
                break
            step = BatchResult()
            for (topic, partition), start in sorted(result.gaps.items()):
                held = [
                    r
                    for r in records
                    if r.topic == topic and r.partition == partition and r.offset >= start
                ]
                filled = await self._fill(processor, held, start, received)
                if filled is not None:
                    _merge(step, filled)
                else:  # still held: the result must say so, or nothing tries again
                    unread[(topic, partition)] = start
                    unread_held += len(held)
            records = [r for r in records if (r.topic, r.partition) in step.gaps]
            result = step
            _merge(total, step)
        total.gaps = {**result.gaps, **unread}
        total.held = result.held + unread_held
        return total

    async def _fill(
        self,
        processor: BatchProcessor,
        held: list[SourceRecord],
        start: int,
        received: Mapping[bytes | None, float],
    ) -> BatchResult | None:
        """Read ``[start, held[0].offset)`` back, then process it and the held records."""
        first = held[0]
        try:
            gap = await asyncio.to_thread(
                self.gap_reader.read,
                first.topic,
                first.partition,
                start,
                first.offset,
                first.context,
            )
        except GapReadError as exc:  # the held records wait; the next batch tries again
            log_event(logger, "offset_gap_unread", logging.WARNING, error=str(exc))
            return None
        self.ack(gap.records)
        log_event(
            logger,
            "offset_gap_filled",
            logging.WARNING,
            topic=first.topic,
            partition=first.partition,
            start=start,
            end=first.offset,
            read=len(gap.records),
            complete=gap.complete,
        )
        # an incomplete read proves the rest of the range is not in the log: accept it up to
        # the first delivered record, and no further
        accept = () if gap.complete else ((first.topic, first.partition),)
        result = await self._step(processor, [*gap.records, first], accept, received)
        _merge(result, await self._step(processor, held[1:], (), received))
        return result

    async def _step(
        self,
        processor: BatchProcessor,
        records: Sequence[SourceRecord],
        accept_gaps: Collection[tuple[str, int]],
        received: Mapping[bytes | None, float],
    ) -> BatchResult:
        if not records:
            return BatchResult()
        # the tables are read here, on the event loop; the processor runs in a thread on copies
        home = {record.key: record.partition for record in records}
        stored = {
            str(partition): self.checkpoints.get(str(partition).encode())
            for partition in {record.partition for record in records}
        }
        legacy = {key: self.legacy_states.get(key) for key in home if key is not None}
        loaded: dict[int, PartitionCheckpoint] = {}

        def checkpoint(partition: int) -> PartitionCheckpoint:
            found = loaded.get(partition)
            if found is None:
                found = loaded[partition] = PartitionCheckpoint.from_bytes(stored[str(partition)])
            return found

        def load_state(basin_id: str) -> bytes | None:
            key = basin_id.encode()
            partition = home.get(key)
            state = checkpoint(partition).states.get(basin_id) if partition is not None else None
            return state if state is not None else legacy.get(key)

        backlog = self.side_backlog(records) if self.side_backlog is not None else ()
        process = functools.partial(
            processor.process,
            records,
            load_state,
            stored.get,
            accept_gaps=accept_gaps,
            side_backlog=backlog,
        )
        if len(records) <= INLINE_MAX_RECORDS:
            result = process()
        else:
            # ONNX Runtime and NumPy release the GIL: the stream goes on consuming meanwhile
            result = await asyncio.to_thread(process)
        await self._deliver(result, received)
        for partition, (_, counts) in result.partition_counts.items():
            checkpoint(partition).counts = counts
        for (topic, partition), (_, counts) in result.side_counts.items():
            checkpoint(partition).side[topic] = counts
        for basin_id, (record, state) in result.basin_states.items():
            checkpoint(record.partition).states[basin_id] = state
        for partition, (record, _) in result.partition_counts.items():
            with event_context(record.context):  # type: ignore[arg-type]
                self.checkpoints[str(partition).encode()] = checkpoint(partition).to_bytes()
        return result

    async def _deliver(self, result: BatchResult, received: Mapping[bytes | None, float]) -> None:
        """Send the batch's dead letters and predictions and wait until the broker has them."""
        now = time.time()
        sent: list[Awaitable[object]] = []
        for record, letter in result.dead_letters:
            sent.append(
                await self.dead_letters.send(
                    key=record.key, value=letter.model_dump_json().encode(), force=True
                )
            )
            log_event(
                logger,
                "dead_letter",
                reason=letter.reason.value,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                detail=letter.detail[:300],
            )
        for prediction in result.predictions:
            key = prediction.basin_id.encode()
            sent.append(
                await self.predictions.send(
                    key=key, value=prediction.model_dump_json().encode(), force=True
                )
            )
            newest = received.get(key)
            log_event(
                logger,
                "prediction_issued",
                prediction_id=prediction.prediction_id,
                basin_id=prediction.basin_id,
                watermark=prediction.watermark.isoformat(),
                reaches=[reach.reach_id for reach in prediction.reaches],
                changed=prediction.changed,
                # the prediction's own model: right across a model swap between batches
                model_version=prediction.model.version,
                path_length=len(prediction.reaches),
                # from the newest reading of the basin reaching Kafka (None: not in this batch)
                latency_seconds=None if newest is None else round(max(now - newest, 0.0), 3),
            )
        if sent:
            await asyncio.gather(*sent)


def _merge(into: BatchResult, other: BatchResult) -> None:
    """Add ``other``'s outputs, tallies and open gaps to ``into``."""
    into.dead_letters += other.dead_letters
    into.predictions += other.predictions
    into.basin_states.update(other.basin_states)
    into.partition_counts.update(other.partition_counts)
    into.side_counts.update(other.side_counts)
    into.replayed += other.replayed
    into.slots_finalised += other.slots_finalised
    into.gaps = {**into.gaps, **other.gaps}
    into.held += other.held
