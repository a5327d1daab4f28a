"""What a run sent, what it broke on purpose, and what the stream worker must make of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from floodcast.emulator.emission_tally import EmissionTally
from floodcast.emulator.exceptions import DeliveryFailedError
from floodcast.emulator.faults.payload_corruptor import MalformedKind
from floodcast.emulator.river_levels_report import RiverLevelsReport
from schemas import DeadLetterReason


@dataclass(frozen=True)
class EmulatorReport:
    """Counts of one emulator run.

    The readings topic received ``readings_messages`` messages: each valid reading once
    (``valid_sent``, of which ``late_within`` and ``late_beyond`` arrived late), plus
    ``duplicates`` re-sent copies and the ``malformed`` payloads. A correct worker accepts
    ``expected_accepted`` of them and dead-letters the rest as ``expected_dead_letters()``.

    Attributes:
        basins: ids of the emulated basins.
        steps_sent: time steps sent.
        steps_total: time steps in the simulations.
        readings_total: simulated readings in the steps sent.
        valid_sent: distinct valid readings sent.
        duplicates: re-sent copies of valid readings.
        malformed: broken payloads sent, by kind.
        withheld_offline: readings an offline gauge did not send.
        late_within: valid readings sent late but within the allowed lateness.
        late_beyond: valid readings sent later than the allowed lateness.
        late_unsent: readings still held back when a stopped run ended.
        observations_sent: flood observations sent.
        produced: messages handed to the producer (every topic).
        delivery_failures: messages the broker did not acknowledge.
        delivery_errors: the first few delivery errors, as text.
        elapsed_s: wall-clock duration, flush included.
        stopped: whether the run was stopped before its end.
        first_observed_at: event time of the first step sent (end of its interval).
        last_observed_at: event time of the last step sent.
        producer_settings: the producer's librdkafka configuration.
        packed: valid readings sent inside SenML packs.
        packs: SenML pack messages sent.
        river_levels: what went to the river-levels topic; None when the run sent none.
        forecasts_sent: rain forecasts sent.
    """

    basins: tuple[str, ...]
    steps_sent: int
    steps_total: int
    readings_total: int
    valid_sent: int
    duplicates: int
    malformed: Mapping[MalformedKind, int]
    withheld_offline: int
    late_within: int
    late_beyond: int
    late_unsent: int
    observations_sent: int
    produced: int
    delivery_failures: int
    delivery_errors: tuple[str, ...]
    elapsed_s: float
    stopped: bool
    first_observed_at: datetime | None
    last_observed_at: datetime | None
    producer_settings: Mapping[str, str] = field(default_factory=dict)
    packed: int = 0
    packs: int = 0
    river_levels: RiverLevelsReport | None = None
    forecasts_sent: int = 0

    @classmethod
    def from_tally(
        cls,
        tally: EmissionTally,
        *,
        basins: tuple[str, ...],
        steps_total: int,
        produced: int = 0,
        delivery_failures: int = 0,
        delivery_errors: tuple[str, ...] = (),
        elapsed_s: float = 0.0,
        stopped: bool = False,
        first_observed_at: datetime | None = None,
        last_observed_at: datetime | None = None,
        producer_settings: Mapping[str, str] | None = None,
        levels_tally: EmissionTally | None = None,
    ) -> EmulatorReport:
        """The report of a run whose planner kept ``tally``; publishing counts as given."""
        return cls(
            basins=basins,
            steps_sent=tally.steps,
            steps_total=steps_total,
            readings_total=tally.readings_total,
            valid_sent=tally.valid_sent,
            duplicates=tally.duplicates,
            malformed=dict(tally.malformed),
            withheld_offline=tally.withheld_offline,
            late_within=tally.late_within,
            late_beyond=tally.late_beyond,
            late_unsent=tally.late_pending,
            observations_sent=tally.observations,
            produced=produced,
            delivery_failures=delivery_failures,
            delivery_errors=delivery_errors,
            elapsed_s=elapsed_s,
            stopped=stopped,
            first_observed_at=first_observed_at,
            last_observed_at=last_observed_at,
            producer_settings=producer_settings or {},
            packed=tally.packed,
            packs=tally.packs,
            river_levels=None
            if levels_tally is None
            else RiverLevelsReport.from_tally(levels_tally),
            forecasts_sent=tally.forecasts,
        )

    def __post_init__(self) -> None:
        full = {kind: int(self.malformed.get(kind, 0)) for kind in MalformedKind}
        object.__setattr__(self, "malformed", MappingProxyType(full))
        object.__setattr__(
            self, "producer_settings", MappingProxyType(dict(self.producer_settings))
        )

    @property
    def malformed_total(self) -> int:
        """Broken payloads of every kind."""
        return sum(self.malformed.values())

    @property
    def readings_messages(self) -> int:
        """Messages sent to the readings topic (a SenML pack is one, whatever it holds)."""
        singles = self.valid_sent - self.packed
        return singles + self.packs + self.duplicates + self.malformed_total

    @property
    def readings_per_second(self) -> float:
        """Readings-topic messages per wall-clock second over the whole run."""
        return self.readings_messages / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def expected_accepted(self) -> int:
        """Readings a correct worker accepts: every valid one not beyond the lateness."""
        return self.valid_sent - self.late_beyond

    def expected_dead_letters(self) -> dict[DeadLetterReason, int]:
        """Messages a correct worker dead-letters, by reason (zero counts left out)."""
        reasons: Counter[DeadLetterReason] = Counter()
        for kind, count in self.malformed.items():
            reasons[kind.reason] += count
        reasons[DeadLetterReason.DUPLICATE] += self.duplicates
        reasons[DeadLetterReason.TOO_LATE] += self.late_beyond
        return {reason: count for reason, count in reasons.items() if count}

    def raise_for_failures(self) -> None:
        """Raise ``DeliveryFailedError`` when any message was not acknowledged."""
        if self.delivery_failures:
            first = self.delivery_errors[0] if self.delivery_errors else "no detail"
            raise DeliveryFailedError(
                f"{self.delivery_failures} of {self.produced} messages failed; first: {first}"
            )

    def summary(self) -> str:
        """A few human-readable lines."""
        broken = ", ".join(f"{k.value}={n}" for k, n in self.malformed.items() if n) or "none"
        span = (
            f"{self.first_observed_at:%Y-%m-%d %H:%M} .. {self.last_observed_at:%Y-%m-%d %H:%M} UTC"
            if self.first_observed_at and self.last_observed_at
            else "-"
        )
        lines = [
            f"basins: {', '.join(self.basins)}; steps {self.steps_sent}/{self.steps_total}"
            f"{' (stopped)' if self.stopped else ''}; event time {span}",
            f"readings topic: {self.readings_messages} messages in {self.elapsed_s:.2f} s "
            f"({self.readings_per_second:,.0f}/s)",
            f"  valid {self.valid_sent} (late within {self.late_within}, beyond "
            f"{self.late_beyond}), duplicates {self.duplicates}, malformed {broken}",
            f"  withheld offline {self.withheld_offline}, late unsent {self.late_unsent}",
            f"observations: {self.observations_sent}; rain forecasts: {self.forecasts_sent}",
            *([self.river_levels.summary()] if self.river_levels is not None else []),
            f"delivery failures: {self.delivery_failures}",
        ]
        lines += [f"  {error}" for error in self.delivery_errors]
        return "\n".join(lines)
