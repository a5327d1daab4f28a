"""Turn simulated basin records into labelled model rows, one per reach and step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.features import FEATURE_NAMES, BasinGeometry, batch_features
from converters.features.spec import STEP_MINUTES
from floodcast.catchment import Simulation

BASIN_RAIN_6H = FEATURE_NAMES.index("upstream_rain_6h_mm")
UPSTREAM_RAIN_24H = FEATURE_NAMES.index("upstream_rain_24h_mm")


@dataclass(frozen=True, eq=False)
class TrainingRows:
    """Model rows with their labels and provenance.

    Attributes:
        features: (rows, N_FEATURES) float32.
        floods: whether the reach is flooded at any step within the horizon (now included).
        eta_hours: hours until the reach first floods within the horizon; NaN when it does not.
        basin_rain_6h_mm: the basin-mean 6 h accumulation (the baseline's predictor).
        event: storm event id, unique across basins: splits never cut through an event.
        basin: index of the row's basin in the simulation list.
        step: the row's time step in its simulation.
        reach: the row's reach index in its basin.
    """

    features: NDArray[np.float32]
    floods: NDArray[np.bool_]
    eta_hours: NDArray[np.float32]
    basin_rain_6h_mm: NDArray[np.float32]
    event: NDArray[np.int64]
    basin: NDArray[np.int64]
    step: NDArray[np.int64]
    reach: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.floods)

    def take(self, mask: NDArray[np.bool_]) -> TrainingRows:
        """The rows where ``mask`` is True."""
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


def simulation_rows(
    simulation: Simulation,
    *,
    basin_index: int,
    horizon_hours: int,
    dry_keep_fraction: float,
    rng: np.random.Generator,
) -> TrainingRows:
    """Label every (step, reach) of a simulation and keep the informative rows.

    Rows with rain in the last 24 h upstream, or a flood within the horizon, are all kept;
    of the remaining dry rows only ``dry_keep_fraction`` is sampled. The last horizon of the
    record is dropped, since its labels would look past the end of the simulation.
    """
    geometry = BasinGeometry.from_basin(simulation.basin)
    features = batch_features(geometry, simulation.gauge_rain_mm)
    horizon_steps = horizon_hours * 60 // STEP_MINUTES
    until = steps_until_flood(simulation.flooded)
    floods = until <= horizon_steps
    usable = np.zeros_like(floods)
    usable[: len(floods) - horizon_steps] = True
    wet = features[:, :, UPSTREAM_RAIN_24H] > 0
    keep = usable & (wet | floods | (rng.random(floods.shape) < dry_keep_fraction))
    step, reach = np.nonzero(keep)
    outlet = len(simulation.basin.reach_ids) - 1  # the outlet's upstream area is the basin
    return TrainingRows(
        features=features[step, reach].astype(np.float32),
        floods=floods[step, reach],
        eta_hours=np.where(floods, until * STEP_MINUTES / 60.0, np.nan)[step, reach].astype(
            np.float32
        ),
        basin_rain_6h_mm=features[step, outlet, BASIN_RAIN_6H].astype(np.float32),
        event=basin_index * 1_000_000 + simulation.event_id[step],
        basin=np.full(len(step), basin_index, dtype=np.int64),
        step=step.astype(np.int64),
        reach=reach.astype(np.int64),
    )
