"""A worker told to stop after its broker went away still ends, within its grace period."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from floodcast.kafka_local import BrokerConfig, KafkaJars, LocalBroker
from floodcast.worker_process import WorkerProcess
from schemas.settings import Settings
from stream_app.stop_watchdog import FORCED_EXIT_CODE
from tests.fixtures.broker import free_port_pair

pytestmark = pytest.mark.integration

GRACE_SECONDS = 5.0


@pytest.fixture
def own_broker(kafka_jars: KafkaJars, tmp_path: Path) -> Iterator[LocalBroker]:
    """A broker of this test's own, which it may stop (the session's serves the others)."""
    port, controller_port = free_port_pair()
    config = BrokerConfig(tmp_path / "broker", port=port, controller_port=controller_port)
    broker = LocalBroker(kafka_jars, config)
    broker.start()
    yield broker
    broker.stop()


def test_sigterm_after_the_broker_is_gone_ends_the_worker_in_its_grace(
    own_broker: LocalBroker, worker_settings: Settings, tmp_path: Path
) -> None:
    """faust waits forever on a consumer thread that died with the broker; the watchdog
    ends the process with status 75 and says so in the log."""
    settings = worker_settings.model_copy(
        update={
            "kafka_bootstrap": own_broker.config.bootstrap,
            "worker_stop_grace_seconds": GRACE_SECONDS,
        }
    )
    worker = WorkerProcess(settings, tmp_path / "worker.log")
    worker.start()
    own_broker.stop()
    time.sleep(3)  # the worker's clients find the broker gone

    asked = time.monotonic()
    code = worker.stop(timeout=GRACE_SECONDS + 25)
    took = time.monotonic() - asked

    assert code == FORCED_EXIT_CODE, worker.log_tail(40)
    assert took < GRACE_SECONDS + 10
    assert '"event":"worker_stop_forced"' in worker.log_path.read_text(errors="replace")
