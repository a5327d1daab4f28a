"""The reference forecasts every model is scored beside, on the same held-out rows.

Each gives a warning per row (and a probability for the Brier score: its warnings as 0/1).
Fitted thresholds are chosen for the best CSI on unthinned validation rows, like the model's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from floodcast.training.estimators import RainfallThresholdRule
from floodcast.training.rows import RAIN_6H_OVER_BANKFULL, TrainingRows

BASELINES = ("persistence", "river_now", "rainfall_rule", "rain_over_bankfull")
"""persistence: a reach flooded now stays flooded (warns exactly the flooded reaches).
river_now: warn a reach when it or any reach upstream is over bankfull now.
rainfall_rule: warn every reach of a basin when basin-mean 6 h rain passes a threshold.
rain_over_bankfull: warn a reach when its upstream 6 h rain over its bankfull rate passes one."""


@dataclass(frozen=True, eq=False)
class FittedBaselines:
    """The baselines' thresholds, fitted on validation rows."""

    rainfall_threshold_mm: float
    rain_over_bankfull_threshold: float

    @classmethod
    def fit(cls, validation: TrainingRows) -> FittedBaselines:
        """Fit the two rain rules for the best CSI on ``validation`` (every row of its events)."""
        rainfall = RainfallThresholdRule().fit(validation.basin_rain_6h_mm, validation.floods)
        per_reach = RainfallThresholdRule().fit(
            validation.features[:, RAIN_6H_OVER_BANKFULL], validation.floods
        )
        return cls(
            rainfall_threshold_mm=float(rainfall.threshold_mm or 0.0),
            rain_over_bankfull_threshold=float(per_reach.threshold_mm or 0.0),
        )

    def warnings(self, rows: TrainingRows) -> dict[str, NDArray[np.bool_]]:
        """Each baseline's warnings on ``rows``, by name (see ``BASELINES``)."""
        return {
            "persistence": rows.flooded_now.copy(),
            "river_now": rows.river_ratio_now > 1.0,
            "rainfall_rule": rows.basin_rain_6h_mm >= self.rainfall_threshold_mm,
            "rain_over_bankfull": rows.features[:, RAIN_6H_OVER_BANKFULL]
            >= self.rain_over_bankfull_threshold,
        }
