"""``--pack-size N``: each gauge's readings of N steps go out as one SenML pack that decodes to
exactly the readings sent singly (battery voltage aside, which packs do not carry)."""

from __future__ import annotations

import pytest

from floodcast.catchment import Simulation
from floodcast.emulator import FaultConfig
from schemas import GaugeReading, decode_message, is_pack
from tests.unit.gauge_emulator.planning import plan, readings

MAX_BYTES = 1 << 16


def _essentials(reading: GaugeReading) -> tuple:
    return (
        reading.gauge_id,
        reading.basin_id,
        reading.sequence,
        reading.observed_at,
        reading.interval_minutes,
        reading.rainfall_mm,
    )


def _decoded(messages: list[tuple[bytes, bytes]]) -> list[tuple]:
    out = []
    for _, value in messages:
        for _, reading in decode_message(value, max_bytes=MAX_BYTES):
            assert isinstance(reading, GaugeReading)
            out.append(_essentials(reading))
    return out


@pytest.mark.parametrize("pack_size", [8, 32])
def test_packs_carry_the_single_readings(upland_run: Simulation, pack_size: int) -> None:
    singles, _ = plan([upland_run], pack_size=1, observations=False)
    packed, planner = plan([upland_run], pack_size=pack_size, observations=False)
    messages = readings(packed)
    assert all(is_pack(value) for _, value in messages)
    assert sorted(_decoded(messages)) == sorted(_decoded(readings(singles)))
    gauges, steps = upland_run.basin.n_gauges, upland_run.n_steps
    assert len(messages) == planner.tally.packs == gauges * -(-steps // pack_size)
    assert planner.tally.readings_messages == len(messages)
    # per gauge, the readings keep their order across packs
    for gauge in upland_run.basin.gauge_ids:
        sequences = [r[2] for r in _decoded(messages) if r[0] == gauge]
        assert sequences == sorted(sequences) == list(range(steps))


def test_faulty_steps_flush_the_buffer_first(upland_run: Simulation) -> None:
    packed, planner = plan(
        [upland_run], pack_size=8, observations=False, faults=FaultConfig(duplicates=0.05)
    )
    messages = readings(packed)
    assert any(not is_pack(v) for _, v in messages) and any(is_pack(v) for _, v in messages)
    assert planner.tally.readings_messages == len(messages)
