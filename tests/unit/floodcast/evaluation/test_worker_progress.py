"""WorkerProgress: the evaluation's playback waits on the worker's accounting (issue 11)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from rich.console import Console

from floodcast.evaluation import IncompletePlaybackError, WorkerProgress
from stream_app.accounting.partition_counts import PartitionCounts

READINGS, LEVELS, FORECASTS = "readings", "river-levels", "rain-forecasts"


@dataclass
class ConsumingAccounting:
    """Accounting of a worker that reads ``rate`` more messages of each topic per poll, up to
    what was published to it (``published``)."""

    rate: int
    published: dict[str, int] = field(default_factory=dict)
    read: dict[str, int] = field(default_factory=dict)
    polls: int = 0

    def poll(self, budget: float = 0.5) -> PartitionCounts:
        self.polls += 1
        for topic, count in self.published.items():
            self.read[topic] = min(count, self.read.get(topic, 0) + self.rate)
        return self._counts(READINGS)

    def side_totals(self, topic: str) -> PartitionCounts:
        return self._counts(topic)

    def _counts(self, topic: str) -> PartitionCounts:
        return PartitionCounts(scored=self.read.get(topic, 0))


@dataclass
class Process:
    running: bool = True

    def log_tail(self, lines: int = 40) -> str:
        return "worker log: killed"


def _progress(accounting: ConsumingAccounting, worker: Process | None = None) -> WorkerProgress:
    return WorkerProgress(
        accounting,
        worker or Process(),
        Console(file=io.StringIO()),
        readings_topic=READINGS,
        side_topics=(LEVELS, FORECASTS),
    )


def test_a_chunk_waits_for_the_rain_of_the_chunk_before_the_previous() -> None:
    """Before chunk k the worker must have read the rain sent before chunk k - 1, not more:
    the first two chunks go at once, the third once the first chunk's rain is read."""
    accounting = ConsumingAccounting(rate=0)  # reads nothing: a wait would never end
    progress = _progress(accounting)
    progress.before_chunk({})
    accounting.published[READINGS] = 100
    progress.before_chunk({READINGS: 100})
    accounting.published[READINGS], accounting.rate = 250, 10
    polls = accounting.polls
    progress.before_chunk({READINGS: 250})
    assert accounting.read[READINGS] == 100, "stops waiting once chunk 1's rain is read"
    assert accounting.polls - polls == 10


def test_the_rain_waits_for_every_side_message_sent() -> None:
    """A chunk's rain goes out only once every river level and forecast sent is accounted for."""
    accounting = ConsumingAccounting(rate=7, published={LEVELS: 40, FORECASTS: 3})
    progress = _progress(accounting)
    progress.before_rain({READINGS: 500, LEVELS: 40, FORECASTS: 3})
    assert accounting.read == {LEVELS: 40, FORECASTS: 3}
    assert accounting.polls == 6  # ceil(40 / 7): the slower topic decides
    assert progress.waited_seconds > 0


def test_a_stopped_worker_ends_the_wait() -> None:
    """A worker that died cannot catch up: the wait fails at once with its log."""
    accounting = ConsumingAccounting(rate=0, published={LEVELS: 1})
    progress = _progress(accounting, Process(running=False))
    with pytest.raises(IncompletePlaybackError, match="worker log: killed"):
        progress.before_rain({LEVELS: 1})
