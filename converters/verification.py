"""Forecast verification: contingency scores, probabilistic scores, ETA error."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class ForecastScores:
    """Scores of a probabilistic flood forecast at one operating threshold.

    POD = hits / (hits + misses); FAR = false alarms / (hits + false alarms);
    CSI = hits / (hits + misses + false alarms).
    """

    threshold: float
    pod: float
    far: float
    csi: float
    brier: float
    roc_auc: float
    hits: int
    misses: int
    false_alarms: int
    rows: int

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


def contingency(observed: NDArray[np.bool_], forecast: NDArray[np.bool_]) -> tuple[int, int, int]:
    """Hits, misses and false alarms."""
    hits = int(np.count_nonzero(observed & forecast))
    misses = int(np.count_nonzero(observed & ~forecast))
    false_alarms = int(np.count_nonzero(~observed & forecast))
    return hits, misses, false_alarms


def critical_success_index(observed: NDArray[np.bool_], forecast: NDArray[np.bool_]) -> float:
    hits, misses, false_alarms = contingency(observed, forecast)
    return _ratio(hits, hits + misses + false_alarms)


def brier_score(observed: NDArray[np.bool_], probability: NDArray[np.floating]) -> float:
    """Mean squared difference between probability and outcome (0 is perfect, 1 the worst).

    The same as scikit-learn's ``brier_score_loss`` for 0/1 outcomes, in numpy alone so that
    the stream's accuracy monitor does not load scikit-learn.
    """
    outcome = np.asarray(observed, dtype=np.float64)
    return float(np.mean((np.asarray(probability, dtype=np.float64) - outcome) ** 2))


def score_forecasts(
    observed: NDArray[np.bool_], probability: NDArray[np.floating], threshold: float
) -> ForecastScores:
    """Verify probabilities against observed outcomes, warning at ``probability >= threshold``."""
    # Imported here: only training and offline evaluation need ROC-AUC (and scikit-learn).
    from sklearn.metrics import roc_auc_score

    observed = np.asarray(observed, dtype=bool)
    probability = np.clip(np.asarray(probability, dtype=np.float64), 0.0, 1.0)
    hits, misses, false_alarms = contingency(observed, probability >= threshold)
    both_classes = 0 < np.count_nonzero(observed) < observed.size
    return ForecastScores(
        threshold=threshold,
        pod=_ratio(hits, hits + misses),
        far=_ratio(false_alarms, hits + false_alarms),
        csi=_ratio(hits, hits + misses + false_alarms),
        brier=brier_score(observed, probability),
        roc_auc=float(roc_auc_score(observed, probability)) if both_classes else float("nan"),
        hits=hits,
        misses=misses,
        false_alarms=false_alarms,
        rows=int(observed.size),
    )


def best_csi_threshold(
    observed: NDArray[np.bool_], score: NDArray[np.floating], candidates: NDArray[np.floating]
) -> tuple[float, float]:
    """The candidate threshold (warn at ``score >= threshold``) with the highest CSI."""
    observed = np.asarray(observed, dtype=bool)
    csis = [critical_success_index(observed, score >= c) for c in candidates]
    best = int(np.nanargmax(csis))
    return float(candidates[best]), float(csis[best])


def eta_mean_absolute_error(
    observed_hours: NDArray[np.floating], predicted_hours: NDArray[np.floating]
) -> float:
    """Mean absolute ETA error in hours over rows where a flood was observed."""
    if len(observed_hours) == 0:
        return float("nan")
    return float(np.mean(np.abs(np.asarray(observed_hours) - np.asarray(predicted_hours))))
