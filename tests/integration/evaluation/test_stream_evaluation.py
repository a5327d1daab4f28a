"""The stream's skill, measured through a real broker and worker, equals the offline score of
the same model on the same storms.

They may differ for reasons of the stream alone: a reading that arrives later than the allowed
lateness is dead-lettered and a missing gauge takes the mean of those that reported (the
offline features have every reading), a path is published on change and at a cadence (held in
between, with the probabilities and ETAs of the step it was made at), and a basin has no path
before its first prediction. Held paths change no warning, so without faults the stream warns
exactly where the offline model does. With a few late, too-late, repeated and malformed
readings, a slot's rain is rarely changed enough to move a probability across the threshold.
The tolerances allow one warning in 200 verified rows to flip, and a CSI within 0.02.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
from rich.console import Console

from floodcast.evaluation import (
    EvaluationOptions,
    Inputs,
    StreamEvaluation,
    evaluate_stream,
    evaluation_json,
)
from schemas.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
CSI_TOLERANCE = 0.02
DISAGREEING_SHARE = 0.005
FAULTS = "late=0.05,too_late=0.02,duplicates=0.01,malformed=0.005"


@pytest.mark.parametrize(
    ("inputs", "faults"),
    [("all", ""), ("all", FAULTS), ("rain", "")],
    ids=["all-inputs", "all-inputs-faulty-sensors", "rain-only"],
)
def test_stream_csi_matches_the_offline_csi_on_the_same_storms(
    kafka_bootstrap: str, tmp_path: Path, inputs: Inputs, faults: str
) -> None:
    """A stalled storm over two basins, played through broker and worker with the model's full
    inputs (rain, river levels, rain forecasts) or rain only: every published prediction falls
    on a step, the observations are the simulator's floods, the held paths score the offline
    model's CSI on the same inputs, and no river level or forecast arrives too late but those
    the sensors' faults send late."""
    settings = Settings(
        kafka_bootstrap=kafka_bootstrap,
        data_dir=tmp_path,
        readings_partitions=2,
        worker_web_enabled=False,
        metrics_enabled=False,
    )
    options = EvaluationOptions(
        seed=11,
        days=1.5,
        storms="stalled",
        basins=("upland", "midvale"),
        faults=faults,
        inputs=inputs,
        chunk_hours=6.0,
        replicates=50,
    )
    screen = io.StringIO()
    result = evaluate_stream(
        settings, ROOT / "models" / "default", options, Console(file=screen, width=160)
    )

    playback = result.playback
    assert result.observations_match_simulation
    assert playback.unreadable == 0
    if faults:
        assert playback.dead_lettered > 0 and playback.deduplicated > 0, "faults must reach it"
    else:
        assert playback.scored == playback.report.readings_messages
    assert result.unmatched_predictions == 0
    _check_side_inputs(result, inputs, faults)
    for basin in result.basins:
        assert basin.matching.published > 0, basin
        assert basin.matching.matched + basin.matching.repeats == basin.matching.published
    stream, offline = result.scores["stream"], result.scores["offline"]
    assert math.isfinite(offline["csi"].value), "the storm must flood reaches"
    assert stream["csi"].value == pytest.approx(offline["csi"].value, abs=CSI_TOLERANCE)
    assert result.disagreeing_rows <= DISAGREEING_SHARE * result.rows
    written = json.loads(json.dumps(evaluation_json(result), allow_nan=False))
    assert written["scores"]["stream"]["csi"]["value"] == stream["csi"].value
    assert written["scores"]["stream"]["csi"]["ci_low"] is None, "4 storm events: no interval"


def _check_side_inputs(result: StreamEvaluation, inputs: Inputs, faults: str) -> None:
    """The river levels and forecasts played balance on their topics, and only faults make
    one too late: a level its sensor sent late (``late_within`` may miss a slot its chunk's
    rain closed; ``late_beyond`` is meant to)."""
    playback = result.playback
    if inputs == "rain":
        assert playback.sides == {}
        return
    assert set(playback.sides) == {"river_levels", "rain_forecasts"}
    levels, forecasts = playback.sides["river_levels"], playback.sides["rain_forecasts"]
    assert levels.sent > 0 and forecasts.sent > 0
    assert levels.balanced and forecasts.balanced
    assert forecasts.too_late == 0 and forecasts.counts.dead_letters == 0
    report = playback.report.river_levels
    assert report is not None
    if faults:
        assert levels.too_late <= report.late_within + report.late_beyond
        assert levels.counts.dead_letters > 0, "faults must reach the levels too"
    else:
        assert levels.too_late == 0 and levels.counts.dead_letters == 0
        assert levels.counts.deduplicated == 0 and forecasts.counts.deduplicated == 0
        assert result.disagreeing_rows == 0, "in order, the stream warns as the batch path"
