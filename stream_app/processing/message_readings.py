"""The readings one message carries: itself, or each record of a SenML pack."""

from __future__ import annotations

from collections.abc import Iterator

from schemas import GaugeReading, decode_message
from stream_app.processing.batch_records import SourceRecord

__all__ = ["ReadingOrError", "message_readings"]

ReadingOrError = GaugeReading | Exception
"""A validated reading, or why it cannot be used (raised again where it is routed)."""


def message_readings(
    record: SourceRecord, max_bytes: int
) -> Iterator[tuple[SourceRecord, ReadingOrError]]:
    """Each reading of a message, paired with the record it is accounted under.

    A single reading keeps ``record``; the readings of a pack get a copy of it with their
    ``index``, so that each one is counted and dead-lettered on its own (with the pack's bytes).
    A message that cannot be read at all yields ``record`` once, with the error. Never raises.

    Args:
        record: the consumed message.
        max_bytes: largest accepted message value.

    Yields:
        ``(record of the reading, reading or error)``.
    """
    try:
        decoded = decode_message(record.value, max_bytes=max_bytes)
    except Exception as exc:  # the whole message is one dead letter
        yield record, exc
        return
    topic, partition, offset, key, value = (
        record.topic,
        record.partition,
        record.offset,
        record.key,
        record.value,
    )
    for index, reading in decoded:
        if index is None:
            yield record, reading
        else:  # the constructor: dataclasses.replace costs several times as much per record
            yield SourceRecord(topic, partition, offset, key, value, record.context, index), reading
