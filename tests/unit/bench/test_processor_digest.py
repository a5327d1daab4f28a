"""The processor bench's digest pins the batch processor's outputs (issue 14: optimisations of
the hot path must leave every byte it emits unchanged)."""

from __future__ import annotations

import json

import pytest

from bench.processor import CLOCK, Batches, case_batches, digest, run_batches
from converters.model_package import load_package
from floodcast.catchment.basins import get_basin, list_basins
from floodcast.emulator import EmulatorConfig, build_simulations
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer
from tests.unit.stream_app.toy_package import write_toy_package

PINNED = {
    1: "5185b9cceea6da09f5a204e327adc2e55c2ec19754f2ddbf2773537b327dca44",
    8: "c8bddb41c855087f872a549b6b1a97d74873fcdb7d17fa00698f4fddca6c2e64",
}
"""Digest of each case's outputs (by readings per message), taken before the hot path was
optimised. A change that alters any output on purpose (a schema, the model, the features)
updates it; an optimisation never does."""


@pytest.fixture(scope="module")
def scorer(tmp_path_factory: pytest.TempPathFactory) -> FloodPathScorer:
    """The toy model over the built-in basins."""
    basins = [get_basin(basin_id) for basin_id in list_basins()]
    folder = write_toy_package(tmp_path_factory.mktemp("toy") / "package", basins)
    return FloodPathScorer(load_package(folder))


@pytest.fixture(scope="module")
def simulations():
    """A day of a stalled storm over every built-in basin: paths of many reaches."""
    return build_simulations(EmulatorConfig(hours=24, storm="stalled", observations=False))


def _spoiled(batches: Batches) -> Batches:
    """The batches with a few bad messages: unreadable, or bad pack records, and a copy of
    another basin's message."""
    spoiled = [list(records) for records in batches]
    first = spoiled[1][0]
    if first.value.startswith(b"["):
        pack = json.loads(first.value)
        pack[3] = {**pack[3], "v": -1.0}
        pack[5] = {**pack[5], "u": "in"}
        value = json.dumps(pack).encode()
    else:
        value = b'{"gauge_id": '
    spoiled[1][0] = _with_value(first, value)
    spoiled[2][1] = _with_value(spoiled[2][1], spoiled[1][2].value)
    return spoiled


def _with_value(record: SourceRecord, value: bytes) -> SourceRecord:
    return SourceRecord(record.topic, record.partition, record.offset, record.key, value)


@pytest.mark.parametrize("pack_size", sorted(PINNED))
def test_the_outputs_match_their_pinned_digest(scorer, simulations, pack_size) -> None:
    """Predictions, dead letters, states and counts of a spoiled stream hash as pinned."""
    batches, _ = case_batches(simulations, 1_500, pack_size, 200)
    config = ProcessorConfig(max_message_bytes=8_192, lateness_seconds=pack_size * 900 + 3_600)
    processor = BatchProcessor(scorer, config, clock=lambda: CLOCK)
    outputs = run_batches(processor, _spoiled(batches))
    assert sum(b'"reason"' in item for item in outputs) >= 2  # dead letters
    assert sum(b'"reach_id"' in item for item in outputs) >= 20  # predictions with paths
    assert digest(outputs) == PINNED[pack_size]
