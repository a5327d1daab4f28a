"""The latest flood path of every basin, next to its river levels, its rain forecast and the
reaches the simulator says are flooded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import ValidationError
from rich.table import Table

from floodcast.demo.forecast_readout import ForecastReadout
from floodcast.demo.level_readout import LevelReadout
from schemas import FloodObservation, FloodPathPrediction, RainForecast, RiverLevelReading

MAX_REACHES_SHOWN = 8

_M = TypeVar("_M", FloodObservation, FloodPathPrediction, RainForecast, RiverLevelReading)


@dataclass
class PredictionBoard:
    """Accumulates predictions and observations; renders one table row per basin."""

    predictions: dict[str, FloodPathPrediction] = field(default_factory=dict)
    observations: dict[str, FloodObservation] = field(default_factory=dict)
    predictions_seen: int = 0
    predicted_reaches: set[tuple[str, str]] = field(default_factory=set)
    """(basin, reach) pairs that appeared on any path."""
    flooded_reaches: set[tuple[str, str]] = field(default_factory=set)
    """(basin, reach) pairs the simulator flooded at any time."""
    unreadable: int = 0
    """Messages skipped because they were not a valid prediction, observation, level or
    forecast."""
    levels: LevelReadout = field(default_factory=LevelReadout)
    """The latest river levels of the sensors the screen knows."""
    forecasts: ForecastReadout = field(default_factory=ForecastReadout)
    """The latest rain forecast of the basins the screen knows."""

    def take_prediction(self, raw: bytes | None) -> bool:
        """Show a prediction read from the topic; anything else is counted and skipped.

        Returns:
            Whether ``raw`` was a prediction.
        """
        return self._take(FloodPathPrediction, raw, self.add_prediction)

    def take_observation(self, raw: bytes | None) -> bool:
        """Show an observation read from the topic; anything else is counted and skipped.

        Returns:
            Whether ``raw`` was an observation.
        """
        return self._take(FloodObservation, raw, self.add_observation)

    def take_level(self, raw: bytes | None) -> bool:
        """Show a river level read from the topic; anything else is counted and skipped, and
        a level of a sensor the screen does not know, or older than one shown, is left out.

        Returns:
            Whether ``raw`` was a river level.
        """
        return self._take(RiverLevelReading, raw, self.levels.add)

    def take_forecast(self, raw: bytes | None) -> bool:
        """Show a rain forecast read from the topic; anything else is counted and skipped, and
        a forecast of a basin the screen does not know, or older than the one shown, is left
        out.

        Returns:
            Whether ``raw`` was a rain forecast.
        """
        return self._take(RainForecast, raw, self.forecasts.add)

    def _take(self, model: type[_M], raw: bytes | None, add: Callable[[_M], object]) -> bool:
        try:
            message = model.model_validate_json(raw or b"")
        except ValidationError:
            self.unreadable += 1
            return False
        add(message)
        return True

    def add_prediction(self, prediction: FloodPathPrediction) -> None:
        self.predictions[prediction.basin_id] = prediction
        self.predictions_seen += 1
        self.predicted_reaches.update((prediction.basin_id, r.reach_id) for r in prediction.reaches)

    def add_observation(self, observation: FloodObservation) -> None:
        self.observations[observation.basin_id] = observation
        self.flooded_reaches.update(
            (observation.basin_id, r) for r in observation.flooded_reach_ids
        )

    def render(self, status: str) -> Table:
        table = Table(title="Floodcast — predicted flood paths", caption=status, expand=True)
        table.add_column("basin", style="bold")
        table.add_column("event time (UTC)")
        table.add_column("flood path: reach probability +ETA, in flooding order", ratio=3)
        table.add_column("first flood in", justify="right")
        table.add_column("river levels (× bankfull)", ratio=1)
        table.add_column("rain forecast, basin mean, issued", ratio=1)
        table.add_column("flooded now (simulator truth)", ratio=1)
        basins = (
            self.predictions.keys()
            | self.observations.keys()
            | self.levels.basins()
            | self.forecasts.basins()
        )
        for basin_id in sorted(basins):
            prediction = self.predictions.get(basin_id)
            observation = self.observations.get(basin_id)
            table.add_row(
                basin_id,
                f"{prediction.watermark:%m-%d %H:%M}" if prediction else "–",
                _path_text(prediction),
                _first_flood(prediction),
                self.levels.text(basin_id),
                self.forecasts.text(basin_id),
                ", ".join(observation.flooded_reach_ids) if observation else "–",
            )
        return table


def _path_text(prediction: FloodPathPrediction | None) -> str:
    if prediction is None:
        return "waiting for the first prediction"
    if prediction.all_clear:
        return "[green]all clear[/green]"
    shown = [
        f"{r.reach_id} {r.probability:.0%} +{r.eta_minutes:.0f}m"
        for r in prediction.reaches[:MAX_REACHES_SHOWN]
    ]
    more = len(prediction.reaches) - MAX_REACHES_SHOWN
    return "[red]" + " → ".join(shown) + (f" … +{more}" if more > 0 else "") + "[/red]"


def _first_flood(prediction: FloodPathPrediction | None) -> str:
    minutes = prediction.summary.time_to_first_flood_minutes if prediction else None
    return "–" if minutes is None else f"{minutes:.0f} min"
