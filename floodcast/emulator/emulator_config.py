"""Everything one emulator run needs: what to simulate, how fast to send, what to break."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from floodcast.catchment import DEFAULT_START
from floodcast.emulator.faults.fault_config import FaultConfig
from floodcast.emulator.pacing import Pacing
from floodcast.emulator.producer_tuning import ProducerTuning
from schemas.settings import get_settings

StormChoice = Literal["convective", "frontal", "stalled", "random"]
"""A preset storm aimed at each basin, or storms drawn from the default storm climate."""

TimeAnchor = Literal["simulation", "live"]
"""Event time as simulated, or shifted so the run starts at the current quarter hour."""


class EmulatorConfig(BaseModel):
    """One emulator run. Topic names, sizes and lateness default to Floodcast's settings.

    The simulation fields (basins to step_minutes) are not used when ready-made simulations
    are passed to ``run_emulator``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # What to simulate
    basins: tuple[str, ...] = ()
    """Built-in basin ids; empty means every built-in basin."""
    storm: StormChoice = "random"
    storm_start_hours: float = Field(default=6.0, ge=0.0)
    """When a preset storm starts, leaving a dry lead-in for the features."""
    hours: float = Field(default=48.0, gt=0.0)
    """Simulated duration."""
    seed: int = Field(default=0, ge=0)
    """Seed of the simulations and of the emulator's own draws (faults, batteries)."""
    start: AwareDatetime = DEFAULT_START
    """Start of the simulations (before any live-time shift)."""
    step_minutes: int = Field(default=15, ge=1, le=60)

    # How to send it
    pacing: Pacing = Field(default_factory=Pacing)
    time_anchor: TimeAnchor = "simulation"
    sequence_offset: int = Field(default=0, ge=0)
    pack_size: int = Field(default=1, ge=1, le=256)
    """Readings per gauge per upload: above 1, each gauge's readings of that many steps go out
    as one SenML pack (on the last step, whatever is buffered). Faulty steps go out singly."""
    """First sequence number of every gauge."""
    observations: bool = True
    """Also publish the simulator's flooded reaches per step."""
    river_levels: bool = Field(default_factory=lambda: get_settings().emulate_river_levels)
    """Also publish each basin's stage sensors' readings (``RiverLevelReading``)."""
    forecasts: bool = False
    """Also publish each basin's rain forecasts (hourly, degraded as training sees them)."""
    faults: FaultConfig = Field(default_factory=FaultConfig)
    progress_interval_s: float = Field(default=1.0, gt=0.0)

    # Where to send it
    readings_topic: str = Field(default_factory=lambda: get_settings().topic_readings)
    observations_topic: str = Field(default_factory=lambda: get_settings().topic_observations)
    river_levels_topic: str = Field(default_factory=lambda: get_settings().topic_river_levels)
    forecasts_topic: str = Field(default_factory=lambda: get_settings().topic_rain_forecasts)
    create_topics: bool = True
    """Create missing topics (else a missing topic is an error)."""
    partitions: int = Field(default_factory=lambda: get_settings().readings_partitions, ge=1)
    replication_factor: int = Field(default_factory=lambda: get_settings().replication_factor, ge=1)
    producer: ProducerTuning = Field(default_factory=ProducerTuning)

    # The worker's limits, which decide what counts as oversize or too late
    max_message_bytes: int = Field(default_factory=lambda: get_settings().max_message_bytes, ge=256)
    allowed_lateness_minutes: int = Field(
        default_factory=lambda: get_settings().allowed_lateness_minutes, ge=0
    )

    @property
    def days(self) -> float:
        """Simulated duration in days."""
        return self.hours / 24.0
