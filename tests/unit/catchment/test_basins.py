"""Built-in basins: sizes, gauge density, and bankfull calibrated to rare but present floods."""

from __future__ import annotations

import numpy as np
import pytest

from floodcast.catchment import (
    BUILTIN_BASINS,
    PRESET_STORMS,
    CalibrationError,
    Simulation,
    UnknownBasinError,
    calibrate_bankfull,
    fit_regional_bankfull,
    get_basin,
    list_basins,
    preset_storm,
    simulate,
)
from tests.helpers.networks import y_basin

YEAR_SEED = 404


@pytest.fixture(scope="module")
def years() -> dict[str, Simulation]:
    """A year of the default climate per built-in basin, on a seed other than calibration's."""
    return {
        basin_id: simulate(get_basin(basin_id), days=365, seed=YEAR_SEED)
        for basin_id in list_basins()
    }


def test_three_basins_of_different_size_and_shape() -> None:
    """The built-ins range from a small upland basin to a large lowland one."""
    assert list_basins() == ("upland", "midvale", "lowland")
    sizes = [get_basin(b).n_reaches for b in list_basins()]
    areas = [get_basin(b).upstream_area_km2.max() for b in list_basins()]
    assert sizes == sorted(sizes) and sizes[0] >= 10 and sizes[-1] >= 50
    assert areas == sorted(areas)


@pytest.mark.parametrize("basin_id", ["upland", "midvale", "lowland"])
def test_gauge_density_and_ids(basin_id: str) -> None:
    """Each basin has at least four gauges, one per 30-80 km², with basin-prefixed ids."""
    basin = get_basin(basin_id)
    area_per_gauge = basin.local_area_km2.sum() / basin.n_gauges
    assert basin.n_gauges >= 4
    assert 30.0 <= area_per_gauge <= 80.0
    assert all(g.startswith(f"{basin_id}-G") for g in basin.gauge_ids)
    assert basin.reach_ids[0] == "R01"


def test_builtins_are_cached_and_reachable_as_a_mapping() -> None:
    """``get_basin`` returns the same object each time, also through ``BUILTIN_BASINS``."""
    assert get_basin("upland") is get_basin("upland") is BUILTIN_BASINS["upland"]
    assert set(BUILTIN_BASINS) == set(list_basins())
    assert "nowhere" not in BUILTIN_BASINS


def test_unknown_basin_is_rejected() -> None:
    """An unknown id raises UnknownBasinError (a KeyError)."""
    with pytest.raises(UnknownBasinError, match="nowhere"):
        get_basin("nowhere")


@pytest.mark.parametrize("basin_id", ["upland", "midvale", "lowland"])
def test_floods_are_present_but_rare(basin_id: str, years: dict[str, Simulation]) -> None:
    """Over a year 1-4 % of reach-steps are flooded and every reach floods at some point."""
    run = years[basin_id]
    assert 0.01 <= run.flood_fraction() <= 0.04
    assert run.flooded.any(axis=0).all()


@pytest.mark.parametrize("basin_id", ["upland", "midvale", "lowland"])
def test_floods_come_from_several_storms(basin_id: str, years: dict[str, Simulation]) -> None:
    """Floods at the outlet occur in several distinct storm events, not one freak event."""
    run = years[basin_id]
    outlet_events = np.unique(run.event_id[run.flooded[:, -1]])
    assert len(outlet_events) >= 3


@pytest.mark.parametrize("basin_id", ["upland", "midvale", "lowland"])
def test_calibrated_bankfull_scales_with_area(basin_id: str) -> None:
    """Calibrated bankfull follows a power law in area with a plausible exponent and scatter."""
    basin = get_basin(basin_id)
    a, b = fit_regional_bankfull(basin)
    assert 0.6 <= b <= 1.1
    assert 0.02 <= a <= 2.0
    predicted = a * basin.upstream_area_km2**b
    assert np.all(np.abs(np.log(basin.bankfull_m3s / predicted)) < np.log(2.0))


def test_calibration_hits_its_target_on_its_own_run() -> None:
    """On the calibration run itself, each reach is above bankfull the target share of time."""
    basin = calibrate_bankfull(y_basin(), flood_fraction=0.05, years=0.5, seed=3)
    run = simulate(basin, days=182.5, seed=3, initial_wetness=0.5)
    np.testing.assert_allclose(run.flooded.mean(axis=0), 0.05, atol=0.002)


def test_calibration_rejects_impossible_targets() -> None:
    """A flood fraction outside (0, 0.5) raises CalibrationError."""
    with pytest.raises(CalibrationError):
        calibrate_bankfull(y_basin(), flood_fraction=0.7)


@pytest.mark.parametrize("name", sorted(PRESET_STORMS))
@pytest.mark.parametrize("basin_id", ["upland", "midvale", "lowland"])
def test_presets_flood_several_reaches(basin_id: str, name: str) -> None:
    """Every preset floods at least three reaches of every built-in basin, even on dry soil."""
    basin = get_basin(basin_id)
    storm = preset_storm(name, basin, start_step=8)
    run = simulate(basin, days=3, seed=1, storms=[storm], initial_wetness=0.25)
    assert run.flooded.any(axis=0).sum() >= 3
    assert not run.flooded[:8].any()  # no flood before the storm starts
