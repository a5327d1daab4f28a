"""Runoff generation on each reach's local subcatchment.

Rain enters a PDM soil store (``catchment.soil``). Its saturation excess passes through two
equal fast linear reservoirs in series (a Nash cascade: overland and shallow subsurface flow),
its drainage through a slow groundwater reservoir (baseflow). The two outflows together are
the lateral inflow each reach receives from its own subcatchment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.river_network import Basin
from floodcast.catchment.reservoir import ReservoirRun, linear_reservoirs
from floodcast.catchment.soil import SoilParams, SoilRun, run_soil

M3_PER_MM_KM2 = 1.0e3
"""One millimetre of water over one square kilometre, in cubic metres."""

REFERENCE_RECHARGE_MM_DAY = 1.5
"""Groundwater recharge whose steady baseflow counts as fully wet (``initial_wetness = 1``)."""


@dataclass(frozen=True, eq=False)
class HydrologyParams:
    """Per-subcatchment hydrological parameters.

    Attributes:
        soil: PDM soil parameters.
        fast_lag_hours: mean delay of the fast (quickflow) response; each of the two cascade
            reservoirs has half of it as time constant.
        slow_k_days: time constant of the groundwater reservoir.
    """

    soil: SoilParams
    fast_lag_hours: NDArray[np.float64]
    slow_k_days: NDArray[np.float64]

    @classmethod
    def from_basin(cls, basin: Basin) -> HydrologyParams:
        """Parameters from each subcatchment's slope and area.

        Steep subcatchments get thinner soils (smaller capacity), quicker fast response and
        quicker groundwater; flat lowland ones get deeper soils and slower responses. The fast
        lag grows with subcatchment size like a time of concentration (``∝ A^0.35 / S^0.3``).
        """
        relative_slope = basin.slope / 0.01
        area = basin.local_area_km2
        cmax = np.clip(150.0 * relative_slope**-0.2, 90.0, 320.0)
        n = basin.n_reaches
        soil = SoilParams(
            cmax_mm=cmax,
            pareto_b=np.full(n, 0.5),
            field_capacity=np.full(n, 0.3),
            drainage_days=np.clip(12.0 * relative_slope**-0.15, 6.0, 25.0),
        )
        fast = np.clip(1.6 * area**0.35 * relative_slope**-0.3, 1.0, 18.0)
        slow = np.clip(40.0 * relative_slope**-0.2, 20.0, 90.0)
        return cls(soil=soil, fast_lag_hours=fast, slow_k_days=slow)

    def initial_storages_mm(
        self, wetness: float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Soil and groundwater storage for an antecedent wetness in [0, 1].

        Returns:
            ``(soil_mm, groundwater_mm)``: soil at ``wetness`` of its capacity, groundwater at
            the steady state of ``wetness * REFERENCE_RECHARGE_MM_DAY`` of recharge.
        """
        soil = wetness * self.soil.smax_mm
        groundwater = wetness * REFERENCE_RECHARGE_MM_DAY * self.slow_k_days
        return soil, groundwater


@dataclass(frozen=True, eq=False)
class RunoffRun:
    """Runoff from every subcatchment, with the stores it passed through.

    Attributes:
        soil: soil store fluxes and storage (mm).
        fast_upper: first fast reservoir (mm).
        fast_lower: second fast reservoir (mm).
        groundwater: groundwater reservoir (mm).
        lateral_mm: (T, n) water reaching each reach per step (mm over its subcatchment).
    """

    soil: SoilRun
    fast_upper: ReservoirRun
    fast_lower: ReservoirRun
    groundwater: ReservoirRun
    lateral_mm: NDArray[np.float64]


def generate_runoff(
    rain_mm: NDArray[np.float64],
    pet_mm: NDArray[np.float64],
    params: HydrologyParams,
    wetness: float,
    step_minutes: int = 15,
) -> RunoffRun:
    """Turn areal rain into lateral inflow for each reach.

    Args:
        rain_mm: (T, n) areal rain per step on each subcatchment.
        pet_mm: (T,) potential evapotranspiration per step.
        params: hydrological parameters.
        wetness: antecedent wetness in [0, 1] setting the initial soil and groundwater.
        step_minutes: step length in minutes.

    Returns:
        Lateral inflow (mm per step) and every store's run.
    """
    soil0, ground0 = params.initial_storages_mm(wetness)
    soil = run_soil(rain_mm, pet_mm, params.soil, soil0, step_minutes)
    fast_k = params.fast_lag_hours * 60.0 / (2.0 * step_minutes)
    zero = np.zeros(rain_mm.shape[1])
    upper = linear_reservoirs(soil.quickflow_mm, fast_k, zero)
    lower = linear_reservoirs(upper.outflow, fast_k, zero)
    ground = linear_reservoirs(
        soil.recharge_mm, params.slow_k_days * 1440.0 / step_minutes, ground0
    )
    return RunoffRun(
        soil=soil,
        fast_upper=upper,
        fast_lower=lower,
        groundwater=ground,
        lateral_mm=lower.outflow + ground.outflow,
    )
