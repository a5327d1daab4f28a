"""Built-in basins: generated from fixed seeds, then bankfull-calibrated, built on first use."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from converters.river_network import Basin
from floodcast.catchment.calibration import calibrate_bankfull
from floodcast.catchment.exceptions import UnknownBasinError
from floodcast.catchment.generator import BasinShape, generate_basin


@dataclass(frozen=True)
class BasinSpec:
    """Recipe of a built-in basin.

    Attributes:
        basin_id: id of the basin.
        description: one line for listings.
        n_reaches: number of reaches.
        n_gauges: number of rain gauges (one per 30-80 km²).
        shape: planform.
        area_km2: total area.
        seed: generator seed.
    """

    basin_id: str
    description: str
    n_reaches: int
    n_gauges: int
    shape: BasinShape
    area_km2: float
    seed: int


_SPECS = (
    BasinSpec("upland", "small steep fan-shaped headwater basin", 12, 4, "compact", 150.0, 11),
    BasinSpec("midvale", "mid-size dendritic hill-country basin", 30, 10, "dendritic", 600.0, 22),
    BasinSpec(
        "lowland",
        "large elongated lowland river with a long main stem",
        55,
        24,
        "elongated",
        1500.0,
        33,
    ),
)

BUILTIN_SPECS: Mapping[str, BasinSpec] = MappingProxyType({spec.basin_id: spec for spec in _SPECS})
"""Recipes of the built-in basins by id, smallest first."""


@cache
def _build(basin_id: str) -> Basin:
    spec = BUILTIN_SPECS[basin_id]
    draft = generate_basin(
        spec.basin_id,
        n_reaches=spec.n_reaches,
        n_gauges=spec.n_gauges,
        seed=spec.seed,
        shape=spec.shape,
        area_km2=spec.area_km2,
    )
    return calibrate_bankfull(draft)


def get_basin(basin_id: str) -> Basin:
    """The built-in basin ``basin_id`` (built and calibrated on first use, then cached).

    Raises:
        UnknownBasinError: if there is no such built-in basin.
    """
    if basin_id not in BUILTIN_SPECS:
        raise UnknownBasinError(f"no built-in basin {basin_id!r}; known: {list_basins()}")
    return _build(basin_id)


def list_basins() -> tuple[str, ...]:
    """Ids of the built-in basins, smallest first."""
    return tuple(BUILTIN_SPECS)


class _BuiltinBasins(Mapping[str, Basin]):
    """Read-only mapping of the built-in basins that builds each one when first read."""

    def __getitem__(self, basin_id: str) -> Basin:
        return get_basin(basin_id)

    def __iter__(self) -> Iterator[str]:
        return iter(BUILTIN_SPECS)

    def __len__(self) -> int:
        return len(BUILTIN_SPECS)


BUILTIN_BASINS: Mapping[str, Basin] = _BuiltinBasins()
"""The built-in basins by id; a basin is generated and calibrated the first time it is read."""
