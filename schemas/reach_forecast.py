"""One river reach on a predicted flood path."""

from __future__ import annotations

from schemas._message import StrictMessage
from schemas._types import Count, Identifier, Minutes, Probability


class ReachForecast(StrictMessage):
    """Flood probability and expected time to flooding of one reach."""

    reach_id: Identifier
    probability: Probability
    """Probability that the reach floods within the prediction horizon."""
    eta_minutes: Minutes
    """Expected time from the watermark until the reach floods."""
    reaches_to_outlet: Count
    """Reaches between this one and the basin outlet (0 for the outlet reach)."""
