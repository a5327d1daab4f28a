"""The chaos run's input: storm readings with repeats and malformed messages, sent at a pace."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Sequence

from bench._readings import KeyValue, planned_readings, simulate_for
from floodcast.emulator import KafkaPublisher, ProducerTuning

__all__ = ["PacedFeed", "storm_messages"]

REPEAT_SHARE = 0.01
"""Share of readings sent twice (the repeat a few messages later): each one deduplicated."""
MALFORMED_SHARE = 0.005
"""Share of messages that are not JSON: each one dead-lettered."""


def storm_messages(readings: int, seed: int) -> list[KeyValue]:
    """``readings`` simulated storm readings of the built-in basins, plus repeats and garbage.

    Repeats and garbage are kinds whose outcome does not depend on how the stream is cut into
    micro-batches, so the offline reference holds for any run.
    """
    # a seeded, repeatable fault schedule: not a secret (bandit B311)
    rng = random.Random(seed)  # nosec B311
    clean = planned_readings(simulate_for(readings, seed=seed), readings)
    messages: list[KeyValue] = []
    repeats: list[tuple[int, KeyValue]] = []
    for message in clean:
        messages.append(message)
        if rng.random() < REPEAT_SHARE:
            repeats.append((len(messages) + rng.randrange(1, 20), message))
        if rng.random() < MALFORMED_SHARE:
            messages.append((message[0], b"{not json %d" % len(messages)))
        while repeats and repeats[0][0] <= len(messages):
            messages.append(repeats.pop(0)[1])
    messages.extend(message for _, message in repeats)
    return messages


class PacedFeed:
    """Publishes ``messages`` in order at ``rate`` per second from a thread, until stopped.

    Args:
        bootstrap: the broker (direct listener).
        topic: the readings topic.
        messages: what to send, in order; a stopped feed has sent a prefix of it.
        rate: messages per second.
    """

    def __init__(self, bootstrap: str, topic: str, messages: Sequence[KeyValue], rate: float):
        self.topic = topic
        self.messages = messages
        self.rate = rate
        self.sent = 0
        # rides out a broker restart, which takes longer than the emulator's 30 s on a busy machine
        self._publisher = KafkaPublisher(bootstrap, ProducerTuning(message_timeout_ms=300_000))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chaos-feed", daemon=True)

    def start(self) -> PacedFeed:
        self._thread.start()
        return self

    @property
    def finished(self) -> bool:
        return self.sent >= len(self.messages) or self._stop.is_set()

    def stop(self) -> list[KeyValue]:
        """Stop sending, wait for every sent message's delivery, and return those sent.

        Raises:
            RuntimeError: a message failed delivery (the run's input would be unknown).
        """
        self._stop.set()
        self._thread.join()
        self._publisher.flush()
        self._publisher.close()
        if self._publisher.failures:
            raise RuntimeError(f"{self._publisher.failures} readings failed delivery")
        return list(self.messages[: self.sent])

    def _run(self) -> None:
        began = time.monotonic()
        chunk = max(1, int(self.rate / 20))
        while self.sent < len(self.messages) and not self._stop.is_set():
            due = began + self.sent / self.rate
            pause = due - time.monotonic()
            if pause > 0:
                self._stop.wait(pause)
                continue
            batch = self.messages[self.sent : self.sent + chunk]
            self._publisher.send(self.topic, batch)
            self.sent += len(batch)
