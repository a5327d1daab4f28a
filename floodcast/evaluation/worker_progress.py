"""Flow control on the worker's accounting: the evaluation's playback keeps its inputs aligned.

The worker reads the readings, river-levels and rain-forecasts topics independently; replayed
at full speed it would read days of rain ahead of the river levels, beyond the 6 h of event time
a slot waits for its stage, and dead-letter the levels as too late (issue 11). Played chunk-wise
(``FlowControl``) and held back here, a chunk's rain goes out only once the worker has read every
river level and forecast sent so far, so each slot has its stage and forecast before its rain
closes it, as the batch features assume; and a chunk's side inputs go out only once the worker
has read the rain of the chunk before the previous one, so its backlog stays within two chunks.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Protocol

from rich.console import Console

from floodcast.emulator import FlowControl
from floodcast.evaluation.exceptions import IncompletePlaybackError
from stream_app.accounting.partition_counts import PartitionCounts

__all__ = ["Accounting", "Worker", "WorkerProgress"]


class Accounting(Protocol):
    """The worker's accounting as followed (``monitoring.signals.AccountingTail``)."""

    def poll(self, budget: float = 0.5) -> PartitionCounts:
        """Read what changed; the rain readings' totals."""
        ...

    def side_totals(self, topic: str) -> PartitionCounts:
        """A side-input topic's totals."""
        ...


class Worker(Protocol):
    """The worker process (``floodcast.worker_process.WorkerProcess``)."""

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        ...

    def log_tail(self, lines: int = 40) -> str:
        """The end of its log."""
        ...


_READINGS_PER_SECOND_FLOOR = 100.0
"""The slowest worker a wait allows for (a loaded 2-core machine does several hundred)."""
_WAIT_SECONDS = 120.0
"""Allowed on top of the outstanding messages' share, for start-up and a rebalance."""
_PROGRESS_SECONDS = 15.0


class WorkerProgress(FlowControl):
    """Waits until the worker's accounting covers what was sent (per topic).

    Args:
        accounting: the worker's accounting changelog, followed.
        worker: the worker process (a stopped worker fails the wait at once).
        console: where progress is told.
        readings_topic: the rain readings' topic.
        side_topics: the side-input topics played (river levels, rain forecasts).
        chunk_steps: steps per chunk.
    """

    def __init__(
        self,
        accounting: Accounting,
        worker: Worker,
        console: Console,
        *,
        readings_topic: str,
        side_topics: Sequence[str],
        chunk_steps: int = FlowControl.chunk_steps,
    ) -> None:
        self.accounting = accounting
        self.worker = worker
        self.console = console
        self.readings_topic = readings_topic
        self.side_topics = tuple(side_topics)
        self.chunk_steps = chunk_steps
        self._rain_before_previous = 0
        """Readings sent before the previous chunk."""
        self._next_report = time.monotonic() + _PROGRESS_SECONDS
        self.waited_seconds = 0.0
        """Wall-clock time spent in the hooks."""

    def before_chunk(self, sent: Mapping[str, int]) -> None:
        """Wait for the rain of every chunk before the previous one."""
        target = self._rain_before_previous
        self._rain_before_previous = sent.get(self.readings_topic, 0)
        began = time.monotonic()
        self.wait_for(target, {})
        self.waited_seconds += time.monotonic() - began

    def before_rain(self, sent: Mapping[str, int]) -> None:
        """Wait for every river level and forecast sent so far."""
        began = time.monotonic()
        self.wait_for(0, {topic: sent.get(topic, 0) for topic in self.side_topics})
        self.waited_seconds += time.monotonic() - began

    def wait_for(self, readings: int, sides: Mapping[str, int]) -> PartitionCounts:
        """Poll the accounting until it counts ``readings`` rain readings and, per side topic,
        ``sides[topic]`` messages (scored, pending, deduplicated or dead-lettered).

        The worker sends a batch's predictions, and waits for the broker to have them, before
        it writes the batch's counts: once the counts cover a message, its predictions are on
        the topic.

        Returns:
            The rain readings' totals.

        Raises:
            IncompletePlaybackError: the worker stopped, or fell behind the slowest pace allowed.
        """
        outstanding = readings + sum(sides.values())
        deadline = time.monotonic() + _WAIT_SECONDS + outstanding / _READINGS_PER_SECOND_FLOOR
        while True:
            totals = self.accounting.poll(budget=1.0)
            missing = self._missing(totals, readings, sides)
            if not missing:
                return totals
            if not self.worker.running:
                raise IncompletePlaybackError(
                    f"the stream worker stopped:\n{self.worker.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise IncompletePlaybackError(f"the worker did not account in time for {missing}")
            if time.monotonic() > self._next_report:
                self._next_report += _PROGRESS_SECONDS
                self.console.print(f"the worker has accounted for {totals.total} readings")
            time.sleep(0.05)

    def _missing(
        self, totals: PartitionCounts, readings: int, sides: Mapping[str, int]
    ) -> str | None:
        """What the accounting lacks, as text; None when it covers everything asked."""
        lacking = []
        if totals.total < readings:
            lacking.append(f"{totals.total} of {readings} readings")
        for topic, expected in sides.items():
            counted = self.accounting.side_totals(topic).total
            if counted < expected:
                lacking.append(f"{counted} of {expected} messages of {topic}")
        return ", ".join(lacking) or None
