"""Rain gathered so far for one 15-minute slot that is not final yet."""

from __future__ import annotations

import math

from stream_app.state.slot_spread import SLOT_SECONDS
from stream_app.state.slot_stage import SlotStage

__all__ = ["PendingSlot"]


class PendingSlot:
    """Per-gauge rain and covered seconds of one slot, the readings that end in it, and its
    river-level readings (``stage``, None until a stage sensor reports for the slot).

    Plain lists rather than arrays: the stream adds one reading at a time, and scalar updates
    on a list are several times faster than on a NumPy array.

    Args:
        n_gauges: gauges of the basin.
    """

    __slots__ = ("covered", "rain", "readings", "stage")

    def __init__(self, n_gauges: int) -> None:
        self.rain = [0.0] * n_gauges
        self.covered = [0] * n_gauges
        self.readings = 0
        """Readings whose interval ends in this slot; they are scored when it is final."""
        self.stage: SlotStage | None = None

    def add(self, gauge: int, seconds: int, rain_mm: float) -> None:
        """Add ``rain_mm`` measured by ``gauge`` over ``seconds`` of the slot."""
        self.rain[gauge] += rain_mm
        self.covered[gauge] = min(SLOT_SECONDS, self.covered[gauge] + seconds)

    @property
    def complete(self) -> bool:
        """Every gauge has covered the whole slot."""
        return all(seconds >= SLOT_SECONDS for seconds in self.covered)

    def gauge_rain(self) -> list[float]:
        """Rain per gauge for the feature step.

        A fully covered gauge gives its rain; a partly covered one is scaled up to the whole
        slot (its mean rate over the part it reported); a gauge that reported nothing is NaN,
        which the features replace with the mean of the gauges that reported.
        """
        full = SLOT_SECONDS
        return [
            rain if seconds >= full else rain * full / seconds if seconds else math.nan
            for rain, seconds in zip(self.rain, self.covered, strict=True)
        ]
