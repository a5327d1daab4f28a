"""Every fault kind of ``bench.chaos``, shortened, on a real broker: nothing lost, doubled or
different from the offline reference (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench._chaos_broker import ChaosBroker
from bench._chaos_run import Scenario, run_scenario
from bench.chaos import print_table
from schemas.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def chaos_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chaos")


@pytest.fixture(scope="module")
def chaos_broker(chaos_dir: Path) -> Iterator[ChaosBroker]:
    """A broker of the module's own: one of the tests kills it."""
    broker = ChaosBroker(Settings(), chaos_dir / "broker")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="module")
def base_settings(chaos_dir: Path) -> Settings:
    return Settings(model_path=ROOT / "models" / "default")


SHORTENED = [
    pytest.param(Scenario("worker_sigkill", 3, rate=100.0), 3, id="worker-sigkill"),
    pytest.param(Scenario("graceful_restart", 1, rate=100.0, seed=1), 1, id="graceful-restart"),
    pytest.param(Scenario("broker_sigkill", 1, rate=100.0, seed=2), 1, id="broker-sigkill"),
    # 1 -> 3 -> 1 records its way out and its way back in
    pytest.param(Scenario("scale_1_3_1", 1, rate=100.0, seed=3), 2, id="scale-1-3-1"),
    # longer than the session timeout: the group drops the cut-off worker
    pytest.param(
        Scenario("network_cut", 1, rate=100.0, seed=4, cut_seconds=(12.0, 14.0)),
        1,
        id="network-cut",
    ),
]


@pytest.mark.parametrize(("scenario", "faults"), SHORTENED)
def test_fault_loses_doubles_and_changes_nothing(
    scenario: Scenario,
    faults: int,
    chaos_broker: ChaosBroker,
    base_settings: Settings,
    chaos_dir: Path,
) -> None:
    """Readings flow while the fault strikes at random moments; afterwards every reading is
    counted once in the reference's bucket, the predictions are the reference's (repeats
    identical), and scoring resumed after every fault."""
    result = run_scenario(chaos_broker, base_settings, scenario, chaos_dir)
    print_table([result])  # shown with pytest -s
    outcome = result.outcome
    assert outcome.readings_in > 0 and outcome.scored > 0
    assert (outcome.lost, outcome.double_counted, outcome.miscounted) == (0, 0, 0)
    assert outcome.predictions_differing == 0
    assert outcome.reference["predictions"] > 0
    assert outcome.dead_letters_unique == outcome.dead_lettered > 0
    assert outcome.deduplicated > 0
    assert len(result.faults) == faults
    assert all(fault.recovery_seconds is not None for fault in result.faults), result.faults
    if scenario.kind != "broker_sigkill":  # workers ride out everything but losing the broker
        assert result.unplanned_exits == 0
