"""Turn simulated basin records into labelled model rows, one per reach and step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.features import FEATURE_NAMES, BasinGeometry, batch_features
from converters.features.spec import STEP_MINUTES, STEPS_PER_HOUR
from floodcast.catchment import Simulation

BASIN_RAIN_6H = FEATURE_NAMES.index("upstream_rain_6h_mm")
UPSTREAM_RAIN_24H = FEATURE_NAMES.index("upstream_rain_24h_mm")
RAIN_6H_OVER_BANKFULL = FEATURE_NAMES.index("rain_6h_over_bankfull")

FUTURE_RAIN_COLUMNS = (
    ("upstream_rain_1h_mm", 1),
    ("upstream_rain_3h_mm", 3),
    ("upstream_rain_6h_mm", 6),
    ("rain_6h_over_bankfull", 6),
)
"""The upper bound's extra inputs: a feature read that many hours ahead, i.e. the rain that
will actually fall over the next hours (known to no real forecast)."""

EVENT_STRIDE = 1_000_000
"""Event ids are ``basin_index * EVENT_STRIDE + storm index``: unique across basins."""


@dataclass(frozen=True, eq=False)
class TrainingRows:
    """Model rows with their labels, provenance and the inputs of the baselines.

    Attributes:
        features: (rows, N_FEATURES) float32.
        floods: whether the reach is flooded at any step within the horizon (now included).
        eta_hours: hours until the reach first floods within the horizon; NaN when it does not.
        weight: sample weight; a dry training row kept with probability ``f`` weighs ``1/f``,
            so the weighted rows stand for every row of their events.
        flooded_now: the reach is over bankfull at the forecast step (persistence's forecast).
        river_ratio_now: largest discharge / bankfull at the reach or any reach upstream, now.
        basin_rain_6h_mm: the basin-mean 6 h accumulation (the rainfall rule's predictor).
        future_rain: (rows, len(FUTURE_RAIN_COLUMNS)) the rain that actually falls next
            (the upper bound's extra inputs; never a model input).
        event: storm event id, unique across basins: splits never cut through an event.
        basin: index of the row's basin in the simulation list.
        step: the row's time step in its simulation.
        reach: the row's reach index in its basin.
    """

    features: NDArray[np.float32]
    floods: NDArray[np.bool_]
    eta_hours: NDArray[np.float32]
    weight: NDArray[np.float32]
    flooded_now: NDArray[np.bool_]
    river_ratio_now: NDArray[np.float32]
    basin_rain_6h_mm: NDArray[np.float32]
    future_rain: NDArray[np.float32]
    event: NDArray[np.int64]
    basin: NDArray[np.int64]
    step: NDArray[np.int64]
    reach: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.floods)

    def take(self, mask: NDArray[np.bool_] | NDArray[np.intp]) -> TrainingRows:
        """The rows where ``mask`` is True (or at the given indices)."""
        return TrainingRows(**{k: v[mask] for k, v in vars(self).items()})

    @classmethod
    def concatenate(cls, parts: Sequence[TrainingRows]) -> TrainingRows:
        return cls(**{k: np.concatenate([vars(p)[k] for p in parts]) for k in vars(parts[0])})


def steps_until_flood(flooded: NDArray[np.bool_]) -> NDArray[np.float64]:
    """(steps, reaches): steps from each step until the reach is next flooded (inf: never)."""
    steps = np.arange(len(flooded), dtype=np.float64)[:, None]
    at = np.where(flooded, steps, np.inf)
    next_flood = np.minimum.accumulate(at[::-1], axis=0)[::-1]
    return next_flood - steps


def upstream_ratio_max(simulation: Simulation) -> NDArray[np.float64]:
    """(steps, reaches): largest discharge / bankfull over each reach and its upstream reaches."""
    ratio = simulation.discharge_m3s / simulation.basin.bankfull_m3s[None, :]
    upstream = simulation.basin.upstream_matrix() > 0  # [i, j]: j drains through i
    return np.stack([ratio[:, upstream[i]].max(axis=1) for i in range(len(upstream))], axis=1)


def simulation_rows(
    simulation: Simulation,
    *,
    basin_index: int,
    horizon_hours: int,
    training_events: NDArray[np.int64],
    dry_keep_fraction: float,
    rng: np.random.Generator,
    features: NDArray[np.float64] | None = None,
) -> TrainingRows:
    """Label every (step, reach) of a simulation; thin only the dry rows of training events.

    Rows of events outside ``training_events`` (validation and test) are all kept: they are
    scored the way the stream runs, every reach at every step. In training events, rows with
    rain in the last 24 h upstream or a flood within the horizon are all kept, and of the other
    (dry) rows only ``dry_keep_fraction`` is sampled, weighted ``1 / dry_keep_fraction``. The
    last horizon of the record is dropped, since its labels would look past its end.

    Args:
        simulation: the simulated record.
        basin_index: the basin's index; events are numbered ``basin_index * EVENT_STRIDE + k``.
        horizon_hours: the forecast horizon of the labels.
        training_events: event ids (numbered as above) whose dry rows may be thinned.
        dry_keep_fraction: share of dry training rows kept.
        rng: draws which dry training rows are kept.
        features: the record's batch features, when already computed.

    Returns:
        The rows, in (step, reach) order.
    """
    if features is None:
        geometry = BasinGeometry.from_basin(simulation.basin)
        features = batch_features(geometry, simulation.gauge_rain_mm)
    horizon_steps = horizon_hours * 60 // STEP_MINUTES
    until = steps_until_flood(simulation.flooded)
    floods = until <= horizon_steps
    event = basin_index * EVENT_STRIDE + simulation.event_id
    usable = np.zeros_like(floods)
    usable[: len(floods) - horizon_steps] = True
    training = np.isin(event, training_events)[:, None]
    wet = features[:, :, UPSTREAM_RAIN_24H] > 0
    sampled = rng.random(floods.shape) < dry_keep_fraction
    keep = usable & (~training | wet | floods | sampled)
    thinned = training & ~wet & ~floods
    step, reach = np.nonzero(keep)
    outlet = len(simulation.basin.reach_ids) - 1  # the outlet's upstream area is the basin
    weight = np.where(thinned, 1.0 / max(dry_keep_fraction, 1e-9), 1.0)
    future = np.stack(
        [
            features[np.minimum(step + hours * STEPS_PER_HOUR, len(features) - 1), reach, column]
            for column, hours in ((FEATURE_NAMES.index(n), h) for n, h in FUTURE_RAIN_COLUMNS)
        ],
        axis=1,
    )
    return TrainingRows(
        features=features[step, reach].astype(np.float32),
        floods=floods[step, reach],
        eta_hours=np.where(floods, until * STEP_MINUTES / 60.0, np.nan)[step, reach].astype(
            np.float32
        ),
        weight=weight[step, reach].astype(np.float32),
        flooded_now=simulation.flooded[step, reach],
        river_ratio_now=upstream_ratio_max(simulation)[step, reach].astype(np.float32),
        basin_rain_6h_mm=features[step, outlet, BASIN_RAIN_6H].astype(np.float32),
        future_rain=future.astype(np.float32),
        event=event[step],
        basin=np.full(len(step), basin_index, dtype=np.int64),
        step=step.astype(np.int64),
        reach=reach.astype(np.int64),
    )
