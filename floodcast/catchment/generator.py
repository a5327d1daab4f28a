"""Random dendritic basins with realistic geometry.

The network grows by splitting source links into two (a binary confluence tree); the shape
decides which sources split: the shallowest (a compact, fan-shaped upland basin), any
(dendritic), or mostly the deepest (a long main stem with short side tributaries, an elongated
lowland basin). Reach lengths follow Hack's law ``L = h A^0.6`` along the principal stream
(each reach adds ``h (A_down^0.6 - A_main_tributary^0.6)``, so the main stem from any point is
``h A^0.6`` long); slopes follow Flint's law ``S ∝ A^-0.45`` and strictly decrease downstream.
Reaches are laid out on the map from the outlet at (0, 0), and gauges are spread over the
basin by area-weighted k-means so each covers a similar area.

References:
    Hack, J. T. (1957). Studies of longitudinal stream profiles in Virginia and Maryland.
    USGS Professional Paper 294-B.
    Flint, J. J. (1974). Stream gradient as a function of order, magnitude, and discharge.
    Water Resources Research, 10(5), 969-973.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from converters.exceptions import InvalidNetworkError
from converters.river_network import OUTLET, Basin
from floodcast.catchment.channel import regional_bankfull_m3s

BasinShape = Literal["compact", "dendritic", "elongated"]
"""Planform of a generated basin."""

HACK_EXPONENT = 0.6
FLINT_EXPONENT = 0.45
MIN_REACH_KM = 1.0


@dataclass(frozen=True)
class ShapeParams:
    """Generator settings of one basin shape.

    Attributes:
        depth_bias: preference for splitting deep (> 0) or shallow (< 0) sources.
        hack_coeff: ``h`` in Hack's law (km per km^1.2).
        side_angle_deg: range of the angle between a side tributary and the main stem.
        main_wander_deg: spread of the main stem's change of direction at a confluence.
        sinuosity: channel length over straight-line length.
        km2_per_reach: default mean local subcatchment area.
        slope_coeff: ``S`` at 1 km² of upstream area (Flint's law).
    """

    depth_bias: float
    hack_coeff: float
    side_angle_deg: tuple[float, float]
    main_wander_deg: float
    sinuosity: float
    km2_per_reach: float
    slope_coeff: float


SHAPES: dict[BasinShape, ShapeParams] = {
    "compact": ShapeParams(-1.5, 1.2, (40.0, 75.0), 20.0, 1.15, 12.0, 0.18),
    "dendritic": ShapeParams(0.0, 1.4, (30.0, 65.0), 15.0, 1.25, 20.0, 0.06),
    "elongated": ShapeParams(1.0, 1.6, (50.0, 85.0), 8.0, 1.35, 28.0, 0.02),
}


def _grow_tree(
    n_reaches: int, depth_bias: float, rng: np.random.Generator
) -> tuple[list[int], list[list[int]]]:
    """Parent of each link (root first, parent -1) and each link's children, in growth order."""
    parent, depth, children = [-1], [0], [[]]
    while len(parent) < n_reaches:
        sources = np.array([i for i in range(len(parent)) if not children[i]])
        weights = np.exp(depth_bias * (np.array([depth[i] for i in sources]) - max(depth)))
        split = int(rng.choice(sources, p=weights / weights.sum()))
        for _ in range(min(2, n_reaches - len(parent))):
            children[split].append(len(parent))
            parent.append(split)
            depth.append(depth[split] + 1)
            children.append([])
    return parent, children


def _post_order(children: list[list[int]]) -> list[int]:
    """Links with every link after all of its upstream links (root last)."""
    order: list[int] = []
    stack: list[tuple[int, bool]] = [(0, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children[node]))
    return order


def _hack_lengths(
    downstream: NDArray[np.int64], upstream_area: NDArray[np.float64], hack_coeff: float
) -> NDArray[np.float64]:
    """Reach lengths that make the principal stream obey Hack's law."""
    main_tributary = np.zeros(len(downstream))
    for i, d in enumerate(downstream):
        if d != OUTLET:
            main_tributary[d] = max(main_tributary[d], upstream_area[i])
    length = hack_coeff * (upstream_area**HACK_EXPONENT - main_tributary**HACK_EXPONENT)
    return np.maximum(length, MIN_REACH_KM)


def _flint_slopes(
    downstream: NDArray[np.int64],
    mid_area: NDArray[np.float64],
    slope_coeff: float,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Flint's-law slopes with scatter, then forced to fall at every confluence."""
    slope = slope_coeff * mid_area**-FLINT_EXPONENT * rng.lognormal(0.0, 0.15, len(mid_area))
    for i, d in enumerate(downstream):  # upstream first: slope[i] is final when used
        if d != OUTLET:
            slope[d] = min(slope[d], 0.95 * slope[i])
    return slope


def _layout(
    children: list[list[int]],
    length_km: NDArray[np.float64],
    upstream_area: NDArray[np.float64],
    shape: ShapeParams,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Reach midpoints (km), growing upstream from the outlet at (0, 0) heading north."""
    n = len(length_km)
    heading = np.zeros(n)
    down_end = np.zeros((n, 2))
    mid = np.zeros((n, 2))
    heading[0] = np.pi / 2 + rng.normal(0.0, 0.1)
    stack = [0]
    while stack:  # parents before children
        i = stack.pop()
        step = length_km[i] / shape.sinuosity * np.array([np.cos(heading[i]), np.sin(heading[i])])
        mid[i] = down_end[i] + 0.5 * step
        kids = sorted(children[i], key=lambda k: -upstream_area[k])
        side = rng.choice([-1.0, 1.0])
        for rank, k in enumerate(kids):
            down_end[k] = down_end[i] + step
            if rank == 0:
                turn = np.radians(rng.normal(0.0, shape.main_wander_deg))
            else:
                turn = side * np.radians(rng.uniform(*shape.side_angle_deg))
            heading[k] = heading[i] + turn
            stack.append(k)
    return mid


def _weighted_kmeans(
    points: NDArray[np.float64], weights: NDArray[np.float64], k: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Lloyd's k-means with sample weights, seeded by weighted k-means++.

    Plain numpy, so the result depends on nothing but the inputs and the seed.
    """
    centres = [points[rng.choice(len(points), p=weights / weights.sum())]]
    for _ in range(k - 1):
        d2 = np.min(((points[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
        p = weights * d2
        centres.append(points[rng.choice(len(points), p=p / p.sum())])
    centre = np.array(centres)
    for _ in range(50):
        label = np.argmin(((points[:, None, :] - centre[None]) ** 2).sum(-1), axis=1)
        mass = np.bincount(label, weights, minlength=k)
        moved = centre.copy()
        for dim in range(2):
            total = np.bincount(label, weights * points[:, dim], minlength=k)
            np.divide(total, mass, out=moved[:, dim], where=mass > 0)  # empty: stay put
        if np.allclose(moved, centre, atol=1e-6):
            break
        centre = moved
    return centre


def _place_gauges(
    centroid_xy: NDArray[np.float64],
    local_area: NDArray[np.float64],
    n_gauges: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Gauge positions from area-weighted k-means over points scattered in each subcatchment."""
    radius = np.sqrt(local_area / np.pi)
    per_reach = 40
    angle = rng.uniform(0.0, 2.0 * np.pi, (len(local_area), per_reach))
    dist = radius[:, None] * np.sqrt(rng.uniform(0.0, 1.0, (len(local_area), per_reach)))
    points = centroid_xy[:, None, :] + np.stack([dist * np.cos(angle), dist * np.sin(angle)], -1)
    weights = np.repeat(local_area / per_reach, per_reach)
    centres = _weighted_kmeans(points.reshape(-1, 2), weights, n_gauges, rng)
    # Sort south-to-north, west-to-east so gauge numbering reads like a map.
    order = np.lexsort((centres[:, 0], centres[:, 1]))
    placed: NDArray[np.float64] = np.round(centres[order], 3)
    return placed


def generate_basin(
    basin_id: str,
    *,
    n_reaches: int,
    n_gauges: int,
    seed: int,
    shape: BasinShape = "dendritic",
    area_km2: float | None = None,
) -> Basin:
    """Generate a random dendritic basin.

    Bankfull discharge is the regional regression ``0.8 A^0.75``; pass the basin through
    ``catchment.calibrate_bankfull`` to make floods as frequent as intended.

    Args:
        basin_id: id of the new basin; gauge ids are ``"<basin_id>-G01"``, ...
        n_reaches: number of reaches (ids ``"R01"``, ... upstream first).
        n_gauges: number of rain gauges.
        seed: random seed; the same arguments give the same basin.
        shape: planform (see ``SHAPES``).
        area_km2: total area; defaults to the shape's mean subcatchment area per reach.

    Returns:
        The basin.

    Raises:
        InvalidNetworkError: for fewer than one reach or gauge, more than ten gauges per
            reach, an unknown shape, or a non-positive area.
    """
    if n_reaches < 1 or n_gauges < 1:
        raise InvalidNetworkError("a basin needs at least one reach and one gauge")
    if n_gauges > 10 * n_reaches:
        raise InvalidNetworkError(f"{n_gauges} gauges is too many for {n_reaches} reaches")
    if shape not in SHAPES:
        raise InvalidNetworkError(f"unknown basin shape {shape!r}; expected one of {list(SHAPES)}")
    params = SHAPES[shape]
    total = params.km2_per_reach * n_reaches if area_km2 is None else area_km2
    if not total > 0:
        raise InvalidNetworkError(f"basin area must be positive, got {total}")
    rng = np.random.default_rng(seed)

    parent, children = _grow_tree(n_reaches, params.depth_bias, rng)
    order = _post_order(children)  # generation index of the link at each basin index
    index_of = np.empty(n_reaches, dtype=np.int64)
    index_of[order] = np.arange(n_reaches)
    downstream = np.array(
        [OUTLET if parent[g] < 0 else index_of[parent[g]] for g in order], dtype=np.int64
    )
    local_area = rng.lognormal(0.0, 0.35, n_reaches)
    local_area *= total / local_area.sum()

    draft = Basin(
        basin_id=basin_id,
        reach_ids=tuple(f"R{i + 1:02d}" for i in range(n_reaches)),
        downstream=downstream,
        length_km=np.ones(n_reaches),
        slope=np.ones(n_reaches),
        local_area_km2=local_area,
        bankfull_m3s=np.ones(n_reaches),
        centroid_xy_km=np.zeros((n_reaches, 2)),
        gauge_ids=(f"{basin_id}-G01",),
        gauge_xy_km=np.zeros((1, 2)),
    )
    upstream = draft.upstream_area_km2
    length = _hack_lengths(downstream, upstream, params.hack_coeff)
    slope = _flint_slopes(downstream, upstream - 0.5 * local_area, params.slope_coeff, rng)
    gen_area = upstream[index_of]  # areas in generation order, for the layout
    mid_gen = _layout(children, length[index_of], gen_area, params, rng)
    centroid = np.round(mid_gen[order], 3)
    gauges = _place_gauges(centroid, local_area, n_gauges, rng)
    return Basin(
        basin_id=basin_id,
        reach_ids=draft.reach_ids,
        downstream=downstream,
        length_km=np.round(length, 3),
        slope=np.round(slope, 6),
        local_area_km2=np.round(local_area, 3),
        bankfull_m3s=np.round(regional_bankfull_m3s(upstream), 3),
        centroid_xy_km=centroid,
        gauge_ids=tuple(f"{basin_id}-G{g + 1:02d}" for g in range(n_gauges)),
        gauge_xy_km=gauges,
    )
