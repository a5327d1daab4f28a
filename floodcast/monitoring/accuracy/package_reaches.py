"""Every reach and gauge of each basin, from the model package's river networks."""

from __future__ import annotations

import logging
from pathlib import Path

from converters.exceptions import PackageError
from converters.model_package import load_package
from converters.river_network import Basin
from stream_app.json_logging import log_event

__all__ = ["package_basins", "package_gauges", "package_reaches"]

logger = logging.getLogger("monitoring")


def package_basins(model_path: Path) -> dict[str, Basin]:
    """The basins of the package at ``model_path``.

    A monitor may run where no package is installed: it then learns the reaches from the
    observations and predictions alone (logged, not raised), which leaves out reaches that
    never flooded nor were warned, so the Brier score reads a little high; and it watches no
    gauge for silence, since only the package says which gauges exist.

    Args:
        model_path: the model package folder.

    Returns:
        ``{basin_id: basin}``; empty when the package cannot be loaded.
    """
    try:
        package = load_package(model_path)
    except PackageError as exc:
        log_event(logger, "package_basins_unknown", logging.WARNING, error=str(exc))
        return {}
    return dict(package.basins)


def package_reaches(basins: dict[str, Basin]) -> dict[str, tuple[str, ...]]:
    """Reach ids per basin: ``{basin_id: reach_ids}``."""
    return {basin_id: tuple(basin.reach_ids) for basin_id, basin in basins.items()}


def package_gauges(basins: dict[str, Basin]) -> dict[str, str]:
    """The basin of every gauge the model knows: ``{gauge_id: basin_id}``."""
    return {gauge: basin_id for basin_id, basin in basins.items() for gauge in basin.gauge_ids}
