"""Injected faults: each kind is rejected for its intended reason, and the report adds up."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from floodcast.catchment import Simulation
from floodcast.emulator import (
    EmulatorConfigError,
    EmulatorReport,
    FaultConfig,
    MalformedKind,
    UnknownOfflineGaugeError,
)
from schemas import DeadLetterReason, RejectedReadingError, decode_reading
from tests.unit.gauge_emulator.planning import ReferenceWorker, plan, readings

MAX_BYTES = 4096
LATENESS = 60
EVERYTHING = (
    "duplicates=0.05,malformed=0.07,late=0.05,too_late=0.03,offline=upland-G02@100,offline=toy-G3"
)


@pytest.mark.parametrize("kind", list(MalformedKind))
def test_each_malformed_kind_is_rejected_for_its_reason(
    upland_run: Simulation, kind: MalformedKind
) -> None:
    """Every broken payload of a kind gets exactly that kind's dead-letter reason."""
    batches, planner = plan(
        [upland_run], faults=FaultConfig(malformed={kind: 0.05}), max_message_bytes=MAX_BYTES
    )
    gauges = set(upland_run.basin.gauge_ids)
    reasons: Counter[DeadLetterReason] = Counter()
    for _, value in readings(batches):
        try:
            reading = decode_reading(value, max_bytes=MAX_BYTES)
        except RejectedReadingError as exc:
            reasons[exc.reason] += 1
            continue
        if reading.gauge_id not in gauges:
            reasons[DeadLetterReason.UNKNOWN_GAUGE] += 1
    count = planner.tally.malformed[kind]
    assert count > 5
    assert reasons == {kind.reason: count}
    assert planner.tally.valid_sent == upland_run.n_steps * upland_run.basin.n_gauges


def test_oversize_payloads_are_otherwise_valid(upland_run: Simulation) -> None:
    """Oversize payloads break only the size limit: with a larger limit they decode."""
    batches, _ = plan(
        [upland_run],
        faults=FaultConfig(malformed={MalformedKind.OVERSIZE: 0.05}),
        max_message_bytes=MAX_BYTES,
    )
    big = [value for _, value in readings(batches) if len(value) > MAX_BYTES]
    assert big
    for value in big:
        assert len(value) <= MAX_BYTES + 64
        decode_reading(value, max_bytes=len(value))


def test_duplicates_repeat_an_already_sent_reading(upland_run: Simulation) -> None:
    """A duplicate is byte-for-byte a reading sent earlier in the run."""
    batches, planner = plan([upland_run], faults=FaultConfig(duplicates=0.05))
    seen: set[bytes] = set()
    repeats = 0
    for _, value in readings(batches):
        if value in seen:
            repeats += 1
        seen.add(value)
    assert repeats == planner.tally.duplicates > 5
    assert len(seen) == planner.tally.valid_sent


def test_late_readings_arrive_within_or_beyond_the_lateness(upland_run: Simulation) -> None:
    """Held-back readings trail the newest reading by at most, or more than, the lateness."""
    batches, planner = plan(
        [upland_run],
        faults=FaultConfig(late=0.05, too_late=0.05),
        allowed_lateness_minutes=LATENESS,
    )
    newest = None
    within = beyond = 0
    for _, value in readings(batches):
        reading = decode_reading(value, max_bytes=MAX_BYTES)
        if newest is not None and reading.observed_at < newest:
            lag = newest - reading.observed_at
            if lag > timedelta(minutes=LATENESS):
                beyond += 1
                assert lag <= timedelta(minutes=LATENESS + 4 * 15)
            else:
                within += 1
        newest = max(newest or reading.observed_at, reading.observed_at)
    tally = planner.tally
    assert (within, beyond) == (tally.late_within, tally.late_beyond)
    assert within > 5 and beyond > 5
    assert tally.late_pending == 0
    assert tally.valid_sent == upland_run.n_steps * upland_run.basin.n_gauges


