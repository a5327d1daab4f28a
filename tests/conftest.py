"""Shared pytest configuration: fixture plugins and custom markers."""

from __future__ import annotations

import pytest

pytest_plugins = [
    "tests.fixtures.broker",
    "tests.fixtures.model_package",
    "tests.fixtures.secured_broker",
]


def pytest_configure(config: pytest.Config) -> None:
    """Register Floodcast's custom markers (``--strict-markers`` rejects unknown ones)."""
    config.addinivalue_line("markers", "integration: needs a real Kafka broker")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")
