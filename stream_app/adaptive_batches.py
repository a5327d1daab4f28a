"""Micro-batches that end as soon as nothing more is buffered: small under light load (no
waiting out the window), large under heavy load (the backlog fills them)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import faust
from faust.types import EventT

__all__ = ["adaptive_batches"]


async def adaptive_batches(
    stream: faust.StreamT, max_size: int, within: float
) -> AsyncIterator[Sequence[EventT]]:
    """Yield the stream's events in batches, like ``Stream.take_events``, but end a batch early.

    A batch ends when it holds ``max_size`` events, when ``within`` seconds passed, or as soon
    as the stream's channel holds no further event: the consumer has nothing more buffered,
    so waiting could only add latency. While a batch is being processed, new messages queue
    up in the channel and make the next batch larger: batch size follows the load.

    This is ``faust.Stream.take_events`` (faust-streaming 0.11) with that one extra condition;
    events are acknowledged after the caller has processed their batch, as there.

    Args:
        stream: the agent's stream.
        max_size: most events in one batch.
        within: longest wait for a batch to fill.

    Yields:
        The events of one batch, in arrival order.
    """
    impl: Any = stream  # faust's private stream API: processors, passive consumption, acks
    events: list[EventT] = []
    batch_ready = asyncio.Event()
    batch_taken = asyncio.Event()
    taking: asyncio.Future[None] | None = None
    acks_were_enabled = impl.enable_acks
    channel = stream.channel.__aiter__()

    async def add_to_batch(value: object) -> object:
        nonlocal taking
        if taking is not None:
            try:
                await taking
            finally:
                taking = None
        event = impl.current_event
        if event is None:
            raise RuntimeError("adaptive batch found no current event")
        events.append(event)
        if len(events) >= max_size:
            batch_ready.set()
            batch_taken.clear()
            await impl.wait(batch_taken)  # never more than max_size events in a batch
        elif channel.empty():
            batch_ready.set()
        return value

    impl.enable_acks = False
    impl.add_processor(add_to_batch)
    impl._enable_passive(channel)
    try:
        while not impl.should_stop:
            await impl.wait_for_stopped(batch_ready, timeout=within)
            if not events:
                continue
            taking = impl.loop.create_future()
            try:
                yield list(events)
            finally:
                for event in events:
                    await impl.ack(event)
                events.clear()
                if not taking.done():
                    taking.set_result(None)
                batch_ready.clear()
                batch_taken.set()
    finally:
        impl.enable_acks = acks_were_enabled
        impl._processors.remove(add_to_batch)
