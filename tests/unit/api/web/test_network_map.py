"""A basin's map: one segment per reach joined to its downstream reach, widths by area."""

from __future__ import annotations

import numpy as np
import pytest

from converters.river_network import OUTLET
from floodcast.api.web.network_map import MAX_WIDTH, MIN_WIDTH, basin_map
from floodcast.catchment.basins import get_basin, list_basins


@pytest.mark.parametrize("basin_id", list_basins())
def test_each_reach_drains_into_its_downstream_reach(basin_id: str) -> None:
    """Every segment starts at its reach's centroid and ends at its downstream reach's; the
    outlet reach ends at the outlet marker."""
    basin = get_basin(basin_id)
    drawn = basin_map(basin)
    assert [r.reach_id for r in drawn.reaches] == list(basin.reach_ids)
    for i, reach in enumerate(drawn.reaches):
        assert (reach.x1, reach.y1) == pytest.approx(tuple(basin.centroid_xy_km[i]), abs=1e-4)
        d = int(basin.downstream[i])
        if d == OUTLET:
            assert reach.downstream_id is None
            assert (reach.x2, reach.y2) == (drawn.outlet_x, drawn.outlet_y)
        else:
            assert reach.downstream_id == basin.reach_ids[d]
            assert (reach.x2, reach.y2) == pytest.approx(tuple(basin.centroid_xy_km[d]), abs=1e-4)
    assert [g.gauge_id for g in drawn.gauges] == list(basin.gauge_ids)


@pytest.mark.parametrize("basin_id", list_basins())
def test_widths_grow_with_upstream_area(basin_id: str) -> None:
    """Line width is monotone in upstream area, from the thinnest headwater to the outlet."""
    drawn = basin_map(get_basin(basin_id))
    by_area = sorted(drawn.reaches, key=lambda r: r.upstream_area_km2)
    widths = [r.width for r in by_area]
    assert widths == sorted(widths)
    assert widths[0] == pytest.approx(MIN_WIDTH)
    assert widths[-1] == pytest.approx(MAX_WIDTH)


def test_bounds_hold_every_point() -> None:
    """The bounds enclose reaches, gauges and the outlet, so nothing is drawn off the map."""
    drawn = basin_map(get_basin("lowland"))
    x0, y0, x1, y1 = drawn.bounds
    xs = [r.x1 for r in drawn.reaches] + [g.x for g in drawn.gauges] + [drawn.outlet_x]
    ys = [r.y1 for r in drawn.reaches] + [g.y for g in drawn.gauges] + [drawn.outlet_y]
    assert x0 - 1e-3 <= np.min(xs) and np.max(xs) <= x1 + 1e-3
    assert y0 - 1e-3 <= np.min(ys) and np.max(ys) <= y1 + 1e-3
