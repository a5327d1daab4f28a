"""What a run sent to the river-levels topic, and what the stream worker must make of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from floodcast.emulator.emission_tally import EmissionTally
from floodcast.emulator.faults.payload_corruptor import STAGE_FIELDS, MalformedKind
from schemas import DeadLetterReason

__all__ = ["RiverLevelsReport"]


@dataclass(frozen=True)
class RiverLevelsReport:
    """Counts of the stage sensors' messages of one run.

    The topic received ``messages``: each valid reading once (``valid_sent``, of which
    ``late_within`` and ``late_beyond`` arrived late), plus ``duplicates`` and the ``malformed``
    payloads. A correct worker deduplicates the duplicates and dead-letters the malformed
    payloads as ``expected_dead_letters()``. Whether a late reading is too late depends on
    how far the worker has read the rain (a slot closes on its rain, see ``BasinState``): a
    reading beyond the allowed lateness always is, one within it may be.

    Attributes:
        readings_total: sensor readings of the steps sent, sent or not.
        valid_sent: distinct valid readings sent.
        lost: readings the sensors never sent (dropouts and outages).
        duplicates: re-sent copies of valid readings.
        malformed: broken payloads sent, by kind.
        late_within: valid readings sent late but within the allowed lateness.
        late_beyond: valid readings sent later than the allowed lateness.
        late_unsent: readings still held back when a stopped run ended.
    """

    readings_total: int
    valid_sent: int
    lost: int
    duplicates: int
    malformed: Mapping[MalformedKind, int]
    late_within: int
    late_beyond: int
    late_unsent: int

    @classmethod
    def from_tally(cls, tally: EmissionTally) -> RiverLevelsReport:
        """The report of the river-levels tally a planner kept."""
        return cls(
            readings_total=tally.readings_total,
            valid_sent=tally.valid_sent,
            lost=tally.withheld_offline,
            duplicates=tally.duplicates,
            malformed=MappingProxyType(
                {kind: int(tally.malformed.get(kind, 0)) for kind in MalformedKind}
            ),
            late_within=tally.late_within,
            late_beyond=tally.late_beyond,
            late_unsent=tally.late_pending,
        )

    @property
    def messages(self) -> int:
        """Messages sent to the river-levels topic."""
        return self.valid_sent + self.duplicates + sum(self.malformed.values())

    def expected_dead_letters(self) -> dict[DeadLetterReason, int]:
        """Dead letters a correct worker writes for the broken payloads, by reason; too-late
        ones come on top (see the class)."""
        reasons: Counter[DeadLetterReason] = Counter()
        for kind, count in self.malformed.items():
            reasons[STAGE_FIELDS.reason(kind)] += count
        return {reason: count for reason, count in reasons.items() if count}

    def summary(self) -> str:
        """One line."""
        broken = ", ".join(f"{k.value}={n}" for k, n in self.malformed.items() if n) or "none"
        return (
            f"river-levels topic: {self.messages} messages; valid {self.valid_sent} (late within"
            f" {self.late_within}, beyond {self.late_beyond}), lost {self.lost}, duplicates"
            f" {self.duplicates}, malformed {broken}"
        )
