"""The body of ``POST /v1/predict``: a window of one basin's gauge readings."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from schemas import GaugeReading
from schemas._message import StrictMessage
from schemas._types import Identifier

__all__ = ["MAX_READINGS", "MAX_WINDOW_HOURS", "PredictRequest"]

MAX_READINGS = 10_000
"""Readings per request; a day of 15-minute readings from 100 gauges is 9,600."""

MAX_WINDOW_HOURS = 7 * 24
"""Longest span from the first interval's start to the last reading's end.

The features look back 24 h (and the antecedent index decays by 0.9 a day), so a week is
plenty; the cap also bounds the number of 15-minute steps a request can make the model score.
"""


class PredictRequest(StrictMessage):
    """Gauge readings of one basin, in any order; the prediction is made after the last slot."""

    basin_id: Identifier
    readings: Annotated[list[GaugeReading], Field(min_length=1, max_length=MAX_READINGS)]
    """Every reading must be of ``basin_id`` and of one of its gauges."""
