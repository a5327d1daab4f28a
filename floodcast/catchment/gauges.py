"""What a tipping-bucket rain gauge reports, given the rain that falls on it."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

TIP_MM = 0.2
"""Rain depth that tips the bucket once (a common tipping-bucket resolution)."""

GAUGE_BIAS_SD = 0.03
"""Spread of each gauge's fixed calibration error (multiplicative)."""

GAUGE_NOISE_SD = 0.05
"""Spread of the per-step catch error (wind, splash), multiplicative and log-normal."""


def tipping_bucket(rain_mm: NDArray[np.float64], tip_mm: float = TIP_MM) -> NDArray[np.float64]:
    """Quantise rain per step to whole bucket tips, carrying the remainder to later steps.

    The report for a step is the number of tips during it times ``tip_mm``, so the running
    total reported never differs from the rain caught by more than one tip.

    Args:
        rain_mm: (T, G) rain caught per step.
        tip_mm: bucket size.

    Returns:
        (T, G) reported rain per step, multiples of ``tip_mm``.

    Examples:
        >>> import numpy as np
        >>> tipping_bucket(np.array([[0.15], [0.15], [0.5], [0.0]])).ravel().round(1).tolist()
        [0.0, 0.2, 0.6, 0.0]
    """
    caught = np.cumsum(rain_mm, axis=0)
    # Small tolerance so that 0.2 + 0.2 caught in two steps counts as two tips despite rounding.
    tips = np.floor(caught / tip_mm + 1e-9)
    reported: NDArray[np.float64] = np.diff(tips, axis=0, prepend=0.0) * tip_mm
    return reported


def gauge_readings(
    rain_mm: NDArray[np.float64], rng: np.random.Generator, tip_mm: float = TIP_MM
) -> NDArray[np.float64]:
    """Simulated gauge reports: catch errors, then tipping-bucket quantisation.

    Args:
        rain_mm: (T, G) rain falling at each gauge per step.
        rng: source of the gauges' calibration and catch errors.
        tip_mm: bucket size.

    Returns:
        (T, G) reported rain per step.
    """
    n_steps, n_gauges = rain_mm.shape
    bias = np.clip(rng.normal(1.0, GAUGE_BIAS_SD, n_gauges), 0.85, 1.15)
    noise = rng.lognormal(-0.5 * GAUGE_NOISE_SD**2, GAUGE_NOISE_SD, (n_steps, n_gauges))
    return tipping_bucket(rain_mm * bias * noise, tip_mm)
