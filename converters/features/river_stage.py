"""River-state features from stage sensors, computed identically in batch and one step at a time.

Each sensor's stage is divided by its reach's rated bankfull stage. A reading stands for at most
``STAGE_HOLD_STEPS`` steps after it arrives; after that the sensor counts as missing. Every
reach then reads the nearest sensor in the network (itself, else the fewest reaches up- or
downstream) and the highest ratio among the sensors upstream of it, with their 1 h trends, and
the sensor at or below it. Its own discharge over bankfull is estimated twice, as a hydrologist
transfers flow to an ungauged site: from the sensor below it, and from the nearest sensors
above it (summed), each sensor's stage turned into discharge by the rating and scaled by the
ratio of upstream areas. A reach whose sensors are missing gets the ``STAGE_MISSING`` values
and the missing flag, which the model is trained with (issue 11: a basin without sensors
still gets a flood path).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.exceptions import CorruptFeatureStateError
from converters.features.spec import STAGE_COLUMNS, STAGE_FEATURE_NAMES
from converters.river_network import Basin
from converters.stage_sensors import STAGE_EXPONENT, bankfull_stage_m, stage_sensor_reaches

STAGE_HOLD_STEPS = 4
"""A sensor's last reading stands for up to an hour of silence."""

STAGE_TREND_STEPS = 4
"""Trends are taken over one hour."""

STAGE_MISSING = {"ratio": -1.0, "trend": 0.0}
"""Values a feature takes when its sensors have nothing recent."""

NO_SENSOR_HOPS = 99.0

_FLOW_POWER = 1.0 / STAGE_EXPONENT
"""Discharge over bankfull is (stage over bankfull stage) to this power, by the rating."""


def _network_hops(basin: Basin) -> NDArray[np.float64]:
    """(reaches, reaches) signed hops from reach i to j: positive downstream, negative upstream."""
    n = basin.n_reaches
    hops = np.full((n, n), np.inf)
    for i in range(n):
        path = basin.path_to_outlet(i)  # i, its downstream reach, ..., the outlet
        for k, j in enumerate(path):
            hops[i, j] = k
            hops[j, i] = -k
    return hops


@dataclass(frozen=True, eq=False)
class StageGeometry:
    """Where a basin's stage sensors are and which of them each reach reads.

    Attributes:
        sensor_reaches: reach index of each sensor.
        bankfull_stage_m: (sensors,) rated bankfull stage at each sensor.
        nearest: (reaches,) the sensor each reach reads (-1: the basin has none).
        hops: (reaches,) signed reaches to that sensor (negative: it is upstream).
        upstream: (reaches, sensors) the sensor is at the reach or upstream of it.
        downstream: (reaches,) the nearest sensor at or below each reach (-1: none).
        downstream_scale: (reaches,) that sensor's discharge over its bankfull, times this,
            is the reach's estimated discharge over its own bankfull (area-scaled).
        frontier_scale: (reaches, sensors) the same for the nearest sensors above each reach
            (none between them and the reach), whose discharges are summed; 0 elsewhere.
        frontier: (reaches, sensors) which sensors those are.
    """

    sensor_reaches: tuple[int, ...]
    bankfull_stage_m: NDArray[np.float64]
    nearest: NDArray[np.int64]
    hops: NDArray[np.float64]
    upstream: NDArray[np.bool_]
    downstream: NDArray[np.int64]
    downstream_scale: NDArray[np.float64]
    frontier_scale: NDArray[np.float64]
    frontier: NDArray[np.bool_]

    @classmethod
    def from_basin(cls, basin: Basin) -> StageGeometry:
        """The sensors of ``basin`` (``catchment.river_levels.stage_sensor_reaches``)."""
        sensors = stage_sensor_reaches(basin)
        hops = _network_hops(basin)[:, list(sensors)]  # [reach, sensor]
        # nearest by reach count; on a tie, the upstream sensor (it sees the flood first)
        order = np.abs(hops) + 0.5 * (hops > 0)
        nearest = order.argmin(axis=1) if sensors else np.full(basin.n_reaches, -1)
        chosen = hops[np.arange(basin.n_reaches), nearest] if sensors else None
        upstream = basin.upstream_matrix()[:, list(sensors)] > 0
        downstream, downstream_scale = _downstream_transfer(basin, sensors)
        frontier = _frontier(basin, sensors)
        return cls(
            sensor_reaches=sensors,
            bankfull_stage_m=bankfull_stage_m(basin)[list(sensors)],
            nearest=nearest.astype(np.int64),
            hops=np.full(basin.n_reaches, NO_SENSOR_HOPS) if chosen is None else chosen,
            upstream=upstream,
            downstream=downstream,
            downstream_scale=downstream_scale,
            frontier_scale=_frontier_scale(basin, sensors, frontier),
            frontier=frontier,
        )

    @property
    def n_sensors(self) -> int:
        return len(self.sensor_reaches)


