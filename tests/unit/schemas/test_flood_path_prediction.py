"""FloodPathPrediction: an ordered, self-consistent flood path; empty means all-clear."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pydantic import ValidationError

from schemas import FloodPathPrediction, PathSummary, PeakReach, ReachForecast
from tests.unit.schemas.payloads import prediction

A = ReachForecast(reach_id="A", probability=0.9, eta_minutes=30.0, reaches_to_outlet=2)
B = ReachForecast(reach_id="B", probability=0.6, eta_minutes=30.0, reaches_to_outlet=1)
D = ReachForecast(reach_id="D", probability=0.95, eta_minutes=180.0, reaches_to_outlet=0)


def test_empty_path_is_a_valid_all_clear() -> None:
    """A prediction with no reaches is valid, all-clear, and round-trips through JSON."""
    clear = prediction()
    assert clear.all_clear
    assert clear.summary == PathSummary(
        first_reach=None, last_reach=None, time_to_first_flood_minutes=None, peak=None, n_reaches=0
    )
    assert FloodPathPrediction.model_validate_json(clear.model_dump_json()) == clear


def test_path_round_trips_and_summarises() -> None:
    """A non-empty path keeps its order through JSON and its summary describes it."""
    pred = prediction((A, B, D), changed=True)
    assert not pred.all_clear
    assert pred.summary == PathSummary(
        first_reach="A",
        last_reach="D",
        time_to_first_flood_minutes=30.0,
        peak=PeakReach(reach_id="D", probability=0.95, eta_minutes=180.0),
        n_reaches=3,
    )
    back = FloodPathPrediction.model_validate_json(pred.model_dump_json())
    assert back == pred
    assert [reach.reach_id for reach in back.reaches] == ["A", "B", "D"]


def test_peak_ties_go_to_the_earliest_reach() -> None:
    """Among equally likely reaches the summary's peak is the first on the path."""
    late = D.model_copy(update={"probability": A.probability})
    assert PathSummary.from_reaches((A, late)).peak == PeakReach(
        reach_id="A", probability=0.9, eta_minutes=30.0
    )


@pytest.mark.parametrize(
    ("reaches", "message"),
    [
        ((D, A), "ordered by eta_minutes"),
        ((B, A), "upstream first"),
        ((A, A), "appears twice"),
        ((A, D.model_copy(update={"eta_minutes": 361.0})), "horizon"),
    ],
    ids=["eta-order", "tie-order", "duplicate", "beyond-horizon"],
)
def test_inconsistent_paths_are_rejected(reaches: tuple[ReachForecast, ...], message: str) -> None:
    """Out-of-order, repeated or beyond-horizon reaches make the prediction invalid."""
    with pytest.raises(ValidationError, match=message):
        prediction(reaches)


def test_summary_must_match_reaches() -> None:
    """A summary that does not describe the reaches is rejected."""
    with pytest.raises(ValidationError, match="summary does not match"):
        prediction((A,), summary=PathSummary.from_reaches(()))


@pytest.mark.parametrize(
    "update",
    [{"probability": 1.01}, {"probability": -0.01}, {"eta_minutes": -1.0}, {"reach_id": "a b"}],
)
def test_reach_fields_are_bounded(update: dict) -> None:
    """Probabilities stay in [0, 1], ETAs are non-negative and reach ids follow the id pattern."""
    with pytest.raises(ValidationError):
        ReachForecast.model_validate_json(A.model_copy(update=update).model_dump_json())


def test_model_hash_must_be_sha256_hex() -> None:
    """The model reference needs a 64-character lower-case hex digest."""
    wire = prediction().model_dump(mode="json")
    wire["model"]["sha256"] = "AB" * 32
    with pytest.raises(ValidationError, match="sha256"):
        FloodPathPrediction.model_validate_json(json.dumps(wire))


def test_prediction_id_names_basin_watermark_and_model_not_issue_time() -> None:
    """A repeat issued later has the same id; another watermark or model gives another one."""
    first = prediction((A, B, D))
    repeat = first.model_copy(update={"issued_at": first.issued_at + timedelta(minutes=5)})
    later = first.model_copy(update={"watermark": first.watermark + timedelta(minutes=15)})
    other_model = first.model_copy(
        update={"model": first.model.model_copy(update={"sha256": "f" * 64})}
    )
    assert repeat.prediction_id == first.prediction_id
    assert len({first.prediction_id, later.prediction_id, other_model.prediction_id}) == 3
    assert "prediction_id" not in json.loads(first.model_dump_json())  # derived, not sent
