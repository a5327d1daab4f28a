"""Waiting for alerts on the ops-alerts topic."""

from __future__ import annotations

import time
from collections.abc import Callable

from floodcast.monitoring.signals import TopicTail
from schemas import OpsAlert


class AlertWatch:
    """Reads the alerts topic from its start and waits for particular transitions."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self._tail = TopicTail(bootstrap, topic)
        self.seen: list[OpsAlert] = []

    def wait_for(
        self,
        kind: str,
        state: str,
        timeout: float,
        match: Callable[[OpsAlert], bool] = lambda _: True,
    ) -> OpsAlert:
        """The first ``kind`` alert in ``state`` (matching ``match``), waiting for it.

        Raises:
            TimeoutError: none came within ``timeout``.
        """
        deadline = time.monotonic() + timeout
        while True:
            for alert in self.seen:
                if alert.kind == kind and alert.state == state and match(alert):
                    return alert
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {state} {kind} alert in {timeout} s; saw {self.seen}")
            self.seen += [OpsAlert.model_validate_json(m.value()) for m in self._tail.poll(0.3)]

    def wait_all(self, seconds: float = 0.5) -> list[OpsAlert]:
        """Every alert published so far (reading for ``seconds`` more)."""
        self.seen += [OpsAlert.model_validate_json(m.value()) for m in self._tail.poll(seconds)]
        return self.seen

    def close(self) -> None:
        self._tail.close()
