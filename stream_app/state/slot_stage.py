"""The river-level readings gathered for one 15-minute slot that is not final yet."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["SlotStage"]


class SlotStage:
    """Per stage sensor, the reading of a slot that the features take: its latest.

    A sensor may report more than once in a slot (a faster sampling rate, a resent reading):
    the one observed last stands for the slot, and of two observed at the same second the one
    that arrived last. A sensor without a reading is NaN, as in ``IncrementalFeatures.advance``.

    Args:
        n_sensors: stage sensors of the basin.
    """

    __slots__ = ("at", "readings", "stage_m")

    def __init__(self, n_sensors: int) -> None:
        self.stage_m = [math.nan] * n_sensors
        self.at = [-1] * n_sensors
        """Observation time (epoch s) of each sensor's kept reading; -1: none."""
        self.readings = 0
        """Stage readings accepted into the slot; they are scored when it is final."""

    def add(self, sensor: int, at: int, stage_m: float) -> None:
        """Take ``sensor``'s reading observed at ``at`` if it is the sensor's latest."""
        if at >= self.at[sensor]:
            self.at[sensor] = at
            self.stage_m[sensor] = stage_m
        self.readings += 1

    def values(self) -> NDArray[np.float64]:
        """(sensors,) stage in metres, NaN for a sensor without a reading in the slot."""
        return np.asarray(self.stage_m, dtype=np.float64)
