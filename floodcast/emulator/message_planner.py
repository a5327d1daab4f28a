"""All messages of a run, step by step: every basin's readings, river levels, faults, flood
observations and rain forecasts."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from converters.features.rain_forecast import ForecastRecord
from converters.stage_sensors import stage_sensor_id, stage_sensor_reaches
from floodcast.catchment import Simulation
from floodcast.emulator.basin_emitter import BasinEmitter
from floodcast.emulator.battery import battery_voltages
from floodcast.emulator.emission_tally import EmissionTally
from floodcast.emulator.emulator_config import EmulatorConfig
from floodcast.emulator.exceptions import IncompatibleSimulationsError, UnknownOfflineGaugeError
from floodcast.emulator.faults.fault_plan import FaultPlan
from floodcast.emulator.faults.payload_corruptor import PayloadCorruptor
from floodcast.emulator.forecast_emitter import ForecastEmitter
from floodcast.emulator.publisher import KeyValue
from floodcast.emulator.reading_encoder import format_observed_at
from floodcast.emulator.stage_emitter import StageEmitter
from schemas import FloodObservation

_SEED_TAG = 0x6761756765  # "gauge": keeps the emulator's draws apart from the simulator's
_STAGE_SEED_TAG = 0x7374616765  # "stage": the stage sensors' draws, apart from the gauges'


@dataclass(frozen=True)
class StepBatch:
    """The messages of one time step, across basins.

    Attributes:
        step: step index.
        observed_at: end of the step's interval (event time of its readings).
        readings: ``(key, value)`` for the readings topic, in send order.
        observations: ``(key, value)`` for the observations topic.
        forecasts: ``(key, value)`` for the rain forecasts topic: the forecasts issued at the
            end of the step.
        levels: ``(key, value)`` for the river-levels topic, in send order.
    """

    step: int
    observed_at: datetime
    readings: list[KeyValue]
    observations: list[KeyValue] = field(default_factory=list)
    forecasts: list[KeyValue] = field(default_factory=list)
    levels: list[KeyValue] = field(default_factory=list)


def live_time_shift(start: datetime, step_minutes: int, now: datetime) -> timedelta:
    """Shift that moves ``start`` to the beginning of the step-aligned interval holding ``now``.

    Args:
        start: simulation start.
        step_minutes: step length; the shifted start is a multiple of it after midnight.
        now: the wall-clock time to anchor at (aware).

    Returns:
        The offset to add to every event time.
    """
    step_s = step_minutes * 60
    now_s = int(now.timestamp())
    anchor = datetime.fromtimestamp(now_s - now_s % step_s, tz=UTC)
    return anchor - start


class MessagePlanner:
    """Iterates over a run's steps, yielding each step's messages and keeping the tally.

    Nothing here touches Kafka: the planner is the whole of what is sent, in order, so tests
    can inspect it directly. Each basin's draws (faults, broken payloads, batteries) come from
    the seed and the basin id only, so they do not change with the other basins in the run.

    Args:
        simulations: one per basin, all with the same start, step and length.
        config: the run's configuration.
        time_shift: added to every event time (see ``live_time_shift``).

    Raises:
        IncompatibleSimulationsError: when the simulations do not share start, step and length.
        UnknownOfflineGaugeError: when an offline gauge belongs to none of the basins.
        EmulatorConfigError: when late readings are asked for with a lateness below one step.
        UnrepresentableSimulationError: when a simulation holds rain a reading cannot carry.
    """

    def __init__(
        self,
        simulations: Sequence[Simulation],
        config: EmulatorConfig,
        *,
        time_shift: timedelta = timedelta(0),
    ) -> None:
        if not simulations:
            raise IncompatibleSimulationsError("no simulation to emulate")
        first = simulations[0]
        for other in simulations[1:]:
            if (other.start, other.step_minutes, other.n_steps) != (
                first.start,
                first.step_minutes,
                first.n_steps,
            ):
                raise IncompatibleSimulationsError(
                    f"basins {first.basin.basin_id!r} and {other.basin.basin_id!r} differ in "
                    "start, step or length"
                )
        all_gauges = {g for sim in simulations for g in sim.basin.gauge_ids}
        unknown = [g.gauge_id for g in config.faults.offline if g.gauge_id not in all_gauges]
        if unknown:
            raise UnknownOfflineGaugeError(f"offline gauges {unknown} are in no emulated basin")

        self.simulations = tuple(simulations)
        self.config = config
        self.n_steps = first.n_steps
        self.step = timedelta(minutes=first.step_minutes)
        self.start = first.start + time_shift
        self.tally = EmissionTally()
        self.levels_tally = EmissionTally()
        """What went to the river-levels topic (its own counts)."""
        corruptor = PayloadCorruptor(
            max_message_bytes=config.max_message_bytes, known_gauge_ids=all_gauges
        )
        self.emitters = tuple(self._emitter(sim, corruptor) for sim in simulations)
        self.stage_emitters = (
            tuple(self._stage_emitter(sim, corruptor) for sim in simulations)
            if config.river_levels
            else ()
        )
        self._flooded = (
            tuple(self._flooded_ids(sim) for sim in simulations) if config.observations else ()
        )
        self.forecasters = (
            tuple(ForecastEmitter(sim, config.seed) for sim in simulations)
            if config.forecasts
            else ()
        )

    def _emitter(self, simulation: Simulation, corruptor: PayloadCorruptor) -> BasinEmitter:
        basin = simulation.basin
        entropy = [self.config.seed, _SEED_TAG, zlib.crc32(basin.basin_id.encode())]
        fault_rng, corrupt_rng, battery_rng = (
            np.random.default_rng(s) for s in np.random.SeedSequence(entropy).spawn(3)
        )
        plan = FaultPlan.draw(
            self.config.faults,
            gauge_ids=basin.gauge_ids,
            n_steps=simulation.n_steps,
            step_minutes=simulation.step_minutes,
            allowed_lateness_minutes=self.config.allowed_lateness_minutes,
            rng=fault_rng,
        )
        return BasinEmitter(
            simulation,
            plan=plan,
            corruptor=corruptor,
            corrupt_rng=corrupt_rng,
            battery_v=battery_voltages(
                simulation.n_steps, basin.n_gauges, simulation.step_minutes, battery_rng
            ),
            sequence_offset=self.config.sequence_offset,
            allowed_lateness_minutes=self.config.allowed_lateness_minutes,
            tally=self.tally,
            pack_size=self.config.pack_size,
        )

    def _stage_emitter(self, simulation: Simulation, corruptor: PayloadCorruptor) -> StageEmitter:
        basin = simulation.basin
        entropy = [self.config.seed, _STAGE_SEED_TAG, zlib.crc32(basin.basin_id.encode())]
        fault_rng, corrupt_rng, stage_rng = (
            np.random.default_rng(s) for s in np.random.SeedSequence(entropy).spawn(3)
        )
        sensors = [stage_sensor_id(basin.basin_id, r) for r in stage_sensor_reaches(basin)]
        # the gauges' faults, but not their offline gauges: sensors have outages of their own
        plan = FaultPlan.draw(
            self.config.faults.model_copy(update={"offline": ()}),
            gauge_ids=sensors,
            n_steps=simulation.n_steps,
            step_minutes=simulation.step_minutes,
            allowed_lateness_minutes=self.config.allowed_lateness_minutes,
            rng=fault_rng,
        )
        return StageEmitter(
            simulation,
            plan=plan,
            corruptor=corruptor,
            corrupt_rng=corrupt_rng,
            stage_rng=stage_rng,
            sequence_offset=self.config.sequence_offset,
            allowed_lateness_minutes=self.config.allowed_lateness_minutes,
            tally=self.levels_tally,
        )

    @staticmethod
    def _flooded_ids(simulation: Simulation) -> list[tuple[str, ...]]:
        reach_ids = simulation.basin.reach_ids
        return [tuple(reach_ids[i] for i in np.flatnonzero(row)) for row in simulation.flooded]

    @staticmethod
    def _observation(basin_id: str, observed_at: datetime, flooded: tuple[str, ...]) -> bytes:
        return (
            FloodObservation(basin_id=basin_id, observed_at=observed_at, flooded_reach_ids=flooded)
            .model_dump_json()
            .encode()
        )

    def sent_stage(self, *, on_time: bool = False) -> dict[str, np.ndarray]:
        """Per basin, the (steps, sensors) stage its sensors send (NaN: nothing sent), or with
        ``on_time`` only what they send on time; empty when the run sends no river levels."""
        return {
            emitter.basin_id: emitter.on_time_stage_m if on_time else emitter.stage_m
            for emitter in self.stage_emitters
        }

    def sent_forecasts(self) -> dict[str, ForecastRecord]:
        """Per basin, the rain forecasts its forecast emitter issues (as the messages carry
        them); empty when the run sends no forecasts."""
        return {forecaster.basin_id: forecaster.record for forecaster in self.forecasters}

    def observed_at(self, step: int) -> datetime:
        """End of step ``step``'s interval, in (possibly shifted) event time."""
        return self.start + (step + 1) * self.step

    def __iter__(self) -> Iterator[StepBatch]:
        for step in range(self.n_steps):
            observed_at = self.observed_at(step)
            text = format_observed_at(observed_at)
            readings: list[KeyValue] = []
            for emitter in self.emitters:
                emitter.emit(step, text, readings)
            levels: list[KeyValue] = []
            for stage_emitter in self.stage_emitters:
                stage_emitter.emit(step, text, levels)
            observations = [
                (emitter.key, self._observation(emitter.basin_id, observed_at, flooded[step]))
                for emitter, flooded in zip(self.emitters, self._flooded, strict=False)
            ]
            forecasts: list[KeyValue] = []
            for forecaster in self.forecasters:
                self.tally.forecasts += forecaster.emit(step, observed_at, forecasts)
            self.tally.steps += 1
            self.tally.observations += len(observations)
            yield StepBatch(step, observed_at, readings, observations, forecasts, levels)
