"""Whole-basin water balance of a simulation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WaterBalance:
    """Volumes over a whole simulation, in m³.

    ``rain = outflow + evaporation + storage change`` up to rounding; ``closure_error`` is the
    residual relative to the rain.

    Attributes:
        rain_m3: rain on the basin (the true areal rain that drives the hydrology).
        outflow_m3: water leaving through the outlet reach.
        evaporation_m3: actual evapotranspiration.
        soil_change_m3: change in soil storage.
        fast_change_m3: change in the fast (quickflow) reservoirs.
        groundwater_change_m3: change in groundwater storage.
        channel_change_m3: change in channel storage.
    """

    rain_m3: float
    outflow_m3: float
    evaporation_m3: float
    soil_change_m3: float
    fast_change_m3: float
    groundwater_change_m3: float
    channel_change_m3: float

    @property
    def storage_change_m3(self) -> float:
        """Change in all stores together."""
        return (
            self.soil_change_m3
            + self.fast_change_m3
            + self.groundwater_change_m3
            + self.channel_change_m3
        )

    @property
    def residual_m3(self) -> float:
        """Water unaccounted for: rain minus outflow, evaporation and storage change."""
        return self.rain_m3 - self.outflow_m3 - self.evaporation_m3 - self.storage_change_m3

    @property
    def closure_error(self) -> float:
        """``residual / rain``; relative to the largest other term (at least 1 m³) without rain."""
        if self.rain_m3 > 0:
            return self.residual_m3 / self.rain_m3
        scale = max(self.outflow_m3, self.evaporation_m3, abs(self.storage_change_m3), 1.0)
        return self.residual_m3 / scale
