"""One consumed message, as the batch processor sees it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SourceRecord"]


@dataclass(frozen=True, slots=True, eq=False)
class SourceRecord:
    """Where a message came from and its raw key and value.

    ``context`` is opaque to the processor: the worker passes the stream event, so that it can
    write table entries under the event of the right source partition.
    """

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    context: object = None
