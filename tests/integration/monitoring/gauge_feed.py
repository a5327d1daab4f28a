"""Toy-basin gauges reporting at a steady pace from a thread, with silences and bad bursts."""

from __future__ import annotations

import threading
from types import TracebackType

from confluent_kafka import Producer

from tests.unit.stream_app.readings import TOY_GAUGES, reading_bytes


class GaugeFeed:
    """Every ``period`` seconds, each unsilenced toy gauge sends its next 15-minute reading.

    Args:
        bootstrap: Kafka bootstrap servers.
        topic: the readings topic.
        period: wall seconds per event-time slot.
    """

    def __init__(self, bootstrap: str, topic: str, period: float = 0.05) -> None:
        self.topic = topic
        self.period = period
        self.silenced: set[str] = set()
        self.slot = 0
        self._paused = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
        self._thread = threading.Thread(target=self._run, name="gauge-feed", daemon=True)

    def start(self) -> GaugeFeed:
        self._thread.start()
        return self

    def pause(self) -> None:
        """Stop sending (and flush), until :meth:`resume`."""
        self._paused.set()
        with self._lock:
            self._producer.flush(10)

    def resume(self) -> None:
        self._paused.clear()

    def burst(self, count: int) -> None:
        """Send ``count`` malformed readings (not JSON) right now."""
        with self._lock:
            for i in range(count):
                self._producer.produce(self.topic, key=b"toy", value=b"{broken %d" % i)
            self._producer.flush(10)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self._producer.flush(10)

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            if self._paused.is_set():
                continue
            with self._lock:
                for gauge in TOY_GAUGES:
                    if gauge not in self.silenced:
                        value = reading_bytes(gauge, self.slot)
                        self._producer.produce(self.topic, key=b"toy", value=value)
                self._producer.poll(0)
                self.slot += 1

    def __enter__(self) -> GaugeFeed:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
