"""The evaluation on screen (a table) and as JSON."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.table import Table

from converters.skill import Interval
from floodcast.evaluation.stream_evaluation import StreamEvaluation

__all__ = ["TABLE_SCORES", "evaluation_json", "evaluation_table", "write_json"]

TABLE_SCORES = (
    ("csi", "CSI"),
    ("pod", "POD"),
    ("far", "FAR"),
    ("brier_skill", "Brier skill"),
    ("onset_csi", "onset CSI"),
    ("eta_mae_onset_hours", "onset ETA error (h)"),
)
LABELS = {
    "stream": "stream (held paths)",
    "offline": "offline, same model",
    "offline_as_path": "offline, as a path",
    "persistence": "persistence",
}


_INPUTS = {"all": "gauges, river levels, rain forecasts", "rain": "gauges only"}


def _cell(interval: Interval) -> str:
    if math.isnan(interval.value):
        return "–"
    if math.isnan(interval.low):
        return f"{interval.value:.2f}"
    return f"{interval.value:.2f} [{interval.low:.2f}, {interval.high:.2f}]"


def evaluation_table(result: StreamEvaluation) -> Table:
    """Each forecast's scores on the same rows, 95 % intervals in brackets where given."""
    table = Table(
        title=f"{result.rows:,} reach-steps, {result.events} storm events, seed "
        f"{result.options.seed}, threshold {result.threshold:g}; "
        f"inputs: {_INPUTS[result.options.inputs]}",
    )
    table.add_column("forecast")
    for _, label in TABLE_SCORES:
        table.add_column(label, justify="right")
    for name, scores in result.scores.items():
        table.add_row(LABELS.get(name, name), *(_cell(scores[key]) for key, _ in TABLE_SCORES))
    return table


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def evaluation_json(result: StreamEvaluation) -> dict[str, Any]:
    """Everything the run measured, JSON-ready (NaN as null)."""
    playback = result.playback
    return {
        "options": asdict(result.options),
        "model": {
            "path": str(result.model_path),
            "sha256": result.model_sha256,
            "threshold": result.threshold,
            "horizon_hours": result.horizon_hours,
        },
        "rows": result.rows,
        "events": result.events,
        "unmatched_predictions": result.unmatched_predictions,
        "rows_stream_and_offline_disagree": result.disagreeing_rows,
        "scores": {
            forecast: {
                name: {
                    "value": _finite(i.value),
                    "ci_low": _finite(i.low),
                    "ci_high": _finite(i.high),
                }
                for name, i in scores.items()
            }
            for forecast, scores in result.scores.items()
        },
        "basins": [
            {
                "basin_id": b.basin_id,
                **asdict(b.matching),
                "rows": b.rows,
                "rows_stream_and_offline_disagree": b.disagreeing_rows,
            }
            for b in result.basins
        ],
        "stream": {
            "readings_sent": playback.report.readings_messages,
            "scored": playback.scored,
            "pending": playback.pending,
            "dead_lettered": playback.dead_lettered,
            "deduplicated": playback.deduplicated,
            "predictions_read": len(playback.predictions),
            "observations_read": len(playback.observations),
            "unreadable_messages": playback.unreadable,
            "observations_match_simulation": result.observations_match_simulation,
            "seconds": round(playback.seconds, 1),
            "flow_wait_seconds": round(playback.flow_wait_seconds, 1),
            "side_inputs": {
                name: {
                    "topic": side.topic,
                    "sent": side.sent,
                    "scored": side.counts.scored,
                    "pending": side.counts.pending,
                    "deduplicated": side.counts.deduplicated,
                    "dead_lettered": dict(sorted(side.counts.dead_lettered.items())),
                    "too_late": side.too_late,
                    "balanced": side.balanced,
                }
                for name, side in playback.sides.items()
            },
        },
    }


def write_json(result: StreamEvaluation, path: Path) -> None:
    """Write :func:`evaluation_json` to ``path`` (indented, keys in order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(evaluation_json(result), indent=2) + "\n")
