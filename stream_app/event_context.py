"""Run table writes as if a given stream event were the one being processed."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from faust import streams
from faust.types import EventT

__all__ = ["event_context"]


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
