"""The emulator's stage sensors: what they send, with which faults, and in which order."""

from __future__ import annotations

from collections import Counter

import numpy as np

from converters.features import BasinGeometry
from floodcast.catchment import Simulation
from floodcast.emulator import (
    EmulatorConfig,
    FaultConfig,
    MalformedKind,
    MessagePlanner,
    RiverLevelsReport,
    publish_plan,
)
from schemas import RejectedReadingError, RiverLevelReading, decode_river_level
from tests.unit.gauge_emulator.planning import plan
from tests.unit.gauge_emulator.test_send_loop import RecordingPublisher

FAULTS = "duplicates=0.03,malformed=0.05"


def test_each_sensor_sends_its_stage_once_per_step_unless_lost(upland_run: Simulation) -> None:
    """Every sent level is a valid RiverLevelReading of a sensor of the basin on its own reach,
    observed at the step's end, with the sequence of its step; a lost reading is not sent."""
    batches, planner = plan([upland_run], observations=False)
    geometry = BasinGeometry.from_basin(upland_run.basin)
    sensors = dict(zip(geometry.stage_sensor_ids, geometry.stage_sensor_reach_ids, strict=True))
    sent = np.full((upland_run.n_steps, len(sensors)), np.nan)
    order = list(sensors)
    for batch in batches:
        for key, value in batch.levels:
            level = RiverLevelReading.model_validate_json(value)
            assert key == b"upland" and level.basin_id == "upland"
            assert sensors[level.sensor_id] == level.reach_id
            assert level.observed_at == batch.observed_at
            assert level.sequence == batch.step
            assert level.model_dump_json().encode() == value  # byte-identical to pydantic's
            sent[batch.step, order.index(level.sensor_id)] = level.stage_m
    report = planner.levels_tally
    assert report.valid_sent == np.isfinite(sent).sum() > 0
    assert report.withheld_offline == np.isnan(sent).sum() > 0  # dropouts happen
    assert report.readings_total == sent.size
    # the stage is the simulator's river through the rating curve: it rises with discharge
    outlet = order.index(geometry.stage_sensor_ids[-1])
    flow = upland_run.discharge_m3s[:, geometry.stage.sensor_reaches[-1]]
    seen = np.isfinite(sent[:, outlet])
    assert np.corrcoef(flow[seen], sent[seen, outlet])[0, 1] > 0.95


def test_the_same_seed_sends_the_same_levels(upland_run: Simulation) -> None:
    """Two plans with one seed send identical river levels."""
    first, _ = plan([upland_run], seed=3, faults=FaultConfig.parse(FAULTS))
    again, _ = plan([upland_run], seed=3, faults=FaultConfig.parse(FAULTS))
    assert [b.levels for b in first] == [b.levels for b in again]


def test_levels_carry_the_gauges_faults_with_their_own_reasons(upland_run: Simulation) -> None:
    """Repeats are byte-identical copies, and each broken payload is refused with the reason
    the report expects (an unknown source is an unknown sensor here)."""
    batches, planner = plan([upland_run], faults=FaultConfig.parse(FAULTS), seed=5)
    values = [value for batch in batches for _, value in batch.levels]
    reasons: Counter = Counter()
    valid: Counter = Counter()
    for value in values:
        try:
            level = decode_river_level(value, max_bytes=planner.config.max_message_bytes)
        except RejectedReadingError as exc:
            reasons[exc.reason] += 1
            continue
        if level.sensor_id.startswith("unregistered-"):
            reasons["unknown_sensor"] += 1
        else:
            valid[value] += 1
    tally = planner.levels_tally
    assert sum(n - 1 for n in valid.values()) == tally.duplicates > 0
    report = RiverLevelsReport.from_tally(tally)
    assert report.messages == len(values)
    expected = {str(reason): n for reason, n in report.expected_dead_letters().items()}
    assert {str(reason): n for reason, n in reasons.items()} == expected
    assert sum(report.malformed.values()) > 0
    assert report.malformed[MalformedKind.UNKNOWN_GAUGE] == reasons["unknown_sensor"]


def test_river_levels_can_be_turned_off(upland_run: Simulation) -> None:
    """With river levels off, no step has any."""
    batches, planner = plan([upland_run], river_levels=False)
    assert not any(batch.levels for batch in batches)
    assert planner.stage_emitters == ()


def test_a_steps_levels_go_out_before_its_rain(upland_run: Simulation) -> None:
    """On the wire each step's levels precede its readings, on the river-levels topic, and the
    report counts them apart from the readings."""
    planner = MessagePlanner([upland_run], EmulatorConfig(observations=False))
    publisher = RecordingPublisher()
    report = publish_plan(planner, publisher)
    topics = [topic for topic, *_ in publisher.sent]
    levels_topic, readings_topic = planner.config.river_levels_topic, planner.config.readings_topic
    assert topics[0] == levels_topic
    first_reading = topics.index(readings_topic)
    assert set(topics[:first_reading]) == {levels_topic}
    assert report.river_levels is not None
    assert report.river_levels.messages == topics.count(levels_topic)
    assert report.readings_messages == topics.count(readings_topic)
    assert "river-levels topic" in report.summary()
