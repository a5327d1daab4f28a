"""More basins for the scaling runs: copies of the built-in basins, and a package serving them.

Partitions are the unit of scale and a basin's readings share its partition, so the three
built-in basins on four partitions leave one partition with most of the readings: no number
of processes could go faster than that partition's worker. The scaling runs use copies of the
built-in basins (same river networks, other ids, storms of other seeds) and a package that
serves them with the default model, so that the readings spread over the partitions as a
network of many basins spreads them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from converters.model_package import load_package, write_package
from converters.river_network import Basin
from floodcast.catchment import Simulation

COPIES = 8
"""Copies of every built-in basin in the scaling runs (24 basins)."""

_MANIFEST_OWN_FIELDS = {"model_file", "compression", "model_onnx_bytes", "basins", "files"}
"""Fields ``write_package`` fills in itself."""


def copy_id(basin_id: str, copy: int) -> str:
    """The id of copy ``copy`` of ``basin_id`` (copy 0 keeps the id)."""
    return basin_id if copy == 0 else f"{basin_id}-copy{copy}"


def renamed(simulation: Simulation, copy: int) -> Simulation:
    """``simulation`` of copy ``copy`` of its basin."""
    basin = dataclasses.replace(simulation.basin, basin_id=copy_id(simulation.basin.basin_id, copy))
    return dataclasses.replace(simulation, basin=basin)


def copied_simulations(per_copy: Sequence[Sequence[Simulation]]) -> tuple[Simulation, ...]:
    """The simulations of every copy: ``per_copy[k]`` are the built-in basins' runs of copy k."""
    return tuple(renamed(sim, copy) for copy, sims in enumerate(per_copy) for sim in sims)


def copied_package(source: Path, basins: Sequence[Basin], folder: Path) -> Path:
    """A package in ``folder`` with ``source``'s model and manifest, serving ``basins``.

    Unsigned: the bench's worker runs under the development profile.
    """
    package = load_package(source)
    manifest = package.manifest
    fields = manifest.model_dump(mode="json", exclude=_MANIFEST_OWN_FIELDS)
    write_package(
        folder,
        onnx_bytes=package.onnx_bytes,
        basins=basins,
        manifest_fields=fields,
        compression=manifest.compression,
    )
    return folder
