"""Prometheus rules and config pass the real promtool, and the rules' unit tests pass."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

PROMETHEUS = Path(__file__).parents[3] / "deploy" / "prometheus"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    """Run promtool in deploy/prometheus; a missing promtool fails (``apt-get install
    prometheus``), it never skips."""
    if shutil.which("promtool") is None:
        pytest.fail("promtool not found: apt-get install prometheus (as .ci/run does)")
    return subprocess.run(
        ["promtool", *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ("check", "rules", "alerts.yml"),
        ("check", "config", "prometheus.yml"),
        ("test", "rules", "alerts_test.yml"),
    ],
)
def test_promtool_accepts(args: tuple[str, ...]) -> None:
    """promtool check rules / check config / test rules succeed."""
    done = promtool(*args)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_rule_is_unit_tested() -> None:
    """Each alert in alerts.yml is exercised by alerts_test.yml."""
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    names = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    tests = yaml.safe_load((PROMETHEUS / "alerts_test.yml").read_text())
    tested = {case["alertname"] for test in tests["tests"] for case in test["alert_rule_test"]}
    assert sorted(names - tested) == []
