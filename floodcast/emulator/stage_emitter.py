"""One basin's river-level (stage) sensors' messages for each time step, with their faults."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np

from converters.stage_sensors import stage_sensor_id, stage_sensor_reaches
from floodcast.catchment import Simulation
from floodcast.catchment.river_levels import stage_readings
from floodcast.emulator.emission_tally import EmissionTally
from floodcast.emulator.exceptions import ReadingTemplateError
from floodcast.emulator.faults.fault_plan import FaultPlan
from floodcast.emulator.faults.payload_corruptor import STAGE_FIELDS, PayloadCorruptor
from floodcast.emulator.faulty_sender import FaultySender
from floodcast.emulator.publisher import KeyValue
from floodcast.emulator.reading_encoder import format_observed_at
from schemas import MAX_STAGE_M, RiverLevelReading

__all__ = ["StageEmitter"]

# Sentinels that cannot occur in the rest of the document; each is replaced by a placeholder.
_SEQUENCE = 987_654_321_012
_OBSERVED_AT = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
_STAGE = 29.8765


def _template(sensor_id: str, basin_id: str, reach_id: str) -> str:
    """``template % (sequence, observed_at text, stage_m)``: a sensor's readings, byte for byte
    as ``RiverLevelReading.model_dump_json()`` writes them (a stage in millimetres is written
    the same by ``%r`` and by pydantic)."""
    sample = RiverLevelReading.model_construct(
        sensor_id=sensor_id,
        basin_id=basin_id,
        reach_id=reach_id,
        sequence=_SEQUENCE,
        observed_at=_OBSERVED_AT,
        stage_m=_STAGE,
        quality="good",
        schema_version=1,
    ).model_dump_json()
    template = sample.replace("%", "%%")
    for sentinel, placeholder in (
        (str(_SEQUENCE), "%d"),
        (format_observed_at(_OBSERVED_AT), "%s"),
        (repr(_STAGE), "%r"),
    ):
        if template.count(sentinel) != 1:
            raise ReadingTemplateError(f"cannot build a river-level template around {sentinel!r}")
        template = template.replace(sentinel, placeholder)
    return template


class StageEmitter:
    """Turns a simulation's discharge into ``RiverLevelReading`` payloads, step by step.

    What each sensor reports comes from ``catchment.river_levels.stage_readings`` (rating
    error, noise, lost readings, outages): a NaN is a reading that never leaves the sensor
    (counted as ``withheld_offline``). Sensor ``s``'s reading of step ``t`` has sequence
    ``sequence_offset + t`` and is observed at the step's end, the instant that closes the
    slot of the step's rain. The faults are those of the gauges (duplicates, late and too-late
    readings, broken payloads), drawn for the sensors from their own random source.

    Args:
        simulation: the basin's simulation.
        plan: the sensors' faults (sensor ``s`` in the place of gauge ``s``).
        corruptor: builds broken payloads.
        corrupt_rng: random source for the broken payloads' details.
        stage_rng: random source of the sensors' errors and dropouts.
        sequence_offset: first sequence number.
        allowed_lateness_minutes: lateness that splits late from too-late readings.
        tally: counts to update (the river-levels topic's own).
    """

    def __init__(
        self,
        simulation: Simulation,
        *,
        plan: FaultPlan,
        corruptor: PayloadCorruptor,
        corrupt_rng: np.random.Generator,
        stage_rng: np.random.Generator,
        sequence_offset: int,
        allowed_lateness_minutes: int,
        tally: EmissionTally,
    ) -> None:
        basin = simulation.basin
        self.basin_id = basin.basin_id
        self.key = basin.basin_id.encode()
        reaches = stage_sensor_reaches(basin)
        self.sensor_ids = tuple(stage_sensor_id(basin.basin_id, r) for r in reaches)
        stage = stage_readings(simulation.discharge_m3s, reaches, stage_rng)
        # a NaN stays NaN (nothing sent); any value is kept inside the schema's bounds
        self._stage: list[list[float]] = np.clip(stage, 0.0, MAX_STAGE_M).tolist()
        self._templates = [
            _template(sensor, basin.basin_id, basin.reach_ids[reach])
            for sensor, reach in zip(self.sensor_ids, reaches, strict=True)
        ]
        self._plan = plan
        self._offset = sequence_offset
        self._tally = tally
        self._sender = FaultySender(
            self.key,
            plan=plan,
            corruptor=corruptor,
            corrupt_rng=corrupt_rng,
            step_minutes=simulation.step_minutes,
            allowed_lateness_minutes=allowed_lateness_minutes,
            tally=tally,
            fields=STAGE_FIELDS,
        )

    @property
    def stage_m(self) -> np.ndarray:
        """(steps, sensors) the stage each sensor sends at each step; NaN: nothing sent."""
        return np.array(self._stage, dtype=np.float64)

    @property
    def on_time_stage_m(self) -> np.ndarray:
        """:attr:`stage_m` without the readings the faults hold back: what a stream worker
        can use (a held-back level finds its slot closed by its sensors' later readings)."""
        stage = self.stage_m
        for step, sensor in self._plan.late_by:
            stage[step, sensor] = np.nan
        return stage

    @property
    def n_sensors(self) -> int:
        """Stage sensors of the basin."""
        return len(self.sensor_ids)

    def encode(self, sensor: int, step: int, observed_at: str, stage_m: float) -> bytes:
        """Sensor ``sensor``'s reading of step ``step`` as JSON bytes (``stage_m`` rounded to
        the millimetre, as ``stage_readings`` gives it)."""
        return (self._templates[sensor] % (self._offset + step, observed_at, stage_m)).encode()

    def emit(self, step: int, observed_at: str, out: list[KeyValue]) -> None:
        """Append step ``step``'s messages to ``out``: readings in sensor order, then the
        duplicates and broken payloads made at this step, then held-back readings due now.

        Args:
            step: step index.
            observed_at: the step's end, as ``format_observed_at`` writes it.
            out: list of ``(key, value)`` to append to.
        """
        tally = self._tally
        extras: list[KeyValue] = []
        for sensor, stage_m in enumerate(self._stage[step]):
            tally.readings_total += 1
            if math.isnan(stage_m):
                tally.withheld_offline += 1
                continue
            payload = self.encode(sensor, step, observed_at, stage_m)
            self._sender.send(step, sensor, payload, out, extras)
        out.extend(extras)
        self._sender.release(step, out)
