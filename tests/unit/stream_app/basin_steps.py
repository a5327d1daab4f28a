"""A small basin and its slots, for the basin-state tests."""

from __future__ import annotations

from converters.features import BasinGeometry
from stream_app.state import SLOT_SECONDS, AcceptVerdict, BasinState
from tests.helpers.networks import y_basin

GEOMETRY = BasinGeometry.from_basin(y_basin())
T0 = 1_767_225_600
LATENESS = 3_600


def end_of(slot: int) -> int:
    """End of slot ``slot`` after T0, epoch seconds."""
    return T0 + (slot + 1) * SLOT_SECONDS


def rain_in(state: BasinState, slot: int, mm: float = 1.0) -> None:
    """Every gauge's reading of ``slot`` (sequence = slot), each accepted."""
    for gauge in range(GEOMETRY.n_gauges):
        start = T0 + slot * SLOT_SECONDS
        assert state.accept(gauge, slot, start, start + SLOT_SECONDS, mm) is AcceptVerdict.ACCEPTED