def test_offline_gauge_stops_reporting_at_its_step(upland_run: Simulation) -> None:
    """The offline gauge sends every step before its cut-off and nothing after."""
    batches, planner = plan([upland_run], faults=FaultConfig.parse("offline=upland-G03@40"))
    steps = [
        decode_reading(v, max_bytes=MAX_BYTES).sequence
        for _, v in readings(batches)
        if decode_reading(v, max_bytes=MAX_BYTES).gauge_id == "upland-G03"
    ]
    assert steps == list(range(40))
    assert planner.tally.withheld_offline == upland_run.n_steps - 40


def test_offline_gauge_defaults_to_half_way(upland_run: Simulation) -> None:
    """Without a step, the gauge goes silent in the middle of the run."""
    _, planner = plan([upland_run], faults=FaultConfig.parse("offline=upland-G01"))
    assert planner.tally.withheld_offline == upland_run.n_steps - upland_run.n_steps // 2


def test_unknown_offline_gauge_is_refused(upland_run: Simulation) -> None:
    """Taking offline a gauge no basin has is a configuration error."""
    with pytest.raises(UnknownOfflineGaugeError):
        plan([upland_run], faults=FaultConfig.parse("offline=nowhere-G9"))


def test_late_readings_need_a_lateness_of_a_step(upland_run: Simulation) -> None:
    """Late-but-acceptable readings are impossible when the lateness is under one step."""
    with pytest.raises(EmulatorConfigError):
        plan([upland_run], faults=FaultConfig(late=0.1), allowed_lateness_minutes=10)


def test_report_predicts_what_a_correct_worker_does(
    upland_run: Simulation, toy_run: Simulation
) -> None:
    """With every fault on, the report's expected accepts and dead letters match a worker."""
    runs = [upland_run, toy_run]
    batches, planner = plan(
        runs,
        faults=FaultConfig.parse(EVERYTHING),
        max_message_bytes=MAX_BYTES,
        allowed_lateness_minutes=LATENESS,
    )
    worker = ReferenceWorker.for_runs(runs, max_bytes=MAX_BYTES, lateness_minutes=LATENESS)
    for _, value in readings(batches):
        worker.take(value)
    report = EmulatorReport.from_tally(
        planner.tally, basins=("upland", "toy"), steps_total=planner.n_steps
    )
    assert len(worker.accepted) == report.expected_accepted
    assert dict(worker.rejected) == report.expected_dead_letters()
    injected = {kind.reason for kind in MalformedKind} | {
        DeadLetterReason.DUPLICATE,
        DeadLetterReason.TOO_LATE,
    }
    assert set(report.expected_dead_letters()) == injected
    assert report.readings_messages == len(readings(batches))
    assert report.readings_total == report.valid_sent + report.withheld_offline


def test_same_seed_same_messages(upland_run: Simulation, toy_run: Simulation) -> None:
    """A seed fixes every byte sent, faults included; another seed changes the faults."""
    first, _ = plan([upland_run, toy_run], faults=FaultConfig.parse(EVERYTHING), seed=5)
    again, _ = plan([upland_run, toy_run], faults=FaultConfig.parse(EVERYTHING), seed=5)
    other, _ = plan([upland_run, toy_run], faults=FaultConfig.parse(EVERYTHING), seed=6)
    assert readings(first) == readings(again)
    assert readings(first) != readings(other)


def test_a_basins_faults_do_not_depend_on_the_other_basins(
    upland_run: Simulation, toy_run: Simulation
) -> None:
    """Adding a basin to the run leaves the first basin's messages unchanged."""
    faults = FaultConfig.parse("duplicates=0.05,malformed=0.05,late=0.05")
    alone, _ = plan([upland_run], faults=faults)
    together, _ = plan([upland_run, toy_run], faults=faults)
    upland = [m for m in readings(together) if m[0] == b"upland"]
    assert upland == readings(alone)
