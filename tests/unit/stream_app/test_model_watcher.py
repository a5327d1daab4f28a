"""The model watcher swaps the model between micro-batches and refuses a bad release."""

from __future__ import annotations

import asyncio
import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from converters.model_package import load_package
from converters.releases import ReleaseWatch, promote_package
from schemas import FloodPathPrediction
from stream_app.accounting import PartitionCounts
from stream_app.model_watcher import ModelWatcher
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer, ModelIdentity
from tests.helpers.model_releases import write_release
from tests.unit.stream_app.readings import RecordLog

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
CONFIG = ProcessorConfig(max_message_bytes=1_024, lateness_seconds=3_600, cadence_seconds=0)
SLOTS = 60
BATCH = 9  # three slots of the three toy gauges


@pytest.fixture
def pointer(toy_package: Path, tmp_path: Path) -> Path:
    """An active-release pointer naming the toy package (0.0.1)."""
    path = tmp_path / "active.json"
    promote_package(toy_package, path)
    return path


@pytest.fixture
def second_release(toy_package: Path, tmp_path: Path) -> Path:
    """The toy model again as 0.0.2: same scores, another sha256."""
    return write_release(toy_package, tmp_path / "second", "0.0.2")


def _watcher(scorer: FloodPathScorer, pointer: Path, seen: list[ModelIdentity]) -> ModelWatcher:
    processor = BatchProcessor(scorer, CONFIG, clock=lambda: NOW)
    watch = ReleaseWatch(pointer, None, scorer.identity.sha256)
    return ModelWatcher(processor, watch, on_model=seen.append)


async def _run(
    watcher: ModelWatcher, records: list[SourceRecord], promote_during: int | None, promote
) -> tuple[list[list[FloodPathPrediction]], PartitionCounts]:
    """Process ``records`` in batches as the agent does; during one batch, promote and check."""
    states: dict[str, bytes] = {}
    counts: dict[str, bytes] = {}
    batches = []
    for number, start in enumerate(range(0, len(records), BATCH)):
        processor = watcher.processor  # as the agent: read once, at the start of the batch
        if number == promote_during:
            promote()
            assert await watcher.check()
        result = processor.process(records[start : start + BATCH], states.get, counts.get)
        for basin_id, (_, data) in result.basin_states.items():
            states[basin_id] = data
        for partition, (_, tally) in result.partition_counts.items():
            counts[str(partition)] = tally.to_bytes()
        batches.append(result.predictions)
    return batches, PartitionCounts.summed(PartitionCounts.from_bytes(v) for v in counts.values())


def test_swap_lands_between_batches_and_loses_nothing(
    toy_scorer: FloodPathScorer, pointer: Path, second_release: Path
) -> None:
    """A release promoted mid-batch scores from the next batch on; every reading is scored
    once and the predictions equal an unswapped run's but for the model they name."""
    records = RecordLog().slots(range(SLOTS), rain=lambda s: 3.0 if 10 <= s < 30 else 0.0)
    seen: list[ModelIdentity] = []
    swapped = _watcher(toy_scorer, pointer, seen)
    batches, totals = asyncio.run(
        _run(swapped, records, 3, lambda: promote_package(second_release, pointer))
    )
    baseline, baseline_totals = asyncio.run(
        _run(_watcher(toy_scorer, pointer, []), records, None, lambda: None)
    )
    new_sha = load_package(second_release).manifest.model_sha256
    assert [identity.sha256 for identity in seen] == [new_sha]
    assert swapped.identity.sha256 == new_sha
    versions = [{p.model.version for p in batch} for batch in batches]
    assert all(v <= {"0.0.1"} for v in versions[:4])  # the batch under way kept its model
    assert all(v <= {"0.0.2"} for v in versions[4:]) and any(versions[4:])
    assert totals.scored + totals.pending == len(records)
    assert totals == baseline_totals
    assert _without_model(batches) == _without_model(baseline)


def _without_model(batches: list[list[FloodPathPrediction]]) -> list[dict[str, object]]:
    return [p.model_dump(exclude={"model"}) for batch in batches for p in batch]


def test_refused_release_keeps_the_old_model(
    toy_scorer: FloodPathScorer,
    pointer: Path,
    second_release: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A promoted release altered afterwards is refused with an error log; 0.0.1 keeps serving."""
    seen: list[ModelIdentity] = []
    watcher = _watcher(toy_scorer, pointer, seen)
    before = watcher.processor
    active = promote_package(second_release, pointer)
    networks = active.folder(pointer) / "networks.json"
    networks.write_bytes(networks.read_bytes().replace(b"toy", b"yot"))
    with caplog.at_level(logging.ERROR, logger="stream_app"):
        assert asyncio.run(watcher.check()) is False
    assert watcher.processor is before
    assert seen == []
    refused = [r for r in caplog.records if r.getMessage() == "model_refused"]
    assert len(refused) == 1
    assert "PackageIntegrityError" in refused[0].fields["error"]  # type: ignore[attr-defined]


def test_reload_is_logged_with_the_new_identity(
    toy_scorer: FloodPathScorer,
    pointer: Path,
    second_release: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """``model_reloaded`` names the new version and sha256 and the previous ones."""
    watcher = _watcher(toy_scorer, pointer, [])
    promote_package(Path(shutil.copytree(second_release, tmp_path / "copy")), pointer)
    with caplog.at_level(logging.INFO, logger="stream_app"):
        assert asyncio.run(watcher.check()) is True
        assert asyncio.run(watcher.check()) is False  # the same pointer again: no change
    (event,) = [r for r in caplog.records if r.getMessage() == "model_reloaded"]
    fields = event.fields  # type: ignore[attr-defined]
    assert fields["model_version"] == "0.0.2"
    assert fields["previous_sha256"] == toy_scorer.identity.sha256
    assert fields["model_sha256"] == watcher.identity.sha256 != toy_scorer.identity.sha256
