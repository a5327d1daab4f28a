"""Every benchmark module imports: a broken bench is found by the suite, not at bench time."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import bench

MODULES = sorted(info.name for info in pkgutil.iter_modules(bench.__path__, "bench."))


def test_the_benchmarks_are_found() -> None:
    """The three benchmarks are among the modules checked."""
    assert {"bench.api", "bench.pipeline", "bench.scoring"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_module_imports(name: str) -> None:
    """Importing the module resolves every name it imports."""
    assert importlib.import_module(name).__name__ == name
