"""Past predictions checked against observed floods: rolling CSI and Brier score."""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from floodcast.monitoring.accuracy.forecast_window import (
    AccuracyScores,
    ForecastWindow,
    VerifiedForecast,
)
from floodcast.monitoring.accuracy.observed_floods import ObservedFloods
from floodcast.monitoring.alerts.alert_rule import Sample
from schemas import FloodObservation, FloodPathPrediction

__all__ = ["AccuracyScores", "AccuracyTracker"]


_MAX_HORIZON = timedelta(hours=72)
"""The longest horizon a prediction may have (``FloodPathPrediction.horizon_hours``)."""
_PENDING_PER_BASIN = 4096
"""Predictions waiting per basin; a basin with no observations must not grow without bound."""
_SEEN_KEYS = 65_536
"""Prediction keys remembered to recognise replays (far more than ever wait at once)."""


class AccuracyTracker:
    """Verifies each prediction once the observations cover its horizon.

    A prediction issued at watermark ``W`` for basin ``B`` says, for every reach of ``B``,
    whether it floods within ``[W, W + horizon]``: reaches on the path with their probability
    (warned), the others with probability 0 (not warned). It is verified once ``B``'s kept
    observations span that interval; a reach flooded at any observed step in it is an event.
    A prediction whose start is older than the kept observations can never be verified and is
    dropped. Predictions seen again (an at-least-once replay) are verified only once.

    Parameters:
        window: verified reach forecasts in the rolling scores.
        minimum: verified reach forecasts needed before :meth:`samples` reports anything.
        reaches: every reach of each basin known up front (the model package's networks);
            reaches seen in observations and predictions are added to them.
    """

    def __init__(self, window: int, minimum: int, reaches: Mapping[str, Iterable[str]]) -> None:
        self.window = ForecastWindow(window, minimum)
        self.observed = ObservedFloods(retention=2 * _MAX_HORIZON)
        self._reaches = {basin: set(ids) for basin, ids in reaches.items()}
        self._pending: dict[str, deque[FloodPathPrediction]] = {}
        self._seen: OrderedDict[tuple[str, datetime], None] = OrderedDict()
        self.verified = 0
        """Predictions verified so far."""
        self.dropped = 0
        """Predictions that could not be verified (older than the kept observations)."""

    def add_prediction(self, prediction: FloodPathPrediction) -> None:
        """Hold a prediction until the observations cover its horizon."""
        key = (prediction.basin_id, prediction.watermark)
        if key in self._seen:
            return
        self._seen[key] = None
        if len(self._seen) > _SEEN_KEYS:
            self._seen.popitem(last=False)
        self._pending.setdefault(prediction.basin_id, deque(maxlen=_PENDING_PER_BASIN)).append(
            prediction
        )
        self._reaches.setdefault(prediction.basin_id, set()).update(
            reach.reach_id for reach in prediction.reaches
        )

    def add_observation(self, observation: FloodObservation) -> None:
        """Record what flooded at one observed step."""
        self.observed.add(observation)
        self._reaches.setdefault(observation.basin_id, set()).update(observation.flooded_reach_ids)

    def verify(self) -> int:
        """Verify every pending prediction whose horizon the observations now cover.

        Returns:
            How many predictions were verified.
        """
        done = 0
        for basin_id, pending in self._pending.items():
            first = self.observed.first(basin_id)
            waiting: list[FloodPathPrediction] = []
            for prediction in pending:
                start = prediction.watermark
                end = start + timedelta(hours=prediction.horizon_hours)
                if first is not None and start < first:
                    self.dropped += 1
                elif self.observed.covers(basin_id, start, end):
                    self.window.extend(self._forecasts(prediction, start, end))
                    done += 1
                else:
                    waiting.append(prediction)
            pending.clear()
            pending.extend(waiting)
        self.verified += done
        return done

    def scores(self) -> AccuracyScores | None:
        """The rolling scores; ``None`` before any prediction was verified."""
        return self.window.scores()

    def samples(self) -> list[Sample]:
        """``accuracy_drop`` samples (``score`` = ``csi`` or ``brier``) once the window is ready.

        CSI is left out while the window holds no warning and no flood (it is undefined then).
        """
        scores = self.scores()
        if scores is None or not scores.ready:
            return []
        found = [Sample("accuracy_drop", scores.brier, {"score": "brier"})]
        if scores.csi is not None:
            found.insert(0, Sample("accuracy_drop", scores.csi, {"score": "csi"}))
        return found

    def _forecasts(
        self, prediction: FloodPathPrediction, start: datetime, end: datetime
    ) -> list[VerifiedForecast]:
        flooded = self.observed.flooded(prediction.basin_id, start, end)
        path = {reach.reach_id: reach.probability for reach in prediction.reaches}
        return [
            (path.get(reach_id, 0.0), reach_id in path, reach_id in flooded)
            for reach_id in sorted(self._reaches[prediction.basin_id])
        ]
