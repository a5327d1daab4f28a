"""Issue 13: SECURITY.md states the threat model and how to report, and names real settings."""

from __future__ import annotations

import re
from pathlib import Path

from schemas.settings import Settings

ROOT = Path(__file__).parents[3]


def _security() -> str:
    return (ROOT / "SECURITY.md").read_text()


def test_security_md_has_the_threat_model_and_reporting() -> None:
    """SECURITY.md covers gauges, network, operators and the model supply chain, and reporting."""
    text = _security()
    for heading in ("## Reporting a vulnerability", "## Threat model", "## What is defended"):
        assert heading in text
    for actor in ("Gauges", "network", "Operators", "model supply chain", "API clients"):
        assert actor in text, actor


def test_every_setting_security_md_names_exists() -> None:
    """Each FLOODCAST_* variable SECURITY.md names is a field of Settings (no stale advice)."""
    named = {re.sub(r"_$", "", name) for name in re.findall(r"FLOODCAST_[A-Z_]+", _security())}
    fields = {f"FLOODCAST_{name.upper()}" for name in Settings.model_fields}
    assert sorted(named - fields) == []
