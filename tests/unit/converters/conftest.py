"""Fixtures of the converters' tests: two releases of the toy model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.model_releases import write_release
from tests.unit.stream_app.toy_package import write_toy_package


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two releases of the toy model (0.0.1 and 0.0.2), with different digests."""
    root = tmp_path_factory.mktemp("releases")
    first = write_toy_package(root / "first")
    return first, write_release(first, root / "second", "0.0.2")
