"""FloodObservation: the simulator's truth message."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from schemas import FloodObservation

AT = datetime(2026, 1, 1, 6, 15, tzinfo=UTC)


def test_round_trips_through_json() -> None:
    """An observation survives serialisation unchanged, reach order included."""
    observation = FloodObservation(
        basin_id="upland", observed_at=AT, flooded_reach_ids=("R3", "R1")
    )
    assert FloodObservation.model_validate_json(observation.model_dump_json()) == observation


def test_no_flooded_reach_is_the_default() -> None:
    """An observation without reaches means nothing is flooded."""
    assert FloodObservation(basin_id="upland", observed_at=AT).flooded_reach_ids == ()


def test_repeated_reach_is_rejected() -> None:
    """A reach cannot be listed twice."""
    with pytest.raises(ValidationError, match="listed twice"):
        FloodObservation(basin_id="upland", observed_at=AT, flooded_reach_ids=("R1", "R1"))


def test_naive_time_is_rejected() -> None:
    """Event time must carry a time zone."""
    with pytest.raises(ValidationError):
        FloodObservation(basin_id="upland", observed_at=datetime(2026, 1, 1))
