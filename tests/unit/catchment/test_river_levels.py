"""Stage sensors: the outlet and about a third of the reaches, a rating through bankfull, and
readings with rating error, noise, lost readings and outages."""

from __future__ import annotations

import numpy as np

from converters.stage_sensors import bankfull_stage_m, rated_stage_m, stage_sensor_reaches
from floodcast.catchment import get_basin, simulate
from floodcast.catchment.river_levels import stage_readings


def test_sensors_sit_on_the_outlet_and_a_third_of_the_reaches() -> None:
    """Every built-in basin has a sensor at its outlet and on roughly one reach in three."""
    for basin_id, expected in (("upland", 5), ("midvale", 11), ("lowland", 19)):
        basin = get_basin(basin_id)
        sensors = stage_sensor_reaches(basin)
        assert len(sensors) == expected
        assert basin.n_reaches - 1 in sensors


def test_rating_passes_through_bankfull() -> None:
    """Bankfull discharge rates to bankfull stage, and stage rises with discharge."""
    basin = get_basin("midvale")
    np.testing.assert_allclose(rated_stage_m(basin.bankfull_m3s), bankfull_stage_m(basin))
    assert (np.diff(rated_stage_m(np.array([0.0, 1.0, 10.0, 100.0]))) > 0).all()


def test_readings_follow_the_river_with_errors_and_gaps() -> None:
    """Reported stage over bankfull tracks discharge over bankfull (within the rating error),
    a few per cent of readings are lost, and outages leave runs of missing steps."""
    basin = get_basin("lowland")
    sim = simulate(basin, days=120, seed=2)
    sensors = stage_sensor_reaches(basin)
    stage = stage_readings(sim.discharge_m3s, sensors, np.random.default_rng(4))
    assert stage.shape == (sim.n_steps, len(sensors))
    missing = np.isnan(stage)
    assert 0.02 < missing.mean() < 0.2
    longest = max(
        max((len(run) for run in "".join("x" if m else "." for m in col).split(".")), default=0)
        for col in missing.T
    )
    assert longest >= 8
    truth = rated_stage_m(sim.discharge_m3s[:, list(sensors)])
    ratio = stage[~missing] / truth[~missing]
    assert 0.8 < np.median(ratio) < 1.2
    again = stage_readings(sim.discharge_m3s, sensors, np.random.default_rng(4))
    np.testing.assert_array_equal(np.isnan(again), missing)
