"""Accuracy tracker: predictions verified against observed floods once their horizon is
covered, exact rolling CSI and Brier, and the accuracy_drop alert they drive."""

from __future__ import annotations

import doctest
from datetime import timedelta

import pytest

from floodcast.monitoring import AccuracyTracker, AlertEngine, default_rules
from floodcast.monitoring.accuracy import forecast_window, observed_floods
from schemas.settings import Settings
from tests.unit.monitoring.accuracy_messages import (
    BASIN,
    REACHES,
    STEP,
    T0,
    observations,
    prediction,
)

HOUR = timedelta(hours=1)


def tracker(window: int = 1000, minimum: int = 1) -> AccuracyTracker:
    return AccuracyTracker(window, minimum, {BASIN: REACHES})


def observe(track: AccuracyTracker, flooded: list[tuple[str, ...]]) -> None:
    for observation in observations(T0, flooded):
        track.add_observation(observation)


def test_exact_csi_and_brier_over_all_reaches() -> None:
    """Reaches off the path count as probability 0 / not warned, and a reach flooded at any
    step of [W, W + horizon] is an event: one hit, one false alarm, one miss."""
    track = tracker()
    # A floods at 0:30, B at 1:30; steps 0:00 .. 2:00
    observe(track, [(), (), ("A",), (), (), (), ("B",), (), ()])
    track.add_prediction(prediction(T0, {"A": 0.8, "C": 0.6}))  # [0:00, 1:00]: A hit, C false
    track.add_prediction(prediction(T0 + HOUR, {}))  # [1:00, 2:00]: B missed
    assert track.verify() == 2
    scores = track.scores()
    assert scores is not None
    assert (scores.hits, scores.misses, scores.false_alarms) == (1, 1, 1)
    assert scores.csi == pytest.approx(1 / 3)
    # A (0.8 vs 1), C (0.6 vs 0), B (0 vs 1); the other five reach forecasts are exact
    assert scores.brier == pytest.approx((0.2**2 + 0.6**2 + 1.0) / 8)
    assert scores.forecasts == 8


def test_waits_until_observations_cover_the_horizon() -> None:
    """A prediction stays pending until an observation at or after W + horizon arrives, in
    whichever order predictions and observations come."""
    track = tracker()
    track.add_prediction(prediction(T0, {"A": 0.9}))
    observe(track, [(), (), ("A",), ()])  # up to 0:45
    assert track.verify() == 0 and track.scores() is None
    track.add_observation(observations(T0 + 4 * STEP, [()])[0])  # 1:00
    assert track.verify() == 1
    late = prediction(T0 + STEP, {"A": 0.9}, horizon_hours=1)
    track.add_prediction(late)  # needs 1:15
    assert track.verify() == 0
    track.add_observation(observations(T0 + 5 * STEP, [()])[0])
    assert track.verify() == 1
    scores = track.scores()
    assert scores is not None and scores.csi == 1.0


def test_replays_count_once_and_unverifiable_predictions_are_dropped() -> None:
    """The same basin and watermark seen twice is verified once; a prediction from before the
    first kept observation cannot be verified and is dropped."""
    track = tracker()
    observe(track, [()] * 9)
    track.add_prediction(prediction(T0, {"A": 0.9}))
    track.add_prediction(prediction(T0, {"A": 0.9}))
    track.add_prediction(prediction(T0 - STEP, {"B": 0.9}))
    assert track.verify() == 1
    assert (track.verified, track.dropped) == (1, 1)
    scores = track.scores()
    assert scores is not None and scores.forecasts == len(REACHES)


def test_reaches_come_from_observations_when_no_network_is_known() -> None:
    """Without a network, the reaches seen flooded or warned make up the basin."""
    track = AccuracyTracker(100, 1, {})
    observe(track, [("A",), ("B",), (), (), ()])
    track.add_prediction(prediction(T0, {"C": 0.7}))
    assert track.verify() == 1
    scores = track.scores()
    assert scores is not None
    assert scores.forecasts == 3 and (scores.hits, scores.misses, scores.false_alarms) == (0, 2, 1)


def test_window_keeps_the_latest_forecasts() -> None:
    """Only the newest ``window`` reach forecasts are scored."""
    track = tracker(window=len(REACHES))
    observe(track, [("A",)] * 9)
    track.add_prediction(prediction(T0, {"B": 0.9}))  # all wrong
    track.add_prediction(prediction(T0 + HOUR, {"A": 1.0}))  # perfect
    assert track.verify() == 2
    scores = track.scores()
    assert scores is not None
    assert (scores.csi, scores.brier, scores.forecasts) == (1.0, 0.0, len(REACHES))


def test_samples_wait_for_the_minimum_and_skip_an_undefined_csi() -> None:
    """No samples before the minimum; with nothing warned or flooded only Brier is sampled."""
    track = tracker(minimum=2 * len(REACHES))
    observe(track, [()] * 9)
    track.add_prediction(prediction(T0, {}))
    track.verify()
    assert track.samples() == []
    track.add_prediction(prediction(T0 + HOUR, {"D": 0.25}))
    track.verify()
    assert [(s.labels["score"], s.value) for s in track.samples()] == [
        ("csi", 0.0),
        ("brier", pytest.approx(0.25**2 / 8)),
    ]
    quiet = tracker()
    observe(quiet, [()] * 5)
    quiet.add_prediction(prediction(T0, {}))
    quiet.verify()
    assert [s.labels["score"] for s in quiet.samples()] == ["brier"]


def test_accuracy_drop_fires_when_predictions_go_bad_and_resolves_when_they_recover() -> None:
    """Bad predictions push CSI under and Brier over their thresholds: both accuracy_drop
    alerts fire after the for-duration; good ones refill the window and they resolve after the
    clear-duration."""
    settings = Settings(
        alert_for_seconds=2,
        alert_clear_seconds=2,
        alert_accuracy_csi=0.5,
        alert_accuracy_brier=0.1,
    )
    track = tracker(window=2 * len(REACHES), minimum=len(REACHES))
    engine = AlertEngine(default_rules(settings))
    observe(track, [("A", "B")] * 41)  # 10 hours of A and B flooded
    good = {"A": 0.9, "B": 0.9}
    bad = {"C": 0.9, "D": 0.9}
    transitions = []
    fired: dict[str, float] = {}
    for second, path in enumerate([good, good, bad, bad, bad, bad, bad, good, good, good, good]):
        track.add_prediction(prediction(T0 + second * STEP, path))
        track.verify()
        for alert in engine.evaluate(track.samples(), now=100.0 + second):
            transitions.append((second, alert.labels["score"], alert.state))
            if alert.state == "firing":
                fired[alert.labels["score"]] = alert.value
    # the window holds two predictions: the first bad one (second 2) makes CSI 2/6 and Brier
    # (2 * 0.01 + 2 * 1 + 2 * 0.81) / 8 = 0.455; fired 2 s later. Both good again at second 8.
    assert transitions == [
        (4, "csi", "firing"),
        (4, "brier", "firing"),
        (10, "csi", "resolved"),
        (10, "brier", "resolved"),
    ]
    # two bad predictions: no hit; A and B missed (1 each), C and D false at 0.9
    assert fired == {"csi": 0.0, "brier": pytest.approx((2 * 1.0 + 2 * 0.9**2) / 4)}


def test_docstring_examples_run() -> None:
    """The examples in the window's and the observation store's docstrings hold."""
    for module in (forecast_window, observed_floods):
        assert doctest.testmod(module).failed == 0
