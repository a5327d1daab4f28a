"""The toy model package and a scorer for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.model_package import load_package
from stream_app.scoring.flood_scorer import FloodPathScorer
from tests.unit.stream_app.toy_package import write_toy_package


@pytest.fixture(scope="session")
def toy_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of the toy model package."""
    return write_toy_package(tmp_path_factory.mktemp("toy") / "package")


@pytest.fixture(scope="session")
def toy_scorer(toy_package: Path) -> FloodPathScorer:
    """A scorer over the toy package."""
    return FloodPathScorer(load_package(toy_package))
