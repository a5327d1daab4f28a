"""One basin's messages for each time step: readings in gauge order, then the step's faults."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from floodcast.catchment import Simulation
from floodcast.emulator.emission_tally import EmissionTally
from floodcast.emulator.exceptions import UnrepresentableSimulationError
from floodcast.emulator.faults.fault_plan import FaultPlan
from floodcast.emulator.faults.payload_corruptor import PayloadCorruptor
from floodcast.emulator.faulty_sender import FaultySender
from floodcast.emulator.publisher import KeyValue
from floodcast.emulator.reading_encoder import ReadingEncoder
from floodcast.emulator.senml_packer import SenMLPacker
from schemas import MAX_RAINFALL_MM, MAX_RAINFALL_RATE_MM_PER_H


class BasinEmitter:
    """Turns a simulation's gauge rain into reading payloads, step by step.

    Gauge ``g``'s reading of step ``t`` has sequence ``sequence_offset + t``, ends its
    interval at the step's end and carries the rain rounded to 0.1 mm (gauges report whole
    0.2 mm tips; rounding only drops float noise such as ``0.6000000000000001``).

    Args:
        simulation: the basin's simulation.
        plan: the basin's faults.
        corruptor: builds broken payloads.
        corrupt_rng: random source for the broken payloads' details.
        battery_v: (T, n_gauges) battery voltages, 10 mV resolution.
        sequence_offset: first sequence number.
        allowed_lateness_minutes: lateness that splits late from too-late readings.
        tally: counts to update.
        pack_size: readings per gauge per SenML pack; 1 sends every reading on its own.

    Raises:
        UnrepresentableSimulationError: when a gauge reports more rain than a valid reading
            can carry.
    """

    def __init__(
        self,
        simulation: Simulation,
        *,
        plan: FaultPlan,
        corruptor: PayloadCorruptor,
        corrupt_rng: np.random.Generator,
        battery_v: NDArray[np.float64],
        sequence_offset: int,
        allowed_lateness_minutes: int,
        tally: EmissionTally,
        pack_size: int = 1,
    ) -> None:
        basin = simulation.basin
        self.basin_id = basin.basin_id
        self.key = basin.basin_id.encode()
        self.encoder = ReadingEncoder(
            basin.basin_id, basin.gauge_ids, interval_minutes=simulation.step_minutes
        )
        rain = np.round(simulation.gauge_rain_mm, 1)
        limit = min(MAX_RAINFALL_MM, MAX_RAINFALL_RATE_MM_PER_H * simulation.step_minutes / 60)
        if rain.size and (rain.min() < 0 or rain.max() > limit):
            raise UnrepresentableSimulationError(
                f"basin {self.basin_id!r}: gauge rain outside [0, {limit}] mm per step"
            )
        # Plain lists: indexing them in the hot loop is several times faster than numpy.
        self._rain: list[list[float]] = rain.tolist()
        self._battery: list[list[float]] = np.asarray(battery_v).tolist()
        self._plan = plan
        self._faulty_steps = plan.faulty_steps()
        self._first_offline = plan.first_offline_step
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
        )
        self._n_steps = simulation.n_steps
        self._pack_size = pack_size
        self._packer = (
            SenMLPacker(basin.basin_id, basin.gauge_ids, simulation.step_minutes)
            if pack_size > 1
            else None
        )

    @property
    def n_gauges(self) -> int:
        """Gauges of the basin."""
        return len(self.encoder.gauge_ids)

    def emit(self, step: int, observed_at: str, out: list[KeyValue]) -> None:
        """Append step ``step``'s messages to ``out``.

        Order: the on-time readings in gauge order, then duplicates and broken payloads
        made at this step, then held-back readings due now.

        Args:
            step: step index.
            observed_at: the step's end, as ``format_observed_at`` writes it.
            out: list of ``(key, value)`` to append to.
        """
        tally = self._tally
        tally.readings_total += self.n_gauges
        packer = self._packer
        clean = step < self._first_offline and step not in self._faulty_steps
        if packer is not None and clean:
            self._pack(packer, step, observed_at, out)
        elif clean:
            key, seq = self.key, self._offset + step
            out.extend(
                [
                    (key, (template % (seq, observed_at, rain, volts)).encode())
                    for template, rain, volts in zip(
                        self.encoder.templates, self._rain[step], self._battery[step], strict=True
                    )
                ]
            )
            tally.valid_sent += self.n_gauges
            self._sender.last_on_time = step
        else:
            if packer is not None:  # what was buffered goes first: each gauge's order holds
                self._flush(packer, out)
            self._emit_with_faults(step, observed_at, out)
        self._sender.release(step, out)

    def _pack(self, packer: SenMLPacker, step: int, observed_at: str, out: list[KeyValue]) -> None:
        """Buffer the step's readings; at the end of an upload interval, send the packs."""
        end = int(datetime.fromisoformat(observed_at).timestamp())
        seq = self._offset + step
        for gauge, rain in enumerate(self._rain[step]):
            packer.add(gauge, seq, end, rain)
        self._tally.valid_sent += self.n_gauges
        self._sender.last_on_time = step
        if (step + 1) % self._pack_size == 0 or step + 1 == self._n_steps:
            self._flush(packer, out)

    def _flush(self, packer: SenMLPacker, out: list[KeyValue]) -> None:
        self._tally.packed += packer.held
        self._tally.packs += packer.flush(self.key, out)

    def _emit_with_faults(self, step: int, observed_at: str, out: list[KeyValue]) -> None:
        plan, tally = self._plan, self._tally
        extras: list[KeyValue] = []
        for gauge in range(self.n_gauges):
            if step >= plan.offline_from[gauge]:
                tally.withheld_offline += 1
                continue
            payload = self.encoder.encode(
                gauge,
                self._offset + step,
                observed_at,
                self._rain[step][gauge],
                self._battery[step][gauge],
            )
            self._sender.send(step, gauge, payload, out, extras)
        out.extend(extras)
