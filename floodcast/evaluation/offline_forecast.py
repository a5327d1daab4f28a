"""The model's forecast of a simulated run computed offline: batch features, ONNX Runtime.

The same package, session settings and threshold as the worker's scorer
(``stream_app.scoring.FloodPathScorer``), fed every step's features at once from the gauges'
simulated rain, and the river levels and rain forecasts the stream was given
(``converters.features.batch_features``), as the trainer scores held-out storms.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from converters.features import batch_features
from converters.features.rain_forecast import ForecastRecord
from converters.model_package import ModelPackage
from floodcast.catchment import Simulation
from floodcast.evaluation.exceptions import PackageMismatchError
from floodcast.evaluation.forecast_grid import ForecastGrid
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = ["OfflineForecaster", "as_published"]


class OfflineForecaster:
    """Scores whole simulated runs with a model package.

    Args:
        package: a verified model package.
    """

    def __init__(self, package: ModelPackage) -> None:
        self.package = package
        self.scorer = FloodPathScorer(package)

    @property
    def threshold(self) -> float:
        """The package's operating threshold (a reach at or over it is warned)."""
        return self.scorer.threshold

    def forecast(
        self,
        simulation: Simulation,
        stage_m: NDArray[np.float64] | None = None,
        forecasts: ForecastRecord | None = None,
    ) -> ForecastGrid:
        """The model's probability, warning and ETA at every step and reach of ``simulation``.

        Args:
            simulation: the simulated run of a basin the package serves.
            stage_m: (steps, stage sensors) the river levels the stream was given, NaN where
                none arrived; None when no stage reading reached the stream.
            forecasts: the rain forecasts the stream was given; None when none was.

        Returns:
            The forecast; ETAs clipped to [0, horizon] as the worker publishes them.

        Raises:
            PackageMismatchError: the package does not serve the basin, or lists other
                reaches or gauges for it than the simulator.
        """
        basin = simulation.basin
        geometry = self.scorer.geometries.get(basin.basin_id)
        served = self.package.basins.get(basin.basin_id)
        if geometry is None or served is None:
            raise PackageMismatchError(f"the model package does not serve {basin.basin_id!r}")
        if served.reach_ids != basin.reach_ids or served.gauge_ids != basin.gauge_ids:
            raise PackageMismatchError(
                f"the package's {basin.basin_id!r} has other reaches or gauges than the simulator's"
            )
        features = batch_features(geometry, simulation.gauge_rain_mm, stage_m, forecasts)
        steps, reaches, n_features = features.shape
        probability, eta_hours = self.scorer.predict(features.reshape(steps * reaches, n_features))
        probability = probability.astype(np.float64).reshape(steps, reaches)
        eta = np.clip(eta_hours.astype(np.float64), 0.0, self.scorer.horizon_hours)
        return ForecastGrid(
            warn=probability >= self.threshold,
            probability=probability,
            eta_hours=eta.reshape(steps, reaches),
        )


def as_published(grid: ForecastGrid) -> ForecastGrid:
    """The forecast as a flood path carries it: probability and ETA only on warned reaches.

    A path lists only the reaches at or over the threshold, so its consumer reads probability
    0 elsewhere; this puts the offline forecast's Brier score on the stream's footing.
    """
    eta = None if grid.eta_hours is None else np.where(grid.warn, grid.eta_hours, np.nan)
    return ForecastGrid(
        warn=grid.warn, probability=np.where(grid.warn, grid.probability, 0.0), eta_hours=eta
    )
