"""A basin's river network: reaches in upstream-to-downstream order, and its rain gauges."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from converters.exceptions import InvalidNetworkError

OUTLET = -1
"""``downstream`` value of the reach that leaves the basin."""


@dataclass(frozen=True, eq=False)
class Basin:
    """A river basin: reaches (topologically ordered, upstream first) and rain gauges.

    Every per-reach array has one entry per reach in ``reach_ids`` order; ``downstream[i]`` is
    the index of the reach that reach ``i`` drains into (always ``> i``), or ``OUTLET``.
    """

    basin_id: str
    reach_ids: tuple[str, ...]
    downstream: NDArray[np.int64]
    length_km: NDArray[np.float64]
    slope: NDArray[np.float64]
    local_area_km2: NDArray[np.float64]
    bankfull_m3s: NDArray[np.float64]
    centroid_xy_km: NDArray[np.float64]
    gauge_ids: tuple[str, ...]
    gauge_xy_km: NDArray[np.float64]
    upstream_area_km2: NDArray[np.float64] = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.reach_ids)
        if n == 0:
            raise InvalidNetworkError(f"basin {self.basin_id!r} has no reaches")
        if len(set(self.reach_ids)) != n:
            raise InvalidNetworkError(f"basin {self.basin_id!r} repeats a reach id")
        for name in ("downstream", "length_km", "slope", "local_area_km2", "bankfull_m3s"):
            if getattr(self, name).shape != (n,):
                raise InvalidNetworkError(f"basin {self.basin_id!r}: {name} must have shape ({n},)")
        if self.centroid_xy_km.shape != (n, 2):
            raise InvalidNetworkError(f"basin {self.basin_id!r}: centroid_xy_km must be ({n}, 2)")
        if self.gauge_xy_km.shape != (len(self.gauge_ids), 2) or not self.gauge_ids:
            raise InvalidNetworkError(
                f"basin {self.basin_id!r}: needs gauges with (x, y) positions"
            )
        idx = np.arange(n)
        down = self.downstream
        if np.any((down != OUTLET) & (down <= idx)) or np.any(down >= n):
            raise InvalidNetworkError(
                f"basin {self.basin_id!r}: reaches must be ordered upstream before downstream"
            )
        if np.count_nonzero(down == OUTLET) != 1:
            raise InvalidNetworkError(f"basin {self.basin_id!r} must have exactly one outlet")
        self._check_physical()
        object.__setattr__(self, "upstream_area_km2", self.upstream_matrix() @ self.local_area_km2)

    def _check_physical(self) -> None:
        """Reject non-finite or non-positive geometry and repeated gauge ids.

        Raises:
            InvalidNetworkError: when a length, slope, area or bankfull discharge is not a
                finite positive number, a position is not finite, or a gauge id repeats.
        """
        for name in ("length_km", "slope", "local_area_km2", "bankfull_m3s"):
            values = np.asarray(getattr(self, name), dtype=np.float64)
            if not np.all(np.isfinite(values) & (values > 0)):
                raise InvalidNetworkError(
                    f"basin {self.basin_id!r}: {name} must be finite and positive"
                )
        if not (np.all(np.isfinite(self.centroid_xy_km)) and np.all(np.isfinite(self.gauge_xy_km))):
            raise InvalidNetworkError(f"basin {self.basin_id!r}: positions must be finite")
        if len(set(self.gauge_ids)) != len(self.gauge_ids):
            raise InvalidNetworkError(f"basin {self.basin_id!r} repeats a gauge id")

    @property
    def n_reaches(self) -> int:
        return len(self.reach_ids)

    @property
    def n_gauges(self) -> int:
        return len(self.gauge_ids)

    def upstream_matrix(self) -> NDArray[np.float64]:
        """``U[i, j] = 1`` when reach ``j`` drains through reach ``i`` (``U[i, i] = 1``)."""
        n = self.n_reaches
        upstream = np.eye(n)
        for j in range(n):  # topological order: j's row is complete before it is added downstream
            d = self.downstream[j]
            if d != OUTLET:
                upstream[d] += upstream[j]
        return np.minimum(upstream, 1.0)

    def children(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the reaches draining directly into each reach (empty for sources)."""
        kids: list[list[int]] = [[] for _ in range(self.n_reaches)]
        for j, d in enumerate(self.downstream):
            if d != OUTLET:
                kids[int(d)].append(j)
        return tuple(tuple(k) for k in kids)

    def path_to_outlet(self, index: int) -> tuple[int, ...]:
        """Reach ``index`` and every reach below it, in flow order, ending at the outlet reach."""
        path = [index]
        while self.downstream[path[-1]] != OUTLET:
            path.append(int(self.downstream[path[-1]]))
        return tuple(path)

    def depth(self) -> NDArray[np.int64]:
        """Number of reaches between each reach and the outlet (outlet = 0)."""
        depth = np.zeros(self.n_reaches, dtype=np.int64)
        for i in range(self.n_reaches - 1, -1, -1):
            d = self.downstream[i]
            depth[i] = 0 if d == OUTLET else depth[d] + 1
        return depth
