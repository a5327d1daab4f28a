"""A basin's rain forecast, held until the slot it joins the features at is final."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.features.spec import FORECAST_MAX_AGE_STEPS
from stream_app.state.slot_spread import SLOT_SECONDS

__all__ = ["HeldForecast"]


@dataclass(slots=True)
class HeldForecast:
    """A forecast a basin accepted.

    A forecast issued at ``issued_at`` joins the features at the slot ending at or after it
    (``slot``), as a reading observed then would: the features take it as issued at the end
    of that slot, so its lead 0 is the slot after, as ``features.batch_features`` aligns a
    forecast issued at the end of a step. One that arrives after that slot is final joins the
    next slot to finalise instead, its leads already past dropped (see :meth:`values_at`).
    """

    forecast_id: str
    issued_at: int
    """Issue time, epoch seconds."""
    slot: int
    """Start of the slot the forecast joins the features at."""
    rain_mm: NDArray[np.float64]
    """(FORECAST_STEPS, gauges) in ``geometry.gauge_ids`` order, NaN for an area not given."""
    applied: bool = False
    """Whether its slot is final (the features took it in, or a newer one of the same slot);
    the latest is then kept to deduplicate against."""

    def stale_at(self, start: int) -> bool:
        """Whether at the slot ``start`` the forecast would count as missing already."""
        return (start - self.slot) // SLOT_SECONDS > FORECAST_MAX_AGE_STEPS

    def values_at(self, start: int) -> NDArray[np.float64]:
        """The values the features take at the slot ``start`` (at or after ``slot``): the
        forecast as issued, or, joining ``lag`` slots late, its leads from ``lag`` on, the
        six hours past its end dry."""
        lag = (start - self.slot) // SLOT_SECONDS
        if lag <= 0:
            return self.rain_mm
        shifted = np.zeros_like(self.rain_mm)
        shifted[: len(shifted) - lag] = self.rain_mm[lag:]
        return shifted
