"""One publisher per principal: flood observations go out as their own Kafka user (issue 13).

The gauges' principal may write readings only; the observations the accuracy alerts trust
are published by another principal, so the emulator that plays both sends each topic
through the publisher connected as its writer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence

from floodcast.emulator.publisher import KeyValue, Publisher

__all__ = ["RoutedPublisher"]


class RoutedPublisher:
    """Sends each topic through its own publisher, ``default`` for the rest.

    Args:
        default: the publisher of every topic not in ``routes``.
        routes: ``topic -> publisher`` for topics another principal writes.
    """

    def __init__(self, default: Publisher, routes: Mapping[str, Publisher]) -> None:
        self.default = default
        self.routes = dict(routes)

    def _all(self) -> list[Publisher]:
        return [self.default, *self.routes.values()]

    @property
    def produced(self) -> int:
        return sum(p.produced for p in self._all())

    @property
    def failures(self) -> int:
        return sum(p.failures for p in self._all())

    @property
    def delivery_errors(self) -> Sequence[str]:
        return [error for p in self._all() for error in p.delivery_errors]

    @property
    def settings(self) -> Mapping[str, str]:
        return self.default.settings

    def send(self, topic: str, messages: Iterable[KeyValue]) -> int:
        """Send through the topic's publisher."""
        return self.routes.get(topic, self.default).send(topic, messages)

    def wait(self, seconds: float, stop: threading.Event | None = None) -> bool:
        """Idle on the default publisher, then serve the others' callbacks."""
        going = self.default.wait(seconds, stop)
        for publisher in self.routes.values():
            publisher.wait(0.0)
        return going

    def flush(self, timeout_s: float | None = None) -> None:
        """Flush every publisher."""
        for publisher in self._all():
            publisher.flush(timeout_s)
