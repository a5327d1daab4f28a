"""Per-gauge rainfall statistics, and their projection onto reaches.

Both the batch path (training) and the incremental path (the stream) produce the same
per-gauge statistics and call :func:`reach_features`, so a reach's feature vector does not
depend on which path computed it. Rainfall is held as integer micrometres, which makes window
sums exact in any order; the projection reduces over gauges with a kernel that does not depend on
the number of rows, for the same reason.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from converters.features.geometry import BasinGeometry
from converters.features.spec import (
    API_DAILY_DECAY,
    GAUGE_STAT_NAMES,
    N_RAIN_FEATURES,
    RAIN_RESOLUTION_MM,
    STEP_MINUTES,
    STEPS_PER_HOUR,
)

API_STEP_DECAY = API_DAILY_DECAY ** (STEP_MINUTES / 1440)
_CHUNK_ROWS = 2048


def to_micrometres(rain_mm: NDArray[np.float64]) -> NDArray[np.int64]:
    """Round rainfall depths to whole micrometres; missing values (NaN) become gauge means.

    Args:
        rain_mm: (..., gauges) rainfall per step in mm; NaN marks a gauge that did not report.

    Returns:
        Integer micrometres of the same shape. A missing gauge takes the mean of the gauges
        that reported in the same step, or zero when none did.
    """
    rain = np.asarray(rain_mm, dtype=np.float64)
    missing = np.isnan(rain)
    if missing.any():
        reported = (~missing).sum(axis=-1, keepdims=True)
        total = np.where(missing, 0.0, rain).sum(axis=-1, keepdims=True)
        mean = np.divide(total, reported, out=np.zeros_like(total), where=reported > 0)
        rain = np.where(missing, mean, rain)
    return np.rint(rain / RAIN_RESOLUTION_MM).astype(np.int64)


def gauge_stats(
    window_sums_um: NDArray[np.int64],
    peak_um: NDArray[np.int64],
    api_mm: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Assemble per-gauge statistics (..., len(GAUGE_STAT_NAMES), gauges) in mm and mm/h.

    Gauges are the last (contiguous) axis, which the projection sums over.

    Args:
        window_sums_um: (..., len(ACCUMULATION_STEPS), gauges) rain per window, micrometres.
        peak_um: (..., gauges) largest single-step rain in the peak window, micrometres.
        api_mm: (..., gauges) antecedent precipitation index in mm.
    """
    sums_mm = window_sums_um * RAIN_RESOLUTION_MM
    peak_mmh = (peak_um * (RAIN_RESOLUTION_MM * STEPS_PER_HOUR))[..., None, :]
    stats = np.concatenate([sums_mm, peak_mmh, api_mm[..., None, :]], axis=-2)
    if stats.shape[-2] != len(GAUGE_STAT_NAMES):
        raise ValueError("gauge statistics do not match GAUGE_STAT_NAMES")
    return stats


def weighted_sum(weights: NDArray[np.float64], stats: NDArray[np.float64]) -> NDArray[np.float64]:
    """(rows, reaches, stats) = sum over gauges of weights[reach, g] * stats[row, stat, g].

    einsum reduces over the contiguous gauge axis with the same kernel for every output
    element, so a row's result does not depend on how many rows are computed together (the
    parity tests hold this to the bit).
    """
    return np.einsum("rg,nkg->nrk", weights, stats, optimize=False)


def upstream_max(mask: NDArray[np.bool_], stats: NDArray[np.float64]) -> NDArray[np.float64]:
    """(rows, reaches, stats) = max over each reach's upstream gauges of stats[row, stat, g]."""
    masked = np.where(mask[None, :, None, :], stats[:, None, :, :], -np.inf)
    return masked.max(axis=-1)


def _stat(name: str) -> int:
    return GAUGE_STAT_NAMES.index(name)


_LOCAL = [_stat("rain_1h_mm"), _stat("rain_3h_mm")]
_DEMAND = [(_stat("rain_3h_mm"), 3.0), (_stat("rain_6h_mm"), 6.0), (_stat("rain_24h_mm"), 24.0)]


def _chunk_features(geometry: BasinGeometry, stats: NDArray[np.float64]) -> NDArray[np.float64]:
    upstream = weighted_sum(geometry.upstream_weights, stats)
    rows, reaches = upstream.shape[:2]
    demand = [upstream[..., k] / (geometry.bankfull_mmh[None, :] * hours) for k, hours in _DEMAND]
    return np.concatenate(
        [
            upstream,
            weighted_sum(geometry.local_weights, stats[:, _LOCAL]),
            upstream_max(geometry.upstream_gauges, stats[:, _LOCAL]),
            np.broadcast_to(geometry.static[None], (rows, reaches, geometry.static.shape[1])),
            np.stack(demand, axis=-1),
        ],
        axis=-1,
    )


def reach_features(geometry: BasinGeometry, stats: NDArray[np.float64]) -> NDArray[np.float64]:
    """Project per-gauge statistics onto every reach and add the static attributes.

    Args:
        geometry: the basin's weights and static attributes.
        stats: (rows, len(GAUGE_STAT_NAMES), gauges) from :func:`gauge_stats`.

    Returns:
        (rows, reaches, N_RAIN_FEATURES) float64 vectors in ``RAIN_FEATURE_NAMES`` order.
    """
    out = np.empty((stats.shape[0], geometry.n_reaches, N_RAIN_FEATURES))
    for start in range(0, stats.shape[0], _CHUNK_ROWS):
        out[start : start + _CHUNK_ROWS] = _chunk_features(
            geometry, stats[start : start + _CHUNK_ROWS]
        )
    return out
