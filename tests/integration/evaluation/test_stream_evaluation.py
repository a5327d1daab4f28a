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

from floodcast.evaluation import EvaluationOptions, evaluate_stream, evaluation_json
from schemas.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
CSI_TOLERANCE = 0.02
DISAGREEING_SHARE = 0.005
FAULTS = "late=0.05,too_late=0.02,duplicates=0.01,malformed=0.005"


@pytest.mark.parametrize("faults", ["", FAULTS], ids=["in-order", "faulty-gauges"])
def test_stream_csi_matches_the_offline_csi_on_the_same_storms(
    kafka_bootstrap: str, tmp_path: Path, faults: str
) -> None:
    """A stalled storm over two basins, played through broker and worker: every published
    prediction falls on a step, the observations are the simulator's floods, and the held
    paths score the offline model's CSI."""
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
