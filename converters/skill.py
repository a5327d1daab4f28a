"""Skill of a forecast on held-out storms, with 95 % intervals from an event bootstrap.

Every score is a ratio of sums over rows (CSI = hits / (hits + misses + false alarms), Brier =
squared error / rows, ...). Summing per storm event first makes the bootstrap cheap and honest:
a replicate redraws whole events with replacement, so the interval reflects how much the score
depends on which storms were held out, not the (strongly correlated) rows inside them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.episodes import episode_counts

Sums = Mapping[str, NDArray[np.float64]]
Metric = Callable[[Sums], NDArray[np.float64]]


def _ratio(num: NDArray[np.float64], den: NDArray[np.float64]) -> NDArray[np.float64]:
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=den > 0)


METRICS: dict[str, Metric] = {
    "csi": lambda s: _ratio(s["hits"], s["hits"] + s["misses"] + s["false_alarms"]),
    "pod": lambda s: _ratio(s["hits"], s["hits"] + s["misses"]),
    "far": lambda s: _ratio(s["false_alarms"], s["hits"] + s["false_alarms"]),
    "brier": lambda s: _ratio(s["sq_error"], s["rows"]),
    "brier_skill": lambda s: 1.0 - _ratio(s["sq_error"], s["sq_error_climatology"]),
    "onset_csi": lambda s: _ratio(
        s["onset_hits"], s["onset_hits"] + s["onset_misses"] + s["onset_false_alarms"]
    ),
    "onset_pod": lambda s: _ratio(s["onset_hits"], s["onset_hits"] + s["onset_misses"]),
    "onset_far": lambda s: _ratio(
        s["onset_false_alarms"], s["onset_hits"] + s["onset_false_alarms"]
    ),
    "eta_mae_onset_hours": lambda s: _ratio(s["eta_abs_error"], s["eta_rows"]),
    "eta_mae_onset_climatology_hours": lambda s: _ratio(s["eta_climatology_error"], s["eta_rows"]),
    "episode_pod": lambda s: _ratio(s["hit_episodes"], s["flood_episodes"]),
    "episode_false_alarm_ratio": lambda s: _ratio(s["false_warnings"], s["warning_episodes"]),
    "episode_csi": lambda s: _ratio(s["hit_episodes"], s["flood_episodes"] + s["false_warnings"]),
    "episode_lead_hours": lambda s: _ratio(s["lead_hours"], s["hit_episodes"]),
}
"""Every reported score, as a function of summed quantities (vectorised over replicates)."""


@dataclass(frozen=True, eq=False)
class VerificationSet:
    """Held-out rows with what every forecast is verified against.

    Attributes:
        event: (rows,) storm event of each row (the bootstrap's unit).
        series: (rows,) time line of each row (basin and reach), for episodes.
        step: (rows,) time step of each row.
        floods: (rows,) the label: flooded within the horizon.
        flooded_now: (rows,) flooded at the forecast step; onset scores use the other rows.
        eta_hours: (rows,) hours until flooding (NaN when it does not flood).
        climatology: the training flood rate, the Brier skill score's reference forecast.
        climatology_eta_hours: the training onsets' median ETA, the ETA error's reference.
        horizon_steps / min_lead_steps / steps_per_hour: episode definitions.
    """

    event: NDArray[np.int64]
    series: NDArray[np.int64]
    step: NDArray[np.int64]
    floods: NDArray[np.bool_]
    flooded_now: NDArray[np.bool_]
    eta_hours: NDArray[np.float32]
    climatology: float
    climatology_eta_hours: float
    horizon_steps: int
    min_lead_steps: int
    steps_per_hour: int


@dataclass(frozen=True, eq=False)
class EventSums:
    """Per-event sums of every quantity the scores need.

    Attributes:
        names: the quantities, in column order.
        sums: (events, quantities).
    """

    names: tuple[str, ...]
    sums: NDArray[np.float64]

    def totals(self, weights: NDArray[np.float64] | None = None) -> dict[str, NDArray[np.float64]]:
        """Summed quantities: over all events, or per replicate for (replicates, events) weights."""
        total = self.sums.sum(axis=0) if weights is None else weights @ self.sums
        return {name: total[..., i] for i, name in enumerate(self.names)}


def event_sums(
    data: VerificationSet,
    warn: NDArray[np.bool_],
    probability: NDArray[np.floating],
    eta_hours: NDArray[np.floating] | None = None,
) -> EventSums:
    """Sum a forecast's contingency, Brier, onset, ETA and episode quantities per event.

    Args:
        data: the held-out rows.
        warn: (rows,) the forecast's warnings.
        probability: (rows,) its probability (a 0/1 rule passes its warnings).
        eta_hours: (rows,) its ETA, or None for a forecast without one.
    """
    observed, onset_rows = data.floods, ~data.flooded_now
    probability = np.clip(np.asarray(probability, dtype=np.float64), 0.0, 1.0)
    onset_hit = onset_rows & observed & warn
    eta_ok = np.isfinite(data.eta_hours) & onset_hit & (eta_hours is not None)
    eta_error = np.zeros(len(warn)) if eta_hours is None else np.abs(eta_hours - data.eta_hours)
    episodes = episode_counts(
        data.series,
        data.step,
        data.flooded_now,
        observed,
        warn,
        horizon_steps=data.horizon_steps,
        min_lead_steps=data.min_lead_steps,
        steps_per_hour=data.steps_per_hour,
    )
    columns = {
        "rows": np.ones(len(warn)),
        "hits": observed & warn,
        "misses": observed & ~warn,
        "false_alarms": ~observed & warn,
        "sq_error": (probability - observed) ** 2,
        "sq_error_climatology": (data.climatology - observed) ** 2,
        "onset_hits": onset_hit,
        "onset_misses": onset_rows & observed & ~warn,
        "onset_false_alarms": onset_rows & ~observed & warn,
        "eta_abs_error": np.where(eta_ok, eta_error, 0.0),
        "eta_climatology_error": np.where(
            eta_ok, np.abs(data.climatology_eta_hours - data.eta_hours), 0.0
        ),
        "eta_rows": eta_ok,
        "flood_episodes": episodes.flood_onset,
        "hit_episodes": episodes.hit,
        "lead_hours": episodes.lead_hours,
        "warning_episodes": episodes.warning_start,
        "false_warnings": episodes.false_warning,
    }
    _, index = np.unique(data.event, return_inverse=True)
    sums = np.stack(
        [np.bincount(index, weights=np.asarray(v, dtype=np.float64)) for v in columns.values()],
        axis=1,
    )
    return EventSums(names=tuple(columns), sums=sums)


def bootstrap_scores(
    sums: EventSums, replicates: int, rng: np.random.Generator
) -> dict[str, NDArray[np.float64]]:
    """Every score on ``replicates`` event-bootstrap resamples (events drawn with replacement)."""
    n_events = sums.sums.shape[0]
    weights = rng.multinomial(n_events, np.full(n_events, 1.0 / n_events), size=replicates)
    totals = sums.totals(weights.astype(np.float64))
    return {name: metric(totals) for name, metric in METRICS.items()}


def point_scores(sums: EventSums) -> dict[str, float]:
    """Every score on all the events."""
    totals = sums.totals()
    return {name: float(metric(totals)) for name, metric in METRICS.items()}


@dataclass(frozen=True)
class Interval:
    """A score's mean over split seeds and the 95 % interval of the pooled bootstrap."""

    value: float
    low: float
    high: float
    per_seed: tuple[float, ...]


def pooled_intervals(
    points: Sequence[Mapping[str, float]],
    replicates: Sequence[Mapping[str, NDArray[np.float64]]],
) -> dict[str, Interval]:
    """Combine the scores of several split seeds.

    The value is the mean of the seeds' point scores; the interval holds the middle 95 % of the
    bootstrap replicates of all seeds together, so it covers both which storms were held out
    within a split and how the split itself was drawn.
    """
    combined: dict[str, Interval] = {}
    for name in METRICS:
        values = [p[name] for p in points]
        pooled = np.concatenate([r[name] for r in replicates])
        pooled = pooled[np.isfinite(pooled)]
        low, high = np.percentile(pooled, [2.5, 97.5]) if len(pooled) else (np.nan, np.nan)
        finite = [v for v in values if np.isfinite(v)]
        combined[name] = Interval(
            value=float(np.mean(finite)) if finite else float("nan"),
            low=float(low),
            high=float(high),
            per_seed=tuple(values),
        )
    return combined
