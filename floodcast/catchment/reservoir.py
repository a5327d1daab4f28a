"""Linear reservoirs, filtered along time with ``scipy.signal.lfilter``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.signal import lfilter


@dataclass(frozen=True, eq=False)
class ReservoirRun:
    """Outflow of a bank of linear reservoirs and their storage before and after.

    Attributes:
        outflow: (T, n) volume (same unit as the inflow) leaving each reservoir per step.
        initial_storage: (n,) storage before the first step.
        final_storage: (n,) storage after the last step.
    """

    outflow: NDArray[np.float64]
    initial_storage: NDArray[np.float64]
    final_storage: NDArray[np.float64]


def linear_reservoirs(
    inflow: NDArray[np.float64],
    k_steps: NDArray[np.float64],
    initial_storage: NDArray[np.float64],
) -> ReservoirRun:
    """Route inflow through independent linear reservoirs (``dS/dt = I - S/k``).

    The discrete scheme adds each step's inflow to storage and releases the fraction
    ``c = 1 - exp(-1/k)`` of it, so ``O_t = c (S_t + I_t)`` and ``S_{t+1} = (1 - c)(S_t + I_t)``:
    exact for a pulse at the start of each step, and volume is conserved to rounding.

    Args:
        inflow: (T, n) inflow volume per step into each reservoir.
        k_steps: (n,) time constant of each reservoir, in steps.
        initial_storage: (n,) storage before the first step.

    Returns:
        The outflow per step and the storage before and after.
    """
    c = 1.0 - np.exp(-1.0 / np.asarray(k_steps, dtype=np.float64))
    columns = np.array(inflow.T, dtype=np.float64, order="C")  # one contiguous row per reservoir
    for j, row in enumerate(columns):
        # lfilter's state is the part of the next output carried from before: c * S_t.
        row[:], _ = lfilter([c[j]], [1.0, c[j] - 1.0], row, zi=[c[j] * initial_storage[j]])
    outflow = np.ascontiguousarray(columns.T)
    final = outflow[-1] * (1.0 - c) / c
    return ReservoirRun(
        outflow=outflow,
        initial_storage=np.asarray(initial_storage, dtype=np.float64).copy(),
        final_storage=np.asarray(final, dtype=np.float64),
    )
