"""Simulations shared by the gauge emulator's unit tests."""

from __future__ import annotations

import pytest

from floodcast.catchment import Simulation, get_basin, preset_storm, simulate
from tests.helpers.networks import y_basin


@pytest.fixture(scope="session")
def upland_run() -> Simulation:
    """Two days of the built-in upland basin (4 gauges) under a convective storm."""
    basin = get_basin("upland")
    return simulate(basin, days=2, seed=3, storms=[preset_storm("convective", basin, 8)])


@pytest.fixture(scope="session")
def toy_run() -> Simulation:
    """Two days of the hand-built Y-shaped toy basin (3 gauges) under a stalled storm."""
    basin = y_basin()
    return simulate(basin, days=2, seed=3, storms=[preset_storm("stalled", basin, 8)])
