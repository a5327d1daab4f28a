"""publish_plan: pacing, stopping, ordering and the report, with an in-memory publisher."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest

from floodcast.catchment import Simulation, simulate
from floodcast.emulator import (
    EmulatorConfig,
    EmulatorProgress,
    FaultConfig,
    MessagePlanner,
    Pacing,
    publish_plan,
)
from tests.unit.gauge_emulator.planning import plan, readings


@dataclass
class RecordingPublisher:
    """Keeps every message with the time it was sent; can stop the run after some sends."""

    stop_after: int | None = None
    stop: threading.Event | None = None
    sent: list[tuple[str, bytes, bytes, float]] = field(default_factory=list)
    flushed: int = 0
    failures: int = 0
    delivery_errors: tuple[str, ...] = ()
    settings: dict[str, str] = field(default_factory=lambda: {"acks": "all"})

    @property
    def produced(self) -> int:
        return len(self.sent)

    def send(self, topic: str, messages: Iterable[tuple[bytes, bytes]]) -> int:
        before = len(self.sent)
        now = time.monotonic()
        self.sent.extend((topic, key, value, now) for key, value in messages)
        limit = self.stop_after
        if self.stop is not None and limit is not None and len(self.sent) >= limit:
            self.stop.set()
        return len(self.sent) - before

    def wait(self, seconds: float, stop: threading.Event | None = None) -> bool:
        if stop is not None:
            return not stop.wait(seconds)
        time.sleep(seconds)
        return True

    def flush(self, timeout_s: float | None = None) -> None:
        self.flushed += 1


def _planner(run: Simulation, **config: object) -> MessagePlanner:
    return MessagePlanner([run], EmulatorConfig(**config))


@pytest.fixture(scope="module")
def short_run(upland_run: Simulation) -> Simulation:
    """Two hours (8 steps) of the upland basin."""
    return simulate(upland_run.basin, days=2 / 24, seed=1)


def test_sends_the_plan_in_order_and_reports_it(upland_run: Simulation) -> None:
    """At max speed every planned message goes out in plan order, then one flush."""
    expected, _ = plan([upland_run], faults=FaultConfig.parse("duplicates=0.05,malformed=0.05"))
    publisher = RecordingPublisher()
    planner = _planner(upland_run, faults=FaultConfig.parse("duplicates=0.05,malformed=0.05"))
    report = publish_plan(planner, publisher)
    topic = planner.config.readings_topic
    sent = [(key, value) for t, key, value, _ in publisher.sent if t == topic]
    assert sent == readings(expected)
    assert publisher.flushed == 1
    assert report.readings_messages == len(sent)
    assert report.observations_sent == upland_run.n_steps
    assert report.produced == len(publisher.sent)
    assert report.steps_sent == report.steps_total == upland_run.n_steps
    assert not report.stopped
    assert report.first_observed_at == expected[0].observed_at
    assert report.last_observed_at == expected[-1].observed_at
    assert report.producer_settings == {"acks": "all"}


def test_rate_pacing_holds_the_rate(upland_run: Simulation) -> None:
    """At 2000 readings/s, the run's 768 readings take about 0.38 s, spread evenly."""
    publisher = RecordingPublisher()
    planner = _planner(upland_run, pacing=Pacing.rate(2000), observations=False, river_levels=False)
    began = time.monotonic()
    publish_plan(planner, publisher)
    elapsed = time.monotonic() - began
    sent = len(publisher.sent)
    assert sent == upland_run.n_steps * upland_run.basin.n_gauges
    assert sent / 2000 - 0.02 <= elapsed <= sent / 2000 + 0.5
    halfway = publisher.sent[sent // 2][3] - began
    assert halfway == pytest.approx(elapsed / 2, abs=0.1)


def test_speedup_pacing_spaces_the_steps(short_run: Simulation) -> None:
    """With a step every 15 min of event time at x18000, steps go out 50 ms apart."""
    publisher = RecordingPublisher()
    planner = _planner(
        short_run, pacing=Pacing.speedup(18000), observations=False, river_levels=False
    )
    publish_plan(planner, publisher)
    times = sorted({t for *_, t in publisher.sent})
    assert len(times) == 8
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert all(0.04 <= gap <= 0.2 for gap in gaps)
    assert times[-1] - times[0] >= 7 * 0.05 - 0.01


def test_stop_ends_the_run_between_steps_with_exact_counts(upland_run: Simulation) -> None:
    """Stopping mid-run sends whole steps only, and the report counts exactly what went out."""
    stop = threading.Event()
    publisher = RecordingPublisher(stop_after=40, stop=stop)
    planner = _planner(
        upland_run,
        faults=FaultConfig(late=0.2, duplicates=0.05),
        pacing=Pacing.rate(100_000),
        observations=False,
        river_levels=False,
    )
    report = publish_plan(planner, publisher, stop=stop)
    assert report.stopped
    assert 0 < report.steps_sent < report.steps_total
    assert report.readings_messages == len(publisher.sent)
    assert report.readings_total == report.steps_sent * upland_run.basin.n_gauges
    assert report.readings_total == report.valid_sent + report.late_unsent
    assert publisher.flushed == 1


def test_progress_is_reported_and_ends_on_the_last_step(short_run: Simulation) -> None:
    """Progress snapshots grow monotonically and the final one covers the whole run."""
    seen: list[EmulatorProgress] = []
    planner = _planner(short_run, pacing=Pacing.speedup(18_000), progress_interval_s=0.08)
    publish_plan(planner, RecordingPublisher(), progress=seen.append)
    assert len(seen) >= 2
    assert [p.steps_sent for p in seen] == sorted({p.steps_sent for p in seen})
    assert seen[-1].steps_sent == seen[-1].steps_total == short_run.n_steps
    assert seen[-1].readings_sent == short_run.n_steps * short_run.basin.n_gauges
    assert "step 8/8" in seen[-1].line()
