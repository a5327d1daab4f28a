"""Run storms over a basin: gauge reports, areal rain, runoff, routed discharge and floods."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from converters.river_network import OUTLET, Basin
from floodcast.catchment.channel import ChannelHydraulics
from floodcast.catchment.evaporation import potential_evaporation_mm
from floodcast.catchment.exceptions import InvalidSimulationError
from floodcast.catchment.gauges import gauge_readings
from floodcast.catchment.rainfall import areal_rainfall, rainfall_field
from floodcast.catchment.routing import MuskingumReach, NetworkRouting, route_network
from floodcast.catchment.runoff import M3_PER_MM_KM2, HydrologyParams, RunoffRun, generate_runoff
from floodcast.catchment.storm_climate import DEFAULT_START, StormClimate
from floodcast.catchment.storms import Storm
from floodcast.catchment.water_balance import WaterBalance

WETNESS_RANGE = (0.25, 0.75)
"""Range the initial wetness is drawn from when not given."""


@dataclass(frozen=True, eq=False)
class Simulation:
    """One simulated run of a basin at a fixed step.

    Attributes:
        basin: the basin simulated.
        start: start of step 0 (UTC).
        step_minutes: step length in minutes.
        n_steps: number of steps ``T``.
        seed: seed of the run.
        initial_wetness: antecedent wetness in [0, 1] the run started from.
        storms: storms of the run, in start order.
        gauge_rain_mm: (T, n_gauges) rain each gauge reports per step (0.2 mm tips).
        reach_rain_mm: (T, n_reaches) true areal rain on each reach's local subcatchment.
        discharge_m3s: (T, n_reaches) step-mean discharge at each reach's downstream end.
        flooded: (T, n_reaches) ``discharge > bankfull``.
        soil_wetness: (T, n_reaches) soil storage over capacity at the end of each step.
        event_id: (T,) index into ``storms`` of the latest storm started at or before each step
            (-1 before the first).
        balance: the run's water balance (see ``water_balance``).
    """

    basin: Basin
    start: datetime
    step_minutes: int
    n_steps: int
    seed: int
    initial_wetness: float
    storms: tuple[Storm, ...]
    gauge_rain_mm: NDArray[np.float64]
    reach_rain_mm: NDArray[np.float64]
    discharge_m3s: NDArray[np.float64]
    flooded: NDArray[np.bool_]
    soil_wetness: NDArray[np.float64]
    event_id: NDArray[np.int64]
    balance: WaterBalance = field(repr=False)

    @property
    def step_seconds(self) -> int:
        """Step length in seconds."""
        return self.step_minutes * 60

    def epoch_seconds(self) -> NDArray[np.int64]:
        """(T,) start of each step in seconds since the Unix epoch."""
        first = int(self.start.timestamp())
        return first + self.step_seconds * np.arange(self.n_steps, dtype=np.int64)

    def times(self) -> list[datetime]:
        """Start of each step as a UTC datetime."""
        step = timedelta(minutes=self.step_minutes)
        return [self.start + k * step for k in range(self.n_steps)]

    def water_balance(self) -> WaterBalance:
        """Rain in, outflow, evaporation and storage change over the run, in m³."""
        return self.balance

    def flood_fraction(self) -> float:
        """Share of (step, reach) pairs above bankfull."""
        return float(self.flooded.mean())


def _event_ids(storms: Sequence[Storm], n_steps: int) -> NDArray[np.int64]:
    starts = np.array([s.start_step for s in storms], dtype=np.int64)
    ids: NDArray[np.int64] = np.searchsorted(starts, np.arange(n_steps), side="right") - 1
    return ids.astype(np.int64)


def _check_arguments(days: float, step_minutes: int, initial_wetness: float | None) -> None:
    if not (math.isfinite(days) and days > 0):
        raise InvalidSimulationError(f"days must be positive, got {days}")
    if not 1 <= step_minutes <= 60 or 1440 % step_minutes:
        raise InvalidSimulationError(f"step_minutes must divide a day and be <= 60: {step_minutes}")
    if initial_wetness is not None and not 0.0 <= initial_wetness <= 1.0:
        raise InvalidSimulationError(f"initial_wetness must lie in [0, 1], got {initial_wetness}")


def _balance(
    basin: Basin,
    runoff: RunoffRun,
    routing: NetworkRouting,
    rain_mm: NDArray[np.float64],
    dt: float,
) -> WaterBalance:
    """Volumes in m³ from the stores' fluxes and states."""
    to_m3 = basin.local_area_km2 * M3_PER_MM_KM2

    def change_m3(initial: NDArray[np.float64], final: NDArray[np.float64]) -> float:
        return float(((final - initial) * to_m3).sum())

    outlet = int(np.flatnonzero(basin.downstream == OUTLET)[0])
    soil = runoff.soil
    return WaterBalance(
        rain_m3=float(rain_mm.sum(axis=0) @ to_m3),
        outflow_m3=float(routing.discharge_m3s[:, outlet].sum() * dt),
        evaporation_m3=float(soil.evaporation_mm.sum(axis=0) @ to_m3),
        soil_change_m3=change_m3(soil.initial_storage_mm, soil.storage_mm[-1]),
        fast_change_m3=change_m3(runoff.fast_upper.initial_storage, runoff.fast_upper.final_storage)
        + change_m3(runoff.fast_lower.initial_storage, runoff.fast_lower.final_storage),
        groundwater_change_m3=change_m3(
            runoff.groundwater.initial_storage, runoff.groundwater.final_storage
        ),
        channel_change_m3=float((routing.final_storage_m3 - routing.initial_storage_m3).sum()),
    )


