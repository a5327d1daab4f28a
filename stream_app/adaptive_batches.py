"""Micro-batches that end as soon as no further event arrives: small under light load (no
waiting out the window), large under heavy load (the backlog fills them)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

import faust
from faust.types import EventT

__all__ = ["IDLE_SECONDS", "adaptive_batches"]

IDLE_SECONDS = 0.001
"""A batch ends after this long without a new event: the events of one fetch follow one
another within microseconds, so a millisecond of quiet means the buffered burst has been read."""


class _Buffer:
    """The events of the batch being filled; the stream's processor adds to it.

    Two batches at most are held: the one the agent processes and the one the stream fills
    meanwhile, so consuming goes on while a batch is scored and delivered (issue 14).
    """

    def __init__(self, stream: Any, max_size: int) -> None:
        self.stream = stream
        self.max_size = max_size
        self.events: list[EventT] = []
        self.full = asyncio.Event()
        self.room = asyncio.Event()
        self.room.set()
        self.first_at = 0.0

    async def add(self, value: object) -> object:
        """Stream processor: add the current event; wait while the batch is full."""
        event = self.stream.current_event
        if event is None:
            raise RuntimeError("adaptive batch found no current event")
        if not self.events:
            self.first_at = time.monotonic()
        self.events.append(event)
        if len(self.events) >= self.max_size:
            self.full.set()
            self.room.clear()
            await self.stream.wait(self.room)  # never more than max_size events in a batch
        return value

    def take(self) -> list[EventT]:
        """The filled batch; the stream starts filling the next one at once."""
        batch, self.events = self.events, []
        self.full.clear()
        self.room.set()
        return batch

    async def release(self, batch: list[EventT]) -> None:
        """Acknowledge a processed batch (after the one before it: offsets commit in order)."""
        for event in batch:
            await self.stream.ack(event)


async def adaptive_batches(
    stream: faust.StreamT, max_size: int, within: float, idle: float = IDLE_SECONDS
) -> AsyncIterator[Sequence[EventT]]:
    """Yield the stream's events in batches, like ``Stream.take_events``, but end a batch early.

    A batch ends when it holds ``max_size`` events, when ``within`` seconds passed since its
    first event, or as soon as ``idle`` seconds went by without a further event: the consumer
    has nothing more buffered, so waiting could only add latency. Under a backlog, events keep
    arriving while a batch fills, so it grows to ``max_size``: batch size follows the load.

    This is ``faust.Stream.take_events`` (faust-streaming 0.11) with that extra condition,
    and one more difference: the stream fills the next batch while the caller processes this
    one (take_events stops consuming meanwhile). Events are acknowledged after the caller has
    processed their batch, as there.

    Args:
        stream: the agent's stream.
        max_size: most events in one batch.
        within: longest wait for a batch to fill.
        idle: a batch ends after this long without a new event.

    Yields:
        The events of one batch, in arrival order.
    """
    impl: Any = stream  # faust's private stream API: processors, passive consumption, acks
    buffer = _Buffer(impl, max_size)
    acks_were_enabled = impl.enable_acks
    impl.enable_acks = False
    impl.add_processor(buffer.add)
    impl._enable_passive(stream.channel.__aiter__())
    seen = 0
    try:
        while not impl.should_stop:
            await impl.wait_for_stopped(buffer.full, timeout=idle)
            size = len(buffer.events)
            in_window = time.monotonic() - buffer.first_at < within
            if size > seen and not buffer.full.is_set() and in_window:
                seen = size  # still growing: give it another idle period
                continue
            if not size:
                continue
            seen = 0
            batch = buffer.take()
            try:
                yield batch
            finally:
                await buffer.release(batch)
    finally:
        impl.enable_acks = acks_were_enabled
        impl._processors.remove(buffer.add)
