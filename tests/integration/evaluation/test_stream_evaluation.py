"""The stream's skill, measured through a real broker and worker, equals the offline score of
the same model on the same storms.

They may differ for reasons of the stream alone: a reading that arrives late or is dropped
changes a slot's features (missing gauges take the mean of those that reported), a path is
published on change and at a cadence (held in between, with its probabilities and ETAs of
the step it was made), and a basin has no path before its first prediction. With the
emulator's readings in order and no faults, none of these changes which reaches are warned,
so the held paths warn exactly where the offline model does; the tolerance allows for
one warning in 200 verified rows flipping (e.g. a probability within float32 rounding of the
threshold) and no more.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from rich.console import Console

from floodcast.evaluation import EvaluationOptions, evaluate_stream
from schemas.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
CSI_TOLERANCE = 0.02
DISAGREEING_SHARE = 0.005


def test_stream_csi_matches_the_offline_csi_on_the_same_storms(
    kafka_bootstrap: str, tmp_path: Path
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
        seed=11, days=1.5, storms="stalled", basins=("upland", "midvale"), replicates=50
    )
    screen = io.StringIO()
    result = evaluate_stream(
        settings, ROOT / "models" / "default", options, Console(file=screen, width=160)
    )

    assert result.observations_match_simulation
    assert result.playback.unreadable == 0
    assert result.playback.dead_lettered == 0
    for basin in result.basins:
        assert basin.matching.published > 0, basin
        assert basin.matching.unmatched == 0, basin
        assert basin.matching.matched + basin.matching.repeats == basin.matching.published
    stream, offline = result.scores["stream"], result.scores["offline"]
    assert math.isfinite(offline["csi"].value), "the storm must flood reaches"
    assert stream["csi"].value == pytest.approx(offline["csi"].value, abs=CSI_TOLERANCE)
    assert result.disagreeing_rows <= DISAGREEING_SHARE * result.rows
