"""Channel hydraulics of each reach, giving constant-parameter Muskingum–Cunge coefficients.

At a reference discharge (half of a regional bankfull estimate) each reach gets a width and
depth from downstream hydraulic geometry (``W = 4 Q^0.5``, ``h = 0.3 Q^0.4``; Leopold &
Maddock 1953), a Manning velocity, and the kinematic wave celerity ``c = 5/3 v``. Cunge (1969)
then gives the Muskingum travel time ``K = L / c`` and weighting
``x = 1/2 (1 - Q / (W S c L))``, which makes the scheme's numerical diffusion match the
physical diffusion of the flood wave.

The reference discharge depends on geometry only, never on a basin's calibrated bankfull,
so calibrating bankfull does not change the flows it was calibrated on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.river_network import Basin

REGIONAL_BANKFULL_COEFF = 0.8
"""``a`` in the regional regression ``Q_bf = a A^0.75`` (m³/s, A in km²) used before calibration."""

REGIONAL_BANKFULL_EXPONENT = 0.75

MAX_MUSKINGUM_X = 0.3
"""Upper bound on ``x``; keeps the subdivided scheme free of negative coefficients."""


def regional_bankfull_m3s(upstream_area_km2: NDArray[np.float64]) -> NDArray[np.float64]:
    """Regional-regression bankfull discharge ``0.8 A^0.75`` (m³/s)."""
    result: NDArray[np.float64] = (
        REGIONAL_BANKFULL_COEFF * upstream_area_km2**REGIONAL_BANKFULL_EXPONENT
    )
    return result


@dataclass(frozen=True, eq=False)
class ChannelHydraulics:
    """Reference-flow hydraulics of every reach.

    Attributes:
        reference_m3s: discharge the channel parameters are evaluated at.
        width_m: water-surface width.
        depth_m: mean depth.
        velocity_ms: Manning mean velocity.
        celerity_ms: kinematic wave celerity.
        k_s: Muskingum travel time through the reach.
        x: Muskingum weighting factor.
    """

    reference_m3s: NDArray[np.float64]
    width_m: NDArray[np.float64]
    depth_m: NDArray[np.float64]
    velocity_ms: NDArray[np.float64]
    celerity_ms: NDArray[np.float64]
    k_s: NDArray[np.float64]
    x: NDArray[np.float64]

    @classmethod
    def from_basin(cls, basin: Basin) -> ChannelHydraulics:
        """Hydraulics from each reach's length, slope and upstream area."""
        q = 0.5 * regional_bankfull_m3s(basin.upstream_area_km2)
        width = 4.0 * q**0.5
        depth = 0.3 * q**0.4
        # Rougher beds on steep boulder streams, smoother on lowland rivers.
        manning_n = np.clip(0.03 + 0.6 * basin.slope, 0.03, 0.07)
        velocity = np.clip(depth ** (2.0 / 3.0) * np.sqrt(basin.slope) / manning_n, 0.2, 2.5)
        celerity = 5.0 / 3.0 * velocity
        length_m = basin.length_km * 1000.0
        x = 0.5 * (1.0 - q / (width * basin.slope * celerity * length_m))
        return cls(
            reference_m3s=q,
            width_m=width,
            depth_m=depth,
            velocity_ms=velocity,
            celerity_ms=celerity,
            k_s=length_m / celerity,
            x=np.clip(x, 0.0, MAX_MUSKINGUM_X),
        )
