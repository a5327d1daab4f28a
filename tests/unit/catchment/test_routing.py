"""Muskingum routing is stable, conserves volume, and delays and attenuates flood waves."""

from __future__ import annotations

import numpy as np
import pytest

from floodcast.catchment import MuskingumReach, RoutingError, muskingum_coefficients, route_network
from floodcast.catchment.channel import ChannelHydraulics
from floodcast.catchment.routing import route_reach
from tests.helpers.networks import y_basin

DT = 900.0


def _pulse(n_steps: int = 800, base: float = 2.0, peak: float = 50.0) -> np.ndarray:
    t = np.arange(n_steps)
    return base + peak * np.exp(-(((t - 40) / 8.0) ** 2))


@pytest.mark.parametrize(
    ("k_s", "x"), [(100.0, 0.2), (450.0, 0.0), (2000.0, 0.25), (20000.0, 0.3), (900.0, 1 / 3)]
)
def test_planned_coefficients_are_non_negative_and_sum_to_one(k_s: float, x: float) -> None:
    """Subdividing reaches or steps keeps every coefficient >= 0 for short and long reaches."""
    reach = MuskingumReach.plan(k_s, x, DT)
    coefficients = reach.coefficients
    assert min(coefficients) >= -1e-12
    assert sum(coefficients) == pytest.approx(1.0)
    # Subdivision happens exactly when the undivided scheme has a negative coefficient.
    needs_subdivision = min(muskingum_coefficients(k_s, x, DT)) < 0
    assert needs_subdivision == (reach.n_sub_reaches * reach.n_substeps > 1)


def test_long_reaches_split_and_short_reaches_substep() -> None:
    """A reach far longer than a step is split; one far shorter is routed with sub-steps."""
    assert MuskingumReach.plan(20000.0, 0.3, DT).n_sub_reaches > 1
    assert MuskingumReach.plan(100.0, 0.2, DT).n_substeps > 1


@pytest.mark.parametrize(("k_s", "x"), [(0.0, 0.2), (1000.0, 0.4), (1000.0, -0.1)])
def test_unstable_parameters_are_rejected(k_s: float, x: float) -> None:
    """Non-positive travel times and x outside [0, 1/3] raise RoutingError."""
    with pytest.raises(RoutingError):
        MuskingumReach.plan(k_s, x, DT)


@pytest.mark.parametrize(("k_s", "x"), [(150.0, 0.1), (3000.0, 0.2), (15000.0, 0.3)])
def test_reach_routing_conserves_volume_exactly(k_s: float, x: float) -> None:
    """Inflow volume equals outflow volume plus the change in channel storage."""
    inflow = _pulse()
    routed = route_reach(inflow, MuskingumReach.plan(k_s, x, DT), initial_m3s=2.0)
    volume_in = inflow.sum() * DT
    volume_out = routed.outflow_m3s.sum() * DT
    storage_change = routed.final_storage_m3 - routed.initial_storage_m3
    assert volume_in - volume_out - storage_change == pytest.approx(0.0, abs=1e-9 * volume_in)
    # Over a window long enough for the wave to pass, outflow volume alone matches inflow.
    assert volume_out == pytest.approx(volume_in, rel=1e-6)


def test_steady_flow_stays_steady() -> None:
    """A reach started in steady state at the inflow rate passes that rate unchanged."""
    routed = route_reach(np.full(300, 7.5), MuskingumReach.plan(5000.0, 0.2, DT), 7.5)
    np.testing.assert_allclose(routed.outflow_m3s, 7.5, rtol=1e-12)


def test_flood_wave_is_delayed_and_attenuated() -> None:
    """The outflow peak comes later and lower than the inflow peak, and never goes negative."""
    inflow = _pulse()
    routed = route_reach(inflow, MuskingumReach.plan(10800.0, 0.1, DT), 2.0)
    delay_steps = int(np.argmax(routed.outflow_m3s) - np.argmax(inflow))
    assert 8 <= delay_steps <= 16  # K = 3 h = 12 steps
    assert routed.outflow_m3s.max() < inflow.max()
    assert routed.outflow_m3s.min() >= 0.0


def test_network_routing_adds_tributaries_and_conserves_volume() -> None:
    """The outlet carries all lateral inflow once the waves have passed the network."""
    basin = y_basin()
    hydraulics = ChannelHydraulics.from_basin(basin)
    reaches = tuple(
        MuskingumReach.plan(float(k), float(x), DT)
        for k, x in zip(hydraulics.k_s, hydraulics.x, strict=True)
    )
    lateral = np.zeros((1000, basin.n_reaches))
    lateral[:, 0] = _pulse(1000, base=0.0)
    lateral[:, 1] = 0.5 * _pulse(1000, base=0.0)
    routed = route_network(basin, lateral, reaches, np.zeros(basin.n_reaches))
    outlet = routed.discharge_m3s[:, 3]
    assert outlet.sum() == pytest.approx(lateral.sum(), rel=1e-9)
    assert np.argmax(outlet) > np.argmax(routed.discharge_m3s[:, 0])
    storage_change = (routed.final_storage_m3 - routed.initial_storage_m3).sum()
    assert lateral.sum() * DT - outlet.sum() * DT == pytest.approx(storage_change, abs=1e-6)


def test_network_routing_checks_scheme_count() -> None:
    """Routing with a scheme missing for some reach raises RoutingError."""
    basin = y_basin()
    with pytest.raises(RoutingError):
        route_network(basin, np.zeros((10, 4)), (), np.zeros(4))
