"""Soil store, linear reservoirs and potential evaporation conserve water and behave physically."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from floodcast.catchment.evaporation import ANNUAL_PET_MM, potential_evaporation_mm
from floodcast.catchment.reservoir import linear_reservoirs
from floodcast.catchment.runoff import HydrologyParams, generate_runoff
from floodcast.catchment.soil import SoilParams, run_soil
from tests.helpers.networks import y_basin


def _soil(n: int = 3) -> SoilParams:
    return SoilParams(
        cmax_mm=np.full(n, 150.0),
        pareto_b=np.full(n, 0.5),
        field_capacity=np.full(n, 0.3),
        drainage_days=np.full(n, 10.0),
    )


def _rain(n_steps: int, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    wet = rng.random((n_steps, n)) < 0.1
    return np.where(wet, rng.gamma(0.7, 4.0, (n_steps, n)), 0.0)


def test_linear_reservoirs_conserve_volume_and_recede_exponentially() -> None:
    """Outflow plus storage change equals inflow, and without inflow storage decays by e^(-1/k)."""
    inflow = _rain(2000, 3, seed=1)
    k = np.array([2.0, 20.0, 400.0])
    run = linear_reservoirs(inflow, k, np.array([5.0, 0.0, 30.0]))
    balance = inflow.sum(0) - run.outflow.sum(0) - (run.final_storage - run.initial_storage)
    np.testing.assert_allclose(balance, 0.0, atol=1e-9)
    dry = linear_reservoirs(np.zeros((2, 1)), np.array([4.0]), np.array([10.0]))
    assert dry.final_storage[0] == pytest.approx(10.0 * np.exp(-2.0 / 4.0))


def test_soil_balance_closes_step_by_step() -> None:
    """Rain = quickflow + recharge + evaporation + storage change, at every step."""
    rain = _rain(3000, 3, seed=2)
    pet = np.full(3000, 0.05)
    run = run_soil(rain, pet, _soil(), np.array([10.0, 50.0, 95.0]))
    before = np.vstack([run.initial_storage_mm, run.storage_mm[:-1]])
    residual = (
        rain - run.quickflow_mm - run.recharge_mm - run.evaporation_mm - (run.storage_mm - before)
    )
    np.testing.assert_allclose(residual, 0.0, atol=1e-12)
    assert run.storage_mm.min() >= 0.0
    assert run.storage_mm.max() <= _soil().smax_mm[0] + 1e-9


def test_wet_soil_turns_more_rain_into_quickflow() -> None:
    """The same storm runs off more from a wet soil than from a dry one (saturation excess)."""
    rain = np.zeros((20, 2))
    rain[2:10] = 5.0  # 40 mm in two hours
    run = run_soil(rain, np.zeros(20), _soil(2), np.array([20.0, 85.0]))
    dry, wet = run.quickflow_mm.sum(0)
    assert 0.0 < dry < wet < rain[:, 1].sum()


def test_soil_dries_by_evaporation_and_drainage_between_storms() -> None:
    """Without rain, storage falls; drainage stops at field capacity but evaporation goes on."""
    steps = 96 * 60
    run = run_soil(np.zeros((steps, 1)), np.full(steps, 0.03), _soil(1), np.array([90.0]))
    assert run.storage_mm[-1, 0] < 0.3 * _soil(1).smax_mm[0]
    assert run.recharge_mm[-1, 0] == 0.0
    assert run.evaporation_mm[-1, 0] > 0.0


def test_potential_evaporation_has_seasons_and_nights() -> None:
    """PET sums to about the annual total, peaks in summer, and is zero at night."""
    pet = potential_evaporation_mm(datetime(2026, 1, 1, tzinfo=UTC), 365 * 96)
    assert pet.sum() == pytest.approx(ANNUAL_PET_MM, rel=0.02)
    daily = pet.reshape(365, 96).sum(1)
    assert daily[180:210].mean() > 5 * daily[:30].mean()
    assert np.all(pet.reshape(365, 96)[:, :20] == 0.0)  # 00:00-05:00 UTC


def test_generate_runoff_lateral_flow_has_baseflow_and_storm_response() -> None:
    """Lateral inflow starts at baseflow, rises after rain, and stays positive."""
    basin = y_basin()
    params = HydrologyParams.from_basin(basin)
    rain = np.zeros((400, basin.n_reaches))
    rain[10:30] = 4.0
    run = generate_runoff(rain, np.zeros(400), params, wetness=0.6)
    assert np.all(run.lateral_mm > 0.0)
    assert np.all(run.lateral_mm.max(0) > 5 * run.lateral_mm[0])
