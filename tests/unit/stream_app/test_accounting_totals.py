"""The worker's accounting view sums its partition counts table."""

from __future__ import annotations

from floodcast.worker_process import settings_env
from schemas import DeadLetterReason
from schemas.settings import Settings
from stream_app import PartitionCounts, accounting_totals


def test_totals_sum_every_partition() -> None:
    """Per-partition entries are listed and summed, whatever their key order."""
    one = PartitionCounts(offset=9, scored=7, pending=1, deduplicated=2)
    one.dead_letter(DeadLetterReason.TOO_LATE)
    two = PartitionCounts(offset=3, scored=3)
    view = accounting_totals({b"1": one.to_bytes(), b"0": two.to_bytes()})  # type: ignore[arg-type]
    assert list(view["partitions"]) == ["0", "1"]
    assert view["totals"]["scored"] == 10
    assert view["totals"]["total"] == 14
    assert view["totals"]["dead_lettered"] == {"too_late": 1}


def test_side_topics_are_listed_and_summed_apart() -> None:
    """The river levels' counts, carried in the same records, are totalled on their own."""
    rain = PartitionCounts(offset=9, scored=7)
    levels = PartitionCounts(offset=4, scored=3, deduplicated=1)
    levels.dead_letter(DeadLetterReason.UNKNOWN_SENSOR)
    other = PartitionCounts(offset=0, pending=1)
    view = accounting_totals(
        {  # type: ignore[arg-type]
            b"0": rain.to_bytes({"river-levels": levels}),
            b"1": rain.to_bytes({"river-levels": other}),
        }
    )
    assert view["totals"]["total"] == 14
    side = view["topics"]["river-levels"]
    assert list(side["partitions"]) == ["0", "1"]
    assert side["totals"]["total"] == 6
    assert side["totals"]["dead_lettered"] == {"unknown_sensor": 1}


def test_settings_env_reproduces_the_settings(monkeypatch) -> None:
    """A child process given settings_env(settings) reads back the same settings."""
    settings = Settings(app_id="w-1", readings_partitions=3, worker_web_enabled=False)
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    assert Settings() == settings
