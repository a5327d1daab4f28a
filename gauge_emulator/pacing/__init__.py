"""Playback speed of the emulator: one pacer per pacing mode."""

from gauge_emulator.pacing.fixed_rate import FixedRatePacer
from gauge_emulator.pacing.max_speed import MaxSpeedPacer
from gauge_emulator.pacing.pacer import Pacer
from gauge_emulator.pacing.pacing import Pacing, PacingMode
from gauge_emulator.pacing.speedup import SpeedupPacer

__all__ = ["FixedRatePacer", "MaxSpeedPacer", "Pacer", "Pacing", "PacingMode", "SpeedupPacer"]
