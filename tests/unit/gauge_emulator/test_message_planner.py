"""MessagePlanner without faults: valid readings, sequences, event times, order, observations."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from floodcast.catchment import Simulation, simulate
from floodcast.emulator import (
    EmulatorConfig,
    IncompatibleSimulationsError,
    MessagePlanner,
    UnrepresentableSimulationError,
    live_time_shift,
)
from schemas import FloodObservation, GaugeReading, decode_reading
from tests.unit.gauge_emulator.planning import plan, readings

STEP = timedelta(minutes=15)


def _decoded(batches: list) -> list[tuple[bytes, GaugeReading]]:
    return [(key, decode_reading(value, max_bytes=4096)) for key, value in readings(batches)]


def test_every_reading_is_valid_and_carries_the_simulated_rain(upland_run: Simulation) -> None:
    """Each payload passes the stream's decoder, keyed by basin, with the gauge's rain."""
    batches, _ = plan([upland_run])
    decoded = _decoded(batches)
    basin = upland_run.basin
    assert len(decoded) == upland_run.n_steps * basin.n_gauges
    for index, (key, reading) in enumerate(decoded):
        step, gauge = divmod(index, basin.n_gauges)
        assert key == basin.basin_id.encode()
        assert reading.basin_id == basin.basin_id
        assert reading.gauge_id == basin.gauge_ids[gauge]
        assert reading.rainfall_mm == pytest.approx(upland_run.gauge_rain_mm[step, gauge], abs=1e-9)
        assert reading.quality == "good"
        assert reading.interval_minutes == 15
    assert max(r.rainfall_mm for _, r in decoded) > 5  # the storm is in there


def test_payloads_equal_the_model_serialisation(upland_run: Simulation) -> None:
    """The fast encoder's bytes are exactly what model_dump_json gives for the same reading."""
    batches, _ = plan([upland_run])
    for _, value in readings(batches):
        assert GaugeReading.model_validate_json(value).model_dump_json().encode() == value


def test_sequences_increase_by_one_from_the_offset(upland_run: Simulation) -> None:
    """Each gauge numbers its readings offset, offset + 1, ... with no gap or repeat."""
    batches, _ = plan([upland_run], sequence_offset=1000)
    per_gauge: dict[str, list[int]] = defaultdict(list)
    for _, reading in _decoded(batches):
        per_gauge[reading.gauge_id].append(reading.sequence)
    assert set(per_gauge) == set(upland_run.basin.gauge_ids)
    for sequences in per_gauge.values():
        assert sequences == list(range(1000, 1000 + upland_run.n_steps))


def test_observed_at_is_the_end_of_each_interval(upland_run: Simulation) -> None:
    """Step k's readings all end their interval at start + (k + 1) * 15 min."""
    batches, _ = plan([upland_run])
    for k, batch in enumerate(batches):
        assert batch.step == k
        assert batch.observed_at == upland_run.start + (k + 1) * STEP
        for _, value in batch.readings:
            reading = decode_reading(value, max_bytes=4096)
            assert reading.observed_at == batch.observed_at
            assert reading.interval_start == upland_run.start + k * STEP


def test_battery_is_plausible_and_drains(upland_run: Simulation) -> None:
    """Battery voltages stay in a 12 V logger's range and fall slowly over the run."""
    batches, _ = plan([upland_run])
    volts = np.array([r.battery_v for _, r in _decoded(batches)]).reshape(upland_run.n_steps, -1)
    assert volts.min() >= 10.5
    assert volts.max() <= 13.3
    assert np.all(np.abs(np.diff(volts, axis=0)) < 0.1)
    day = 96
    assert np.all(volts[-day:].mean(axis=0) < volts[:day].mean(axis=0))


def test_steps_interleave_basins_in_configured_order(
    upland_run: Simulation, toy_run: Simulation
) -> None:
    """Within each step, the first basin's gauges come first, each basin in gauge order."""
    batches, _ = plan([upland_run, toy_run])
    expected = list(upland_run.basin.gauge_ids) + list(toy_run.basin.gauge_ids)
    for batch in batches:
        gauges = [decode_reading(v, max_bytes=4096).gauge_id for _, v in batch.readings]
        assert gauges == expected


def test_observations_report_the_simulated_floods(upland_run: Simulation) -> None:
    """One observation per step names exactly the reaches over bankfull, in network order."""
    batches, planner = plan([upland_run])
    reach_ids = upland_run.basin.reach_ids
    flooded_steps = 0
    for batch in batches:
        ((key, value),) = batch.observations
        observation = FloodObservation.model_validate_json(value)
        expected = tuple(reach_ids[i] for i in np.flatnonzero(upland_run.flooded[batch.step]))
        assert key == b"upland"
        assert observation.observed_at == batch.observed_at
        assert observation.flooded_reach_ids == expected
        flooded_steps += bool(expected)
    assert flooded_steps > 0
    assert planner.tally.observations == upland_run.n_steps


def test_observations_can_be_left_out(upland_run: Simulation) -> None:
    """With observations off, no step carries any."""
    batches, planner = plan([upland_run], observations=False)
    assert all(not batch.observations for batch in batches)
    assert planner.tally.observations == 0


def test_live_time_shift_anchors_at_the_current_quarter_hour() -> None:
    """The shifted start is the step boundary at or before now, for any simulation start."""
    now = datetime(2026, 11, 25, 12, 37, 12, tzinfo=UTC)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    shift = live_time_shift(start, 15, now)
    assert start + shift == datetime(2026, 11, 25, 12, 30, tzinfo=UTC)


def test_time_shift_moves_every_event_time(upland_run: Simulation) -> None:
    """A shifted planner stamps readings and observations with shifted times."""
    shift = timedelta(days=300, minutes=45)
    planner = MessagePlanner([upland_run], EmulatorConfig(), time_shift=shift)
    first = next(iter(planner))
    expected = upland_run.start + shift + STEP
    assert first.observed_at == expected
    assert decode_reading(first.readings[0][1], max_bytes=4096).observed_at == expected
    assert FloodObservation.model_validate_json(first.observations[0][1]).observed_at == expected


def test_tally_counts_every_reading(upland_run: Simulation) -> None:
    """Without faults, everything simulated is sent once and nothing else."""
    batches, planner = plan([upland_run])
    tally = planner.tally
    assert tally.steps == upland_run.n_steps == len(batches)
    assert tally.readings_total == tally.valid_sent == len(readings(batches))
    assert tally.readings_messages == tally.valid_sent
    assert (tally.duplicates, tally.withheld_offline, tally.late_pending) == (0, 0, 0)


def test_simulations_of_different_lengths_are_refused(upland_run: Simulation) -> None:
    """Basins played together must share start, step and length."""
    shorter = simulate(upland_run.basin, days=1, seed=3)
    with pytest.raises(IncompatibleSimulationsError):
        MessagePlanner([upland_run, shorter], EmulatorConfig())


def test_rain_beyond_the_schema_is_refused(upland_run: Simulation) -> None:
    """A simulation with more rain than a reading may carry fails before anything is sent."""
    rain = upland_run.gauge_rain_mm.copy()
    rain[5, 1] = 80.0  # over 300 mm/h for 15 minutes
    with pytest.raises(UnrepresentableSimulationError):
        MessagePlanner([dataclasses.replace(upland_run, gauge_rain_mm=rain)], EmulatorConfig())
