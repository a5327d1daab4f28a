"""Running counts of what the emulator has emitted, kept while a run's messages are planned."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from floodcast.emulator.faults.payload_corruptor import MalformedKind


@dataclass
class EmissionTally:
    """What has been handed out for sending so far; every count is in messages,
    except the readings of packs.

    Attributes:
        steps: time steps emitted.
        readings_total: readings the simulations hold for those steps.
        valid_sent: distinct valid readings emitted, on time or late.
        duplicates: extra copies of readings already emitted.
        malformed: broken payloads emitted, by kind.
        withheld_offline: readings not sent because their gauge was offline.
        late_within: valid readings emitted late, within the allowed lateness.
        late_beyond: valid readings emitted later than the allowed lateness.
        late_pending: readings held back and not emitted yet.
        observations: flood observations emitted.
        forecasts: rain forecasts emitted.
        packed: valid readings sent inside SenML packs (``valid_sent`` counts them too).
        packs: SenML pack messages emitted.
    """

    steps: int = 0
    readings_total: int = 0
    valid_sent: int = 0
    duplicates: int = 0
    malformed: Counter[MalformedKind] = field(default_factory=Counter)
    withheld_offline: int = 0
    late_within: int = 0
    late_beyond: int = 0
    late_pending: int = 0
    observations: int = 0
    forecasts: int = 0
    packed: int = 0
    packs: int = 0

    @property
    def readings_messages(self) -> int:
        """Messages emitted for the readings topic (valid, duplicate and malformed)."""
        singles = self.valid_sent - self.packed
        return singles + self.packs + self.duplicates + sum(self.malformed.values())
