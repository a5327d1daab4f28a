"""Where a basin's river-level (stage) sensors sit and how stage follows discharge.

Stage is the water depth above a sensor's gauge datum (the channel bed here), in metres. It
follows discharge through the power-law rating ``h = 0.3 Q^0.4`` of the channel model's
hydraulic geometry, so bankfull stage is ``0.3 Q_bf^0.4``. The features (which sensors each
reach reads, stage over bankfull) and the simulator's sensors (what they report) share these.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from converters.river_network import OUTLET, Basin

STAGE_COEFF = 0.3
STAGE_EXPONENT = 0.4
"""Rating ``h = STAGE_COEFF * Q ** STAGE_EXPONENT`` (m, m³/s), as in ``catchment.channel``."""

SENSOR_SPACING = 3
"""Besides the outlet, every third reach (in upstream-first order) carries a sensor."""


def stage_sensor_reaches(basin: Basin) -> tuple[int, ...]:
    """Indices of the reaches with a stage sensor: the outlet and every third other reach."""
    outlet = int(np.flatnonzero(basin.downstream == OUTLET)[0])
    spaced = {i for i in range(basin.n_reaches) if i % SENSOR_SPACING == 1 and i != outlet}
    return tuple(sorted(spaced | {outlet}))


def stage_sensor_id(basin_id: str, reach_index: int) -> str:
    """The id of the stage sensor on reach ``reach_index`` of ``basin_id``.

    Examples:
        >>> stage_sensor_id("lowland", 54)
        'lowland-S55'
    """
    return f"{basin_id}-S{reach_index + 1:02d}"


def rated_stage_m(discharge_m3s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Stage (m) at a discharge by the rating curve."""
    result: NDArray[np.float64] = STAGE_COEFF * np.maximum(discharge_m3s, 0.0) ** STAGE_EXPONENT
    return result


def bankfull_stage_m(basin: Basin) -> NDArray[np.float64]:
    """Rated bankfull stage (m) of every reach."""
    return rated_stage_m(basin.bankfull_m3s)
