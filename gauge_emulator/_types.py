"""Type aliases shared across the emulator."""

from __future__ import annotations

KeyValue = tuple[bytes, bytes]
"""A Kafka message's key and value."""
