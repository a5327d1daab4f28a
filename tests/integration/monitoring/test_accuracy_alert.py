"""The monitor's accuracy tracker fires accuracy_drop on ops-alerts for bad predictions (and
not for good ones), verifying them against flood observations on a real broker."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from datetime import timedelta

import pytest
from confluent_kafka import Producer

from floodcast.monitoring import KafkaAlertChannel, Monitor, MonitorReport
from schemas import FloodObservation, FloodPathPrediction
from schemas.settings import Settings
from tests.fixtures.broker import TopicFactory
from tests.integration.monitoring.alert_watch import AlertWatch
from tests.unit.monitoring.accuracy_messages import REACHES, STEP, T0, observations, prediction

pytestmark = pytest.mark.integration

GOOD = {"A": 0.9, "B": 0.9}
"""Warns exactly the reaches that flood."""
BAD = {"C": 0.9, "D": 0.9}
"""Warns the two dry reaches and misses the flooded ones."""


@pytest.fixture
def accuracy_settings(monitor_settings: Settings, make_topic: TopicFactory) -> Settings:
    """Fast alert timings, per-test topics, a window of two predictions of the toy basin."""
    return monitor_settings.model_copy(
        update={
            "topic_predictions": make_topic("it-acc-predictions"),
            "topic_observations": make_topic("it-acc-observations"),
            "topic_alerts": make_topic("it-acc-alerts"),
            "accuracy_window_forecasts": 2 * len(REACHES),
            "accuracy_min_forecasts": 2 * len(REACHES),
            "alert_accuracy_csi": 0.5,
            "alert_accuracy_brier": 0.1,
        }
    )


class RunningMonitor:
    """A :class:`Monitor` polling in a thread, with the reports of its rounds."""

    def __init__(self, settings: Settings) -> None:
        channel = KafkaAlertChannel(settings.bootstrap_servers, settings.topic_alerts)
        self.monitor = Monitor(settings, [channel])
        self.reports: list[MonitorReport] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self.monitor.run, args=(self.stop, self.reports.append), daemon=True
        )

    def wait_for_rounds(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        target = len(self.reports) + count
        while len(self.reports) < target:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{count} monitor rounds not done in {timeout} s")
            time.sleep(0.05)


@pytest.fixture
def running_monitor(accuracy_settings: Settings) -> Iterator[RunningMonitor]:
    """The monitor of ``accuracy_settings``, started; stopped and closed after the test."""
    running = RunningMonitor(accuracy_settings)
    running.thread.start()
    yield running
    running.stop.set()
    running.thread.join(15)
    running.monitor.close()


@pytest.fixture
def alerts(accuracy_settings: Settings) -> Iterator[AlertWatch]:
    watch = AlertWatch(accuracy_settings.bootstrap_servers, accuracy_settings.topic_alerts)
    yield watch
    watch.close()


def publish(
    settings: Settings, topic: str, messages: Iterable[FloodPathPrediction | FloodObservation]
) -> None:
    producer = Producer({"bootstrap.servers": settings.bootstrap_servers})
    for message in messages:
        producer.produce(topic, key=message.basin_id.encode(), value=message.model_dump_json())
    assert producer.flush(15) == 0


def predictions(paths: list[dict[str, float]], first_step: int = 0) -> list[FloodPathPrediction]:
    """One 1-hour prediction per 15-minute step from ``first_step``."""
    return [prediction(T0 + (first_step + i) * STEP, path) for i, path in enumerate(paths)]


def flooding_hours(settings: Settings, hours: int) -> None:
    """Observations of A and B flooded for ``hours`` hours from T0."""
    steps = int(timedelta(hours=hours) / STEP) + 1
    publish(settings, settings.topic_observations, observations(T0, [("A", "B")] * steps))


def report(name: str, seconds: float) -> None:
    print(f"[alert timing] {name}: {seconds:.1f} s")


def test_bad_predictions_fire_accuracy_drop_and_good_ones_resolve_it(
    accuracy_settings: Settings, running_monitor: RunningMonitor, alerts: AlertWatch
) -> None:
    """Predictions that warn the dry reaches and miss the flooded ones fire accuracy_drop
    (CSI and Brier) once verified; good predictions pushing them out of the window resolve
    both alerts."""
    settings = accuracy_settings
    flooding_hours(settings, 4)
    published = time.time()
    publish(settings, settings.topic_predictions, predictions([BAD, BAD]))
    csi = alerts.wait_for("accuracy_drop", "firing", 20, lambda a: a.labels["score"] == "csi")
    brier = alerts.wait_for("accuracy_drop", "firing", 20, lambda a: a.labels["score"] == "brier")
    report("accuracy_drop (csi) fire after bad predictions", csi.at.timestamp() - published)
    report("accuracy_drop (brier) fire after bad predictions", brier.at.timestamp() - published)
    assert csi.value == 0.0 and csi.threshold == settings.alert_accuracy_csi
    assert brier.value == pytest.approx((2 * 1.0 + 2 * 0.9**2) / len(REACHES))

    recovered = time.time()
    publish(settings, settings.topic_predictions, predictions([GOOD, GOOD], first_step=4))
    for score in ("csi", "brier"):
        resolved = alerts.wait_for(
            "accuracy_drop", "resolved", 20, lambda a, s=score: a.labels["score"] == s
        )
        report(
            f"accuracy_drop ({score}) resolve after good predictions",
            resolved.at.timestamp() - recovered,
        )
    accuracy = running_monitor.reports[-1].accuracy
    assert accuracy is not None and accuracy.csi == 1.0
    assert [a.state for a in alerts.wait_all() if a.kind == "accuracy_drop"] == [
        "firing",
        "firing",
        "resolved",
        "resolved",
    ]


def test_good_predictions_raise_no_accuracy_alert(
    accuracy_settings: Settings, running_monitor: RunningMonitor, alerts: AlertWatch
) -> None:
    """Predictions matching the observed floods are verified and score well: no alert."""
    settings = accuracy_settings
    flooding_hours(settings, 4)
    publish(settings, settings.topic_predictions, predictions([GOOD, GOOD, GOOD]))
    tracker = running_monitor.monitor.accuracy.tracker
    deadline = time.monotonic() + 20
    while tracker.verified < 3:
        assert time.monotonic() < deadline, "predictions not verified in 20 s"
        time.sleep(0.1)
    # a ready window for twice the for-duration
    rounds = 2 * settings.alert_for_seconds / settings.monitor_interval_seconds
    running_monitor.wait_for_rounds(int(rounds) + 2)
    scores = running_monitor.reports[-1].accuracy
    assert scores is not None and scores.ready and scores.csi == 1.0
    assert scores.brier == pytest.approx(2 * 0.1**2 / len(REACHES))
    assert [a for a in alerts.wait_all() if a.kind == "accuracy_drop"] == []
