"""``floodcast worker --processes 2``: two processes share the partitions of one consumer group,
account for every reading between them, and stop together."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from floodcast.worker_process import WorkerProcess
from schemas.settings import Settings
from tests.integration.stream_app.kafka_io import produce, wait_for_accounting
from tests.unit.stream_app.readings import reading_bytes

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SLOTS = 30


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_two_processes_split_the_partitions_and_stop_together(
    worker_settings: Settings, tmp_path: Path
) -> None:
    settings = worker_settings.model_copy(
        update={"readings_partitions": 2, "metrics_enabled": False}
    )
    # readings of the toy basin, and of a basin the model does not know (dead letters)
    messages = [(b"toy", reading_bytes(g, s)) for s in range(SLOTS) for g in ("toy-G1", "toy-G2")]
    messages += [(b"other", reading_bytes("o-G1", s, basin_id="other")) for s in range(SLOTS)]
    group = WorkerProcess(settings, tmp_path / "group.log", processes=2)
    group.start()
    try:
        assigned = [e for e in group.events() if e.get("event") == "partitions_assigned"]
        latest = {e["pid"]: e["partitions"] for e in assigned}
        topic = settings.topic_readings
        held = {
            pid: sorted(p for p in parts if p.rsplit(":", 1)[0] == topic)
            for pid, parts in latest.items()
        }
        assert len([pid for pid, parts in held.items() if parts]) == 2
        assert sorted(p for parts in held.values() for p in parts) == [f"{topic}:0", f"{topic}:1"]
        produce(settings.bootstrap_servers, topic, messages)
        snapshot = wait_for_accounting(
            settings.bootstrap_servers,
            settings.app_id,
            lambda s: s.totals.total >= len(messages),
        )
        assert snapshot.totals.total == len(messages)
        assert snapshot.totals.dead_letters == SLOTS
    finally:
        code = group.stop()
    assert code == 0
    assert not any(_alive(pid) for pid in held)
