"""Muskingum routing down a river network, filtered along time with ``scipy.signal.lfilter``.

``O_{t+1} = C0 I_{t+1} + C1 I_t + C2 O_t`` with ``C0 = (Δt - 2Kx) / D``,
``C1 = (Δt + 2Kx) / D``, ``C2 = (2K(1-x) - Δt) / D``, ``D = 2K(1-x) + Δt``. The coefficients
are non-negative (no spurious oscillation or negative flow) only when
``2Kx <= Δt <= 2K(1-x)``; a reach too long for the step is split into sub-reaches, and a reach
too short for the step is routed with sub-steps. With ``x <= 1/3`` one of the two always works.

The scheme conserves volume exactly: with ``W = K(x I + (1-x) O) + Δt/2 (I - O)`` the storage
at the end of a step, ``W_t - W_{t-1} = Δt (I_t - O_t)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.signal import lfilter

from converters.river_network import OUTLET, Basin
from floodcast.catchment.exceptions import RoutingError


def muskingum_coefficients(k_s: float, x: float, dt_s: float) -> tuple[float, float, float]:
    """Muskingum ``(C0, C1, C2)`` for travel time ``k_s``, weighting ``x`` and step ``dt_s``.

    Examples:
        >>> [round(c, 3) for c in muskingum_coefficients(3600.0, 0.2, 900.0)]
        [-0.081, 0.351, 0.73]
        >>> MuskingumReach.plan(3600.0, 0.2, 900.0).n_sub_reaches  # C0 < 0: split in two
        2
    """
    denominator = 2.0 * k_s * (1.0 - x) + dt_s
    return (
        (dt_s - 2.0 * k_s * x) / denominator,
        (dt_s + 2.0 * k_s * x) / denominator,
        (2.0 * k_s * (1.0 - x) - dt_s) / denominator,
    )


@dataclass(frozen=True)
class MuskingumReach:
    """A reach's Muskingum scheme: ``n_sub_reaches`` equal sub-reaches, ``n_substeps`` per step.

    Attributes:
        k_s: travel time through the whole reach.
        x: weighting factor.
        dt_s: model step.
        n_sub_reaches: sub-reaches in series, each with travel time ``k_s / n_sub_reaches``.
        n_substeps: sub-steps per model step.
    """

    k_s: float
    x: float
    dt_s: float
    n_sub_reaches: int
    n_substeps: int

    @classmethod
    def plan(cls, k_s: float, x: float, dt_s: float) -> MuskingumReach:
        """Choose the subdivision that makes every coefficient non-negative.

        Raises:
            RoutingError: if ``k_s`` or ``dt_s`` is not positive or ``x`` is outside [0, 1/3].
        """
        if not (k_s > 0 and dt_s > 0 and math.isfinite(k_s) and math.isfinite(dt_s)):
            raise RoutingError(f"travel time and step must be positive, got K={k_s}, dt={dt_s}")
        if not 0.0 <= x <= 1.0 / 3.0:
            raise RoutingError(f"Muskingum x must lie in [0, 1/3], got {x}")
        sub_reaches = max(1, math.ceil(2.0 * k_s * x / dt_s - 1e-12))
        k_sub = k_s / sub_reaches
        substeps = max(1, math.ceil(dt_s / (2.0 * k_sub * (1.0 - x)) - 1e-12))
        reach = cls(k_s=k_s, x=x, dt_s=dt_s, n_sub_reaches=sub_reaches, n_substeps=substeps)
        if min(reach.coefficients) < -1e-12:  # unreachable for x <= 1/3; guards the algebra
            raise RoutingError(f"no stable subdivision for K={k_s}, x={x}, dt={dt_s}")
        return reach

    @property
    def coefficients(self) -> tuple[float, float, float]:
        """``(C0, C1, C2)`` of one sub-reach over one sub-step."""
        return muskingum_coefficients(
            self.k_s / self.n_sub_reaches, self.x, self.dt_s / self.n_substeps
        )


@dataclass(frozen=True, eq=False)
class ReachRouting:
    """Outflow of one reach and its channel storage before and after (m³)."""

    outflow_m3s: NDArray[np.float64]
    initial_storage_m3: float
    final_storage_m3: float


def route_reach(
    inflow_m3s: NDArray[np.float64], reach: MuskingumReach, initial_m3s: float
) -> ReachRouting:
    """Route a step-mean inflow series through one reach.

    The reach starts in steady state at ``initial_m3s``. Inflow is held constant over
    sub-steps and the outflow is averaged back to model steps, so volume stays exact.

    Args:
        inflow_m3s: (T,) step-mean inflow at the reach's upstream end.
        reach: the reach's Muskingum scheme.
        initial_m3s: steady flow through the reach before the first step.

    Returns:
        Step-mean outflow at the downstream end and the channel storage before and after.
    """
    c0, c1, c2 = reach.coefficients
    k_sub = reach.k_s / reach.n_sub_reaches
    dt_sub = reach.dt_s / reach.n_substeps
    flow = np.repeat(np.asarray(inflow_m3s, dtype=np.float64), reach.n_substeps)
    final = 0.0
    for _ in range(reach.n_sub_reaches):
        out, _ = lfilter([c0, c1], [1.0, -c2], flow, zi=[(c1 + c2) * initial_m3s])
        final += k_sub * (reach.x * flow[-1] + (1.0 - reach.x) * out[-1])
        final += 0.5 * dt_sub * (flow[-1] - out[-1])
        flow = out
    outflow = flow.reshape(-1, reach.n_substeps).mean(axis=1)
    return ReachRouting(
        outflow_m3s=outflow, initial_storage_m3=reach.k_s * initial_m3s, final_storage_m3=final
    )


@dataclass(frozen=True, eq=False)
class NetworkRouting:
    """Discharge at every reach's downstream end and the channel storages (m³).

    Attributes:
        discharge_m3s: (T, n) step-mean outflow of each reach.
        initial_storage_m3: (n,) channel storage before the first step.
        final_storage_m3: (n,) channel storage after the last step.
    """

    discharge_m3s: NDArray[np.float64]
    initial_storage_m3: NDArray[np.float64]
    final_storage_m3: NDArray[np.float64]


def route_network(
    basin: Basin,
    lateral_m3s: NDArray[np.float64],
    reaches: tuple[MuskingumReach, ...],
    initial_m3s: NDArray[np.float64],
) -> NetworkRouting:
    """Route lateral inflows down the network in topological (upstream-first) order.

    A reach's inflow is its own lateral inflow plus the outflow of every reach draining into
    it; lateral inflow enters at the reach's upstream end.

    Args:
        basin: the river network.
        lateral_m3s: (T, n) step-mean lateral inflow into each reach.
        reaches: each reach's Muskingum scheme.
        initial_m3s: (n,) steady flow through each reach before the first step.

    Returns:
        Discharge and channel storages.

    Raises:
        RoutingError: if the number of schemes does not match the network.
    """
    n = basin.n_reaches
    if len(reaches) != n or lateral_m3s.shape[1:] != (n,):
        raise RoutingError(f"need {n} reach schemes and lateral inflows, got {len(reaches)}")
    inflow = np.array(lateral_m3s.T, dtype=np.float64, order="C")  # rows contiguous per reach
    discharge = np.empty_like(inflow)
    initial = np.empty(n)
    final = np.empty(n)
    for i in range(n):
        routed = route_reach(inflow[i], reaches[i], float(initial_m3s[i]))
        discharge[i] = routed.outflow_m3s
        initial[i], final[i] = routed.initial_storage_m3, routed.final_storage_m3
        if basin.downstream[i] != OUTLET:
            inflow[basin.downstream[i]] += routed.outflow_m3s
    return NetworkRouting(
        discharge_m3s=np.ascontiguousarray(discharge.T),
        initial_storage_m3=initial,
        final_storage_m3=final,
    )