def _downstream_transfer(
    basin: Basin, sensors: tuple[int, ...]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The nearest sensor at or below each reach, and the factor that turns its discharge over
    bankfull into the reach's: ``Q_bf(sensor) / Q_bf(reach) * A(reach) / A(sensor)``."""
    column = {reach: k for k, reach in enumerate(sensors)}
    below = np.full(basin.n_reaches, -1, dtype=np.int64)
    scale = np.zeros(basin.n_reaches)
    area, bankfull = basin.upstream_area_km2, basin.bankfull_m3s
    for reach in range(basin.n_reaches):
        sensor = next((j for j in basin.path_to_outlet(reach) if j in column), None)
        if sensor is not None:
            below[reach] = column[sensor]
            scale[reach] = bankfull[sensor] / bankfull[reach] * area[reach] / area[sensor]
    return below, scale


def _frontier(basin: Basin, sensors: tuple[int, ...]) -> NDArray[np.bool_]:
    """(reaches, sensors): the sensor is above the reach with no other sensor between."""
    frontier = np.zeros((basin.n_reaches, len(sensors)), dtype=bool)
    placed = set(sensors)
    for k, sensor in enumerate(sensors):
        for reach in basin.path_to_outlet(sensor)[1:]:
            frontier[reach, k] = True
            if reach in placed:
                break  # further down, this sensor's water is seen by the one here
    return frontier


def _frontier_scale(
    basin: Basin, sensors: tuple[int, ...], frontier: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """(reaches, sensors): weights that turn the frontier sensors' discharges over bankfull
    into the reach's own: ``Q_bf(sensor) / Q_bf(reach) * A(reach) / sum of A(frontier)``."""
    at = list(sensors)
    area, bankfull = basin.upstream_area_km2, basin.bankfull_m3s
    frontier_area = frontier @ area[at] if sensors else np.zeros(basin.n_reaches)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_reach = np.where(frontier_area > 0, area / frontier_area, 0.0) / bankfull
    return np.where(frontier, per_reach[:, None] * bankfull[at][None, :], 0.0)


def _step(
    geometry: StageGeometry,
    stage_m: NDArray[np.float64],
    held: NDArray[np.float64],
    age: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Advance the held ratio and the age of each sensor's last reading by one step."""
    valid = np.isfinite(stage_m)
    ratio = np.divide(stage_m, geometry.bankfull_stage_m, where=valid, out=np.zeros_like(held))
    return np.where(valid, ratio, held), np.where(valid, 0, np.minimum(age + 1, 1 << 20))


def _project(
    geometry: StageGeometry,
    held: NDArray[np.float64],
    age: NDArray[np.int64],
    past_held: NDArray[np.float64],
    past_age: NDArray[np.int64],
) -> NDArray[np.float64]:
    """(rows, reaches, len(STAGE_FEATURE_NAMES)) from per-sensor (rows, sensors) states."""
    rows, reaches = held.shape[0], len(geometry.nearest)
    now = age <= STAGE_HOLD_STEPS
    out = np.empty((rows, reaches, len(STAGE_FEATURE_NAMES)))
    if not now.any():
        # No sensor (or none recent): every reach gets the missing values, as the general
        # case below gives them, without its masked reductions (issue 14: the common case).
        out[..., 0], out[..., 1] = STAGE_MISSING["ratio"], STAGE_MISSING["trend"]
        out[..., 2], out[..., 3] = STAGE_MISSING["ratio"], STAGE_MISSING["trend"]
        out[..., 4], out[..., 5] = geometry.hops[None, :], 1.0
        out[..., 6:9] = STAGE_MISSING["ratio"]
        return out
    past = past_age <= STAGE_HOLD_STEPS
    trend = np.where(now & past, held - past_held, STAGE_MISSING["trend"])
    near_ok = now[:, geometry.nearest]
    out[..., 0] = np.where(near_ok, held[:, geometry.nearest], STAGE_MISSING["ratio"])
    out[..., 1] = np.where(near_ok, trend[:, geometry.nearest], STAGE_MISSING["trend"])
    usable = geometry.upstream[None, :, :] & now[:, None, :]
    top = np.where(usable, held[:, None, :], -np.inf).max(axis=-1)
    rise = np.where(usable, trend[:, None, :], -np.inf).max(axis=-1)
    out[..., 2] = np.where(np.isfinite(top), top, STAGE_MISSING["ratio"])
    out[..., 3] = np.where(np.isfinite(rise), rise, STAGE_MISSING["trend"])
    out[..., 4] = geometry.hops[None, :]
    out[..., 5] = np.where(near_ok, 0.0, 1.0)
    below = geometry.downstream
    below_ok = (below >= 0)[None, :] & now[:, below]
    flow = np.maximum(held, 0.0) ** _FLOW_POWER  # discharge over bankfull at each sensor
    out[..., 6] = np.where(below_ok, held[:, below], STAGE_MISSING["ratio"])
    out[..., 7] = np.where(
        below_ok, flow[:, below] * geometry.downstream_scale, STAGE_MISSING["ratio"]
    )
    frontier_ok = geometry.frontier.any(axis=1)[None, :] & ~(
        geometry.frontier[None, :, :] & ~now[:, None, :]
    ).any(axis=-1)
    from_above = (flow[:, None, :] * geometry.frontier_scale[None, :, :]).sum(axis=-1)
    out[..., 8] = np.where(frontier_ok, from_above, STAGE_MISSING["ratio"])
    return out


_NEVER = 1 << 20
"""Age of a sensor that has not reported yet."""


def batch_stage_features(
    geometry: StageGeometry, stage_m: NDArray[np.float64] | None, steps: int
) -> NDArray[np.float64]:
    """Stage features for every step of a record.

    Args:
        geometry: the basin's sensors.
        stage_m: (steps, sensors) stage in metres, NaN where none arrived; None: no sensor
            reported at all.
        steps: the record's length.

    Returns:
        (steps, reaches, len(STAGE_FEATURE_NAMES)) float64.
    """
    n = geometry.n_sensors
    readings = np.full((steps, n), np.nan) if stage_m is None else np.asarray(stage_m, float)
    held_all = np.empty((steps, n))
    age_all = np.empty((steps, n), dtype=np.int64)
    held, age = np.zeros(n), np.full(n, _NEVER, dtype=np.int64)
    for t in range(steps):  # the same recursion the incremental path runs
        held, age = _step(geometry, readings[t], held, age)
        held_all[t], age_all[t] = held, age
    past_held = np.vstack([np.zeros((STAGE_TREND_STEPS, n)), held_all])[:steps]
    past_age = np.vstack([np.full((STAGE_TREND_STEPS, n), _NEVER), age_all])[:steps]
    return _project(geometry, held_all, age_all, past_held, past_age)


_HEADER = struct.Struct("<4sHH")
_MAGIC = b"FCST"


class IncrementalStage:
    """A basin's stage-sensor state: each sensor's held ratio and reading age, for the last hour."""

    def __init__(self, geometry: StageGeometry) -> None:
        self.geometry = geometry
        n = geometry.n_sensors
        self._held = np.zeros((STAGE_TREND_STEPS + 1, n))  # ring, newest at self._head
        self._age = np.full((STAGE_TREND_STEPS + 1, n), _NEVER, dtype=np.int64)
        self._head = 0

    def advance(self, stage_m: NDArray[np.float64] | None) -> NDArray[np.float64]:
        """Ingest one step of stage readings (None: none arrived); (reaches, features) after it."""
        return self.advance_steps([stage_m])[0]

    def advance_steps(self, steps: Sequence[NDArray[np.float64] | None]) -> NDArray[np.float64]:
        """Ingest several steps in order, as :meth:`advance` one after the other would;
        (steps, reaches, features), projected once over all the steps."""
        n, ring = self.geometry.n_sensors, len(self._held)
        held_all, past_held = np.empty((len(steps), n)), np.empty((len(steps), n))
        age_all = np.empty((len(steps), n), dtype=np.int64)
        past_age = np.empty((len(steps), n), dtype=np.int64)
        for t, stage_m in enumerate(steps):
            held, age = self._held[self._head], self._age[self._head]
            if stage_m is None:  # what _step gives for no reading, without its masked divide
                held, age = held.copy(), np.minimum(age + 1, _NEVER)
            else:
                held, age = _step(self.geometry, np.asarray(stage_m, float), held, age)
            self._head = (self._head + 1) % ring
            self._held[self._head], self._age[self._head] = held, age
            oldest = (self._head + 1) % ring  # STAGE_TREND_STEPS steps back
            held_all[t], age_all[t] = held, age
            past_held[t], past_age[t] = self._held[oldest], self._age[oldest]
        return _project(self.geometry, held_all, age_all, past_held, past_age)

    def to_bytes(self) -> bytes:
        """Serialise the state (header, ring of held ratios and ages)."""
        header = _HEADER.pack(_MAGIC, self.geometry.n_sensors, self._head)
        return header + self._held.astype("<f8").tobytes() + self._age.astype("<i8").tobytes()

    @classmethod
    def from_bytes(cls, geometry: StageGeometry, data: bytes) -> IncrementalStage:
        """Restore a state written by :meth:`to_bytes`.

        Raises:
            CorruptFeatureStateError: the bytes are not a stage state for these sensors.
        """
        state = cls(geometry)
        size = state._held.size
        if len(data) != _HEADER.size + 16 * size:
            raise CorruptFeatureStateError(f"stage state is {len(data)} bytes")
        magic, n, head = _HEADER.unpack_from(data)
        if magic != _MAGIC or n != geometry.n_sensors or head >= len(state._held):
            raise CorruptFeatureStateError(f"stage state {magic!r} for {n} sensors does not fit")
        held = np.frombuffer(data, dtype="<f8", count=size, offset=_HEADER.size)
        age = np.frombuffer(data, dtype="<i8", count=size, offset=_HEADER.size + 8 * size)
        state._held = held.reshape(state._held.shape).astype(np.float64)
        state._age = age.reshape(state._age.shape).astype(np.int64)
        state._head = head
        return state


def without_stage(features: NDArray[np.floating]) -> NDArray[np.floating]:
    """A copy of full feature vectors (..., N_FEATURES) as they are when no stage sensor has
    reported: what :func:`batch_stage_features` gives for ``stage_m=None``.

    Training uses it to show the model basins without river-level input, and evaluation to
    score it that way (the degraded mode).
    """
    out = np.array(features, copy=True)
    column = {name: STAGE_COLUMNS.start + i for i, name in enumerate(STAGE_FEATURE_NAMES)}
    for name in (
        "stage_ratio_nearest",
        "stage_ratio_upstream_max",
        "stage_ratio_downstream",
        "flow_ratio_from_downstream",
        "flow_ratio_from_upstream",
    ):
        out[..., column[name]] = STAGE_MISSING["ratio"]
    for name in ("stage_trend_1h_nearest", "stage_trend_1h_upstream_max"):
        out[..., column[name]] = STAGE_MISSING["trend"]
    out[..., column["stage_missing"]] = 1.0
    return out
