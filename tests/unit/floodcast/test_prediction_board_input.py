"""Issue 12: the demo screen takes any message on its two topics, and renders what it took."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from floodcast.demo.prediction_board import PredictionBoard
from tests.helpers import hostile

EXAMPLES = 200


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    predictions=st.lists(
        st.one_of(st.none(), hostile.any_bytes(hostile.predictions())), max_size=4
    ),
    observations=st.lists(
        st.one_of(st.none(), hostile.any_bytes(hostile.observations())), max_size=4
    ),
)
def test_board_takes_any_message_and_renders(
    predictions: list[bytes | None], observations: list[bytes | None]
) -> None:
    """Each message is shown or counted as unreadable; the table renders whatever was shown."""
    board = PredictionBoard()
    predicted = sum(board.take_prediction(raw) for raw in predictions)
    observed = sum(board.take_observation(raw) for raw in observations)
    assert board.predictions_seen == predicted
    assert predicted + observed + board.unreadable == len(predictions) + len(observations)
    out = io.StringIO()
    Console(file=out, width=120).print(board.render("status"))
    assert "predicted flood paths" in out.getvalue()
