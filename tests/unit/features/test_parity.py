"""The stream's incremental features equal the training pipeline's batch features."""

from __future__ import annotations

import numpy as np
import pytest

from converters.exceptions import CorruptFeatureStateError, RainfallShapeError
from converters.features import FEATURE_NAMES, BasinGeometry, IncrementalFeatures, batch_features
from converters.features.river_stage import without_stage
from floodcast.catchment import get_basin, simulate
from floodcast.catchment.river_levels import stage_readings
from tests.helpers.networks import y_basin


@pytest.fixture
def geometry() -> BasinGeometry:
    return BasinGeometry.from_basin(y_basin())


def _storm_record(steps: int, gauges: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    wet = rng.random((steps, gauges)) < 0.3
    return np.where(wet, rng.gamma(0.8, 2.5, (steps, gauges)), 0.0)


def test_incremental_equals_batch_bit_for_bit(geometry: BasinGeometry) -> None:
    """Reading-by-reading features are bit-identical to the batch features for every step."""
    rain = _storm_record(400, geometry.n_gauges, seed=7)
    batch = batch_features(geometry, rain)
    state = IncrementalFeatures(geometry)
    incremental = np.stack([state.advance(rain[t]) for t in range(len(rain))])
    assert batch.shape == (400, 4, len(FEATURE_NAMES))
    np.testing.assert_array_equal(incremental, batch)


def test_missing_gauges_are_imputed_identically(geometry: BasinGeometry) -> None:
    """A missing reading (NaN) takes the step's gauge mean on both paths."""
    rain = _storm_record(120, geometry.n_gauges, seed=3)
    rain[10:30, 1] = np.nan
    rain[50, :] = np.nan
    state = IncrementalFeatures(geometry)
    incremental = np.stack([state.advance(row) for row in rain])
    np.testing.assert_array_equal(incremental, batch_features(geometry, rain))
    assert np.isfinite(incremental).all()


def test_state_survives_serialisation(geometry: BasinGeometry) -> None:
    """A state restored from bytes continues exactly where the original left off."""
    rain = _storm_record(200, geometry.n_gauges, seed=11)
    original = IncrementalFeatures(geometry)
    for row in rain[:150]:
        original.advance(row)
    restored = IncrementalFeatures.from_bytes(geometry, original.to_bytes())
    for row in rain[150:]:
        np.testing.assert_array_equal(restored.advance(row), original.advance(row))


def test_corrupt_state_is_refused(geometry: BasinGeometry) -> None:
    """Truncated or foreign state bytes raise a typed error instead of loading garbage."""
    data = IncrementalFeatures(geometry).to_bytes()
    with pytest.raises(CorruptFeatureStateError):
        IncrementalFeatures.from_bytes(geometry, data[:-8])
    with pytest.raises(CorruptFeatureStateError):
        IncrementalFeatures.from_bytes(geometry, b"XXXX" + data[4:])


def test_accumulations_follow_their_windows(geometry: BasinGeometry) -> None:
    """A single 10 mm burst on every gauge shows in the 1 h sum for 4 steps and in 24 h for 96."""
    rain = np.zeros((120, geometry.n_gauges))
    rain[5] = 10.0
    features = batch_features(geometry, rain)
    one_hour = features[:, 0, FEATURE_NAMES.index("upstream_rain_1h_mm")]
    day = features[:, 3, FEATURE_NAMES.index("upstream_rain_24h_mm")]
    assert np.flatnonzero(one_hour > 0).tolist() == [5, 6, 7, 8]
    np.testing.assert_allclose(one_hour[5:9], 10.0)
    assert np.flatnonzero(day > 0).tolist() == list(range(5, 101))
    peak = features[5, 0, FEATURE_NAMES.index("upstream_peak_intensity_3h_mmh")]
    assert peak == pytest.approx(40.0)


def test_upstream_rain_is_area_weighted(geometry: BasinGeometry) -> None:
    """Rain on one headwater gauge reaches downstream reaches diluted by their larger area."""
    rain = np.zeros((8, geometry.n_gauges))
    rain[0, 0] = 12.0
    upstream_1h = batch_features(geometry, rain)[0, :, FEATURE_NAMES.index("upstream_rain_1h_mm")]
    reach_a, reach_b, reach_c, reach_d = upstream_1h
    assert reach_a > reach_c > reach_d > 0
    assert reach_b < reach_a


def test_rainfall_of_the_wrong_shape_is_refused(geometry: BasinGeometry) -> None:
    """A record without one column per gauge raises a typed error naming the shapes."""
    with pytest.raises(RainfallShapeError, match="got"):
        batch_features(geometry, np.zeros((10, geometry.n_gauges + 1)))


def test_wettest_upstream_gauge_sees_a_small_cell(geometry: BasinGeometry) -> None:
    """A cell over one headwater gauge shows undiluted as the outlet's wettest upstream gauge."""
    rain = np.zeros((4, geometry.n_gauges))
    rain[0, 0] = 9.0
    features = batch_features(geometry, rain)[0]
    wettest = features[:, FEATURE_NAMES.index("upstream_max_gauge_rain_1h_mm")]
    mean = features[:, FEATURE_NAMES.index("upstream_rain_1h_mm")]
    assert wettest[3] == pytest.approx(9.0)
    assert mean[3] < 9.0


def test_parity_on_a_simulated_lowland_storm_season() -> None:
    """On ten simulated days of the largest built-in basin, with its stage sensors' dropouts
    and outages, both paths agree to the bit."""
    basin = get_basin("lowland")
    geometry = BasinGeometry.from_basin(basin)
    sim = simulate(basin, days=10, seed=3)
    stage = stage_readings(
        sim.discharge_m3s, geometry.stage.sensor_reaches, np.random.default_rng(3)
    )
    stage[100:160, :] = np.nan  # every sensor silent for 15 h
    assert np.isnan(stage).any() and np.isfinite(stage).any()
    state = IncrementalFeatures(geometry)
    incremental = np.stack(
        [state.advance(r, s) for r, s in zip(sim.gauge_rain_mm, stage, strict=True)]
    )
    np.testing.assert_array_equal(incremental, batch_features(geometry, sim.gauge_rain_mm, stage))


def _stage_record(geometry: BasinGeometry, steps: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    stage = geometry.stage.bankfull_stage_m * rng.uniform(
        0.2, 1.4, (steps, geometry.stage.n_sensors)
    )
    stage[rng.random(stage.shape) < 0.2] = np.nan
    stage[30:45] = np.nan
    return stage


def test_stage_features_are_bit_identical_and_survive_serialisation(
    geometry: BasinGeometry,
) -> None:
    """With gappy stage readings, step-by-step features (through a save and restore halfway)
    equal the batch features, and a step with no stage input equals an all-missing one."""
    rain = _storm_record(120, geometry.n_gauges, seed=5)
    stage = _stage_record(geometry, 120, seed=5)
    state = IncrementalFeatures(geometry)
    rows = []
    for t in range(120):
        if t == 60:
            state = IncrementalFeatures.from_bytes(geometry, state.to_bytes())
        rows.append(state.advance(rain[t], None if np.isnan(stage[t]).all() else stage[t]))
    np.testing.assert_array_equal(np.stack(rows), batch_features(geometry, rain, stage))


def test_stage_features_read_the_nearest_sensor_and_hold_for_an_hour(
    geometry: BasinGeometry,
) -> None:
    """Reach C reads B upstream (a tie with D is broken upstream), A reads D (B is on another
    branch); a reading holds 4 steps, then the reach is marked missing; without any stage
    input every reach is missing."""
    sensors = geometry.stage.sensor_reaches
    assert sensors == (1, 3)
    stage = np.full((10, 2), np.nan)
    stage[0] = geometry.stage.bankfull_stage_m * np.array([1.2, 0.5])
    features = batch_features(geometry, np.zeros((10, geometry.n_gauges)), stage)
    ratio = features[..., FEATURE_NAMES.index("stage_ratio_nearest")]
    missing = features[..., FEATURE_NAMES.index("stage_missing")]
    upstream_max = features[..., FEATURE_NAMES.index("stage_ratio_upstream_max")]
    np.testing.assert_allclose(ratio[0], [0.5, 1.2, 1.2, 0.5])
    np.testing.assert_allclose(upstream_max[0], [-1.0, 1.2, 1.2, 1.2])
    assert (missing[:5] == 0).all() and (missing[5:] == 1).all()
    assert (ratio[5:] == -1).all()
    blind = batch_features(geometry, np.zeros((3, geometry.n_gauges)))
    assert (blind[..., FEATURE_NAMES.index("stage_missing")] == 1).all()


def test_flow_estimates_transfer_sensor_discharge_by_rating_and_area(
    geometry: BasinGeometry,
) -> None:
    """Sensors on B and D: each reach's discharge over bankfull is estimated from the sensor
    at or below it (A and C from D) and from the nearest sensors above it (C and D from B;
    none above A or B), through the rating (flow ratio = stage ratio ** 2.5) and the ratio of
    upstream areas (A 20, B 30, C 65, D 90 km²; bankfull 8, 10, 20, 30 m³/s)."""
    stage = np.full((10, 2), np.nan)
    stage[0] = geometry.stage.bankfull_stage_m * np.array([1.2, 0.5])
    features = batch_features(geometry, np.zeros((10, geometry.n_gauges)), stage)
    column = {name: features[..., FEATURE_NAMES.index(name)] for name in FEATURE_NAMES}
    b, d = 1.2**2.5, 0.5**2.5
    np.testing.assert_allclose(column["stage_ratio_downstream"][0], [0.5, 1.2, 0.5, 0.5])
    np.testing.assert_allclose(
        column["flow_ratio_from_downstream"][0],
        [d * 30 / 8 * 20 / 90, b, d * 30 / 20 * 65 / 90, d],
    )
    np.testing.assert_allclose(
        column["flow_ratio_from_upstream"][0], [-1.0, -1.0, b * 10 / 20 * 65 / 30, b]
    )
    for name in (
        "stage_ratio_downstream",
        "flow_ratio_from_downstream",
        "flow_ratio_from_upstream",
    ):
        assert (column[name][5:] == -1).all()  # the readings went stale


def test_an_upstream_flow_estimate_needs_every_sensor_above(geometry: BasinGeometry) -> None:
    """With B silent, nothing is known of the water above C and D; D still reads itself."""
    stage = np.full((3, 2), np.nan)
    stage[:, 1] = geometry.stage.bankfull_stage_m[1] * 0.8
    features = batch_features(geometry, np.zeros((3, geometry.n_gauges)), stage)
    from_above = features[..., FEATURE_NAMES.index("flow_ratio_from_upstream")]
    from_below = features[..., FEATURE_NAMES.index("flow_ratio_from_downstream")]
    assert (from_above == -1).all()
    np.testing.assert_allclose(from_below[:, 3], 0.8**2.5)


def test_without_stage_equals_a_record_without_stage_readings(geometry: BasinGeometry) -> None:
    """Blanking the stage columns of features gives exactly the features of a blind record."""
    rain = _storm_record(50, geometry.n_gauges, seed=9)
    seen = batch_features(geometry, rain, _stage_record(geometry, 50, seed=9))
    blind = batch_features(geometry, rain)
    assert not np.array_equal(seen, blind)
    np.testing.assert_array_equal(without_stage(seen), blind)
    np.testing.assert_array_equal(without_stage(seen.astype(np.float32)), blind.astype(np.float32))
