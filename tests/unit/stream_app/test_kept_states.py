"""The processor keeps each basin's decoded state between batches, and uses it only while the
table still holds what it wrote (issue 14): a restored or rewritten entry is decoded."""

from __future__ import annotations

import pytest

from stream_app.processing import BatchProcessor, ProcessorConfig
from stream_app.scoring.flood_scorer import FloodPathScorer
from tests.unit.stream_app.readings import RecordLog
from tests.unit.stream_app.test_batch_processor import NOW, Tables

CONFIG = ProcessorConfig(max_message_bytes=1_024, lateness_seconds=3_600)


def _rain(slot: int) -> float:
    return 2.0 if 8 <= slot < 20 else 0.0


@pytest.fixture
def records():
    return RecordLog().slots(range(40), rain=_rain)


def _outputs(tables: Tables) -> list[bytes]:
    return [p.model_dump_json().encode() for p in tables.predictions] + [
        *sorted(tables.states.items()),
        *sorted(tables.counts.items()),
    ]


def test_kept_states_give_what_decoding_every_batch_gives(toy_scorer, records) -> None:
    """One processor over many batches emits what a fresh processor per batch emits."""
    kept = Tables(BatchProcessor(toy_scorer, CONFIG, clock=lambda: NOW))
    kept.run(records, batch_size=7)
    fresh = Tables(BatchProcessor(toy_scorer, CONFIG, clock=lambda: NOW))
    for start in range(0, len(records), 7):
        fresh.processor = BatchProcessor(toy_scorer, CONFIG, clock=lambda: NOW)
        fresh.run(records[start : start + 7])
    assert len(kept.predictions) >= 5
    assert _outputs(kept) == _outputs(fresh)


def test_a_restored_table_entry_is_decoded(toy_scorer: FloodPathScorer, records) -> None:
    """After the tables go back to an earlier batch, the batches after it come out again."""
    tables = Tables(BatchProcessor(toy_scorer, CONFIG, clock=lambda: NOW))
    tables.run(records[:60], batch_size=30)
    restored, published = (dict(tables.states), dict(tables.counts)), len(tables.predictions)
    tables.run(records[60:90])
    first = _outputs(tables)
    tables.run(records[90:])  # the kept state moves on past the restored one
    tables.states, tables.counts = dict(restored[0]), dict(restored[1])
    del tables.predictions[published:]
    tables.run(records[60:90])
    assert len(tables.predictions) > published
    assert _outputs(tables) == first
