"""What the send loop needs from a publisher; ``KafkaPublisher`` is the real one."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

KeyValue = tuple[bytes, bytes]
"""A Kafka message's key and value."""


class Publisher(Protocol):
    """Sends messages and reports how many were handed over and how many failed."""

    @property
    def produced(self) -> int:
        """Messages handed over so far."""
        ...

    @property
    def failures(self) -> int:
        """Messages that failed delivery so far."""
        ...

    @property
    def delivery_errors(self) -> Sequence[str]:
        """The first few delivery errors, as text."""
        ...

    @property
    def settings(self) -> Mapping[str, str]:
        """The client configuration, for the report."""
        ...

    def send(self, topic: str, messages: Iterable[KeyValue]) -> int:
        """Send messages in order; return how many were handed over."""
        ...

    def wait(self, seconds: float, stop: threading.Event | None = None) -> bool:
        """Idle for ``seconds`` (serving callbacks); False when ``stop`` got set."""
        ...

    def flush(self, timeout_s: float | None = None) -> None:
        """Block until everything sent is acknowledged or failed."""
        ...
