"""Every reach of each basin, from the model package's river networks."""

from __future__ import annotations

import logging
from pathlib import Path

from converters.exceptions import PackageError
from converters.model_package import load_package
from stream_app.json_logging import log_event

__all__ = ["package_reaches"]

logger = logging.getLogger("monitoring")


def package_reaches(model_path: Path) -> dict[str, tuple[str, ...]]:
    """Reach ids per basin of the package at ``model_path``.

    A monitor may run where no package is installed: it then learns the reaches from the
    observations and predictions alone (logged, not raised), which leaves out reaches that
    never flooded nor were warned, so the Brier score reads a little high.

    Args:
        model_path: the model package folder.

    Returns:
        ``{basin_id: reach_ids}``; empty when the package cannot be loaded.
    """
    try:
        package = load_package(model_path)
    except PackageError as exc:
        log_event(logger, "accuracy_reaches_unknown", logging.WARNING, error=str(exc))
        return {}
    return {basin_id: tuple(basin.reach_ids) for basin_id, basin in package.basins.items()}