def simulate(
    basin: Basin,
    *,
    days: float,
    seed: int,
    step_minutes: int = 15,
    start: datetime = DEFAULT_START,
    storms: Sequence[Storm] | None = None,
    climate: StormClimate | None = None,
    initial_wetness: float | None = None,
) -> Simulation:
    """Simulate ``days`` of weather and river flow over ``basin``.

    The seed drives the storm sequence (when drawn from a climate), the gauges' errors and
    the initial wetness (when not given); the same arguments always give identical arrays.

    Args:
        basin: the basin.
        days: length of the run.
        seed: random seed.
        step_minutes: step length; must divide a day.
        start: start of step 0; naive datetimes are taken as UTC.
        storms: explicit storms to run (then no climate is drawn from).
        climate: storm climate to draw from; defaults to ``StormClimate()``.
        initial_wetness: antecedent soil and groundwater wetness in [0, 1]; drawn from
            ``WETNESS_RANGE`` when not given.

    Returns:
        The simulation.

    Raises:
        InvalidSimulationError: for a non-positive length, a bad step, a wetness outside
            [0, 1], or both ``storms`` and ``climate``.
    """
    _check_arguments(days, step_minutes, initial_wetness)
    if storms is not None and climate is not None:
        raise InvalidSimulationError("pass either explicit storms or a climate, not both")
    start = start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)
    n_steps = max(1, round(days * 1440 / step_minutes))
    dt = step_minutes * 60.0
    storm_rng, gauge_rng, state_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    if storms is None:
        drawn = (climate or StormClimate()).draw(
            basin, n_steps, storm_rng, step_minutes=step_minutes, start=start
        )
    else:
        drawn = tuple(sorted(storms, key=lambda s: s.start_step))
    wetness = (
        float(state_rng.uniform(*WETNESS_RANGE)) if initial_wetness is None else initial_wetness
    )

    reach_rain = areal_rainfall(basin, drawn, n_steps, step_minutes)
    gauge_rain = gauge_readings(
        rainfall_field(drawn, basin.gauge_xy_km, n_steps, step_minutes), gauge_rng
    )
    params = HydrologyParams.from_basin(basin)
    pet = potential_evaporation_mm(start, n_steps, step_minutes)
    runoff = generate_runoff(reach_rain, pet, params, wetness, step_minutes)

    to_m3s = basin.local_area_km2 * M3_PER_MM_KM2 / dt
    hydraulics = ChannelHydraulics.from_basin(basin)
    reaches = tuple(
        MuskingumReach.plan(float(k), float(x), dt)
        for k, x in zip(hydraulics.k_s, hydraulics.x, strict=True)
    )
    # Before step 0 the rivers carry the baseflow of the initial groundwater store.
    baseflow_mm_s = runoff.groundwater.initial_storage / (params.slow_k_days * 86400.0)
    base_m3s = basin.upstream_matrix() @ (baseflow_mm_s * basin.local_area_km2 * M3_PER_MM_KM2)
    routing = route_network(basin, runoff.lateral_mm * to_m3s, reaches, base_m3s)
    discharge = routing.discharge_m3s
    return Simulation(
        basin=basin,
        start=start,
        step_minutes=step_minutes,
        n_steps=n_steps,
        seed=seed,
        initial_wetness=wetness,
        storms=drawn,
        gauge_rain_mm=gauge_rain,
        reach_rain_mm=reach_rain,
        discharge_m3s=discharge,
        flooded=discharge > basin.bankfull_m3s,
        soil_wetness=runoff.soil.storage_mm / params.soil.smax_mm,
        event_id=_event_ids(drawn, n_steps),
        balance=_balance(basin, runoff, routing, reach_rain, dt),
    )
