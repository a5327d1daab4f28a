"""The simulator: array contracts, water balance, determinism, events and flood propagation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from floodcast.catchment import (
    InvalidSimulationError,
    Simulation,
    StormClimate,
    get_basin,
    preset_storm,
    simulate,
)
from floodcast.catchment.runoff import HydrologyParams
from tests.helpers.networks import y_basin


@pytest.fixture(scope="module")
def quarter() -> Simulation:
    """Ninety days of the default climate over the mid-size basin."""
    return simulate(get_basin("midvale"), days=90, seed=11)


def test_arrays_have_the_documented_shapes_and_types(quarter: Simulation) -> None:
    """Every per-step array has T rows and one column per gauge or reach."""
    basin, t = quarter.basin, quarter.n_steps
    assert t == 90 * 96
    assert quarter.gauge_rain_mm.shape == (t, basin.n_gauges)
    assert quarter.gauge_rain_mm.dtype == np.float64
    for name in ("reach_rain_mm", "discharge_m3s", "soil_wetness"):
        assert getattr(quarter, name).shape == (t, basin.n_reaches)
    assert quarter.flooded.dtype == np.bool_ and quarter.flooded.shape == (t, basin.n_reaches)
    assert quarter.event_id.dtype == np.int64 and quarter.event_id.shape == (t,)
    np.testing.assert_array_equal(quarter.flooded, quarter.discharge_m3s > basin.bankfull_m3s)
    assert quarter.discharge_m3s.min() > 0.0


def test_water_balance_closes(quarter: Simulation) -> None:
    """Rain in equals outflow + evaporation + storage change to rounding error."""
    balance = quarter.water_balance()
    assert balance.rain_m3 > 0 and balance.outflow_m3 > 0 and balance.evaporation_m3 > 0
    assert abs(balance.closure_error) < 1e-9


def test_water_balance_closes_for_a_basin_year() -> None:
    """A full year on the large basin still closes to rounding error."""
    balance = simulate(get_basin("lowland"), days=365, seed=12).water_balance()
    assert abs(balance.closure_error) < 1e-9
    runoff_ratio = balance.outflow_m3 / balance.rain_m3
    assert 0.3 < runoff_ratio < 0.85


def test_same_seed_same_run_other_seed_other_run() -> None:
    """Runs are deterministic in the seed: identical arrays for one seed, different for another."""
    basin = get_basin("upland")
    first = simulate(basin, days=20, seed=5)
    again = simulate(basin, days=20, seed=5)
    other = simulate(basin, days=20, seed=6)
    for name in ("gauge_rain_mm", "reach_rain_mm", "discharge_m3s", "flooded", "event_id"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert first.storms == again.storms
    assert not np.array_equal(first.reach_rain_mm, other.reach_rain_mm)


def test_gauges_measure_the_rain_near_them(quarter: Simulation) -> None:
    """Gauge totals track the areal rain of the nearest subcatchment."""
    basin = quarter.basin
    nearest = np.linalg.norm(
        basin.gauge_xy_km[:, None, :] - basin.centroid_xy_km[None, :, :], axis=-1
    ).argmin(axis=1)
    gauge_total = quarter.gauge_rain_mm.sum(axis=0)
    reach_total = quarter.reach_rain_mm.sum(axis=0)[nearest]
    np.testing.assert_allclose(gauge_total, reach_total, rtol=0.35)
    hourly_gauge = quarter.gauge_rain_mm.reshape(-1, 4, basin.n_gauges).sum(1).mean(1)
    hourly_basin = quarter.reach_rain_mm.reshape(-1, 4, basin.n_reaches).sum(1).mean(1)
    assert np.corrcoef(hourly_gauge, hourly_basin)[0, 1] > 0.8


def test_event_ids_point_at_the_latest_started_storm(quarter: Simulation) -> None:
    """Each step's event id is the last storm started at or before it (-1 before the first)."""
    starts = [s.start_step for s in quarter.storms]
    assert starts == sorted(starts)
    assert np.all(quarter.event_id[: starts[0]] == -1)
    for k, start in enumerate(starts):
        assert quarter.event_id[start] == k
    assert np.all(np.diff(quarter.event_id) >= 0)


def test_times_are_utc_step_starts() -> None:
    """``times`` and ``epoch_seconds`` give the start of each step in UTC."""
    start = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    run = simulate(y_basin(), days=1, seed=0, start=start, storms=[])
    times = run.times()
    assert times[0] == start and times[1] - times[0] == timedelta(minutes=15)
    assert len(times) == run.n_steps == 96
    assert run.epoch_seconds()[-1] == int((start + timedelta(minutes=15 * 95)).timestamp())


def test_no_storms_means_no_rain_and_receding_rivers() -> None:
    """Without storms there is no rain or event, and from field capacity rivers only recede."""
    basin = y_basin()
    field_capacity = float(HydrologyParams.from_basin(basin).soil.field_capacity.max())
    run = simulate(basin, days=5, seed=0, storms=[], initial_wetness=field_capacity)
    assert run.reach_rain_mm.sum() == 0.0 and run.gauge_rain_mm.sum() == 0.0
    assert np.all(run.event_id == -1)
    assert np.all(np.diff(run.discharge_m3s, axis=0) <= 1e-12)
    assert not run.flooded.any()
    assert abs(run.water_balance().closure_error) < 1e-9


def test_wetter_antecedent_conditions_give_bigger_floods() -> None:
    """The same storm produces a higher peak on a wet basin than on a dry one."""
    basin = get_basin("midvale")
    storm = preset_storm("frontal", basin, start_step=4)
    dry = simulate(basin, days=3, seed=0, storms=[storm], initial_wetness=0.2)
    wet = simulate(basin, days=3, seed=0, storms=[storm], initial_wetness=0.8)
    assert np.all(wet.discharge_m3s.max(0) > dry.discharge_m3s.max(0))
    assert wet.flooded.sum() > dry.flooded.sum()


def test_floods_propagate_downstream_with_a_lag() -> None:
    """A storm on the headwaters floods the outlet hours after its upstream reaches."""
    basin = get_basin("lowland")
    storm = preset_storm("stalled", basin, start_step=8)
    run = simulate(basin, days=3, seed=0, storms=[storm], initial_wetness=0.5)
    flooded = run.flooded.any(axis=0)
    outlet = basin.n_reaches - 1
    assert flooded[outlet]
    onset = np.where(flooded, run.flooded.argmax(axis=0), np.iinfo(np.int64).max)
    upstream = basin.upstream_matrix()[outlet].astype(bool) & flooded
    upstream[outlet] = False
    first_upstream = onset[upstream].min()
    assert onset[outlet] - first_upstream >= 4 * 4  # at least four hours later
    peak_step = run.discharge_m3s.argmax(axis=0)
    assert peak_step[outlet] > np.median(peak_step[upstream])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days": 0.0},
        {"days": 1.0, "step_minutes": 7},
        {"days": 1.0, "initial_wetness": 1.5},
        {"days": 1.0, "storms": [], "climate": StormClimate()},
    ],
)
def test_bad_arguments_are_rejected(kwargs: dict[str, Any]) -> None:
    """Non-positive lengths, odd steps, wetness outside [0, 1] or storms + climate are refused."""
    with pytest.raises(InvalidSimulationError):
        simulate(y_basin(), seed=0, **kwargs)


def test_naive_start_is_taken_as_utc() -> None:
    """A naive start datetime is interpreted as UTC and stored tz-aware."""
    run = simulate(y_basin(), days=0.5, seed=0, start=datetime(2026, 6, 1), storms=[])
    assert run.start == datetime(2026, 6, 1, tzinfo=UTC)
