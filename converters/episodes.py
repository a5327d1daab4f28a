"""Flood and warning episodes along each reach's time line, for event-level verification.

A flood episode is a run of steps a reach is over bankfull; it is *hit* when the forecast warned
at some step between one horizon and ``min_lead_steps`` before its onset. A warning episode is a
run of warned steps; it is a *false alarm* when no step of it is followed by a flood within the
horizon (its rows' labels are all negative).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, eq=False)
class EpisodeCounts:
    """Per-row episode indicators, each counted at the row that starts its episode.

    Attributes:
        flood_onset: the row starts a flood episode whose lead window is observed.
        hit: the flood episode starting here was warned early enough.
        lead_hours: for a hit, hours between the earliest warning in the window and onset.
        warning_start: the row starts a warning episode.
        false_warning: the warning episode starting here saw no flood within the horizon.
    """

    flood_onset: NDArray[np.bool_]
    hit: NDArray[np.bool_]
    lead_hours: NDArray[np.float64]
    warning_start: NDArray[np.bool_]
    false_warning: NDArray[np.bool_]


def episode_counts(
    series: NDArray[np.int64],
    step: NDArray[np.int64],
    flooded_now: NDArray[np.bool_],
    floods: NDArray[np.bool_],
    warn: NDArray[np.bool_],
    *,
    horizon_steps: int,
    min_lead_steps: int,
    steps_per_hour: int,
) -> EpisodeCounts:
    """Find flood and warning episodes in rows of many time lines.

    Rows of one time line share ``series`` (e.g. basin and reach); consecutive steps of a time
    line form a block, and episodes never reach across a block's edge. A flood episode that
    starts less than ``min_lead_steps`` after its block starts is not counted (its lead window
    was not observed), nor one already under way when the block starts.

    Args:
        series: (rows,) time line of each row.
        step: (rows,) time step of each row.
        flooded_now: (rows,) the reach is over bankfull at the step.
        floods: (rows,) the reach floods within the horizon (the row's label).
        warn: (rows,) the forecast warns at the step.
        horizon_steps: the forecast horizon, in steps.
        min_lead_steps: the least warning time that counts, in steps.
        steps_per_hour: steps in an hour.

    Returns:
        The indicators, in the order of the input rows.
    """
    order = np.lexsort((step, series))
    s_series, s_step = series[order], step[order]
    s_flooded, s_floods, s_warn = flooded_now[order], floods[order], warn[order]
    n = len(order)
    idx = np.arange(n)
    new_block = np.ones(n, dtype=bool)
    new_block[1:] = (s_series[1:] != s_series[:-1]) | (s_step[1:] != s_step[:-1] + 1)
    block_start = np.maximum.accumulate(np.where(new_block, idx, 0))
    previous_flooded = np.concatenate([[False], s_flooded[:-1]]) & ~new_block
    onset = s_flooded & ~previous_flooded & ~new_block & (idx - block_start >= min_lead_steps)
    warned_before = np.concatenate([[0], np.cumsum(s_warn)])
    low = np.maximum(idx - horizon_steps, block_start)
    high = idx - min_lead_steps  # inclusive
    in_window = np.where(
        high >= low, warned_before[np.maximum(high, 0) + 1] - warned_before[low], 0
    )
    hit = onset & (in_window > 0)
    first_warn = np.searchsorted(warned_before, warned_before[low] + 1, side="left") - 1
    lead = np.where(hit, (idx - first_warn) / steps_per_hour, 0.0)
    warning_start = s_warn & (new_block | ~np.concatenate([[False], s_warn[:-1]]))
    episode = np.cumsum(warning_start) - 1
    flooding = np.bincount(episode[s_warn], weights=s_floods[s_warn], minlength=n)
    false_warning = warning_start & (flooding[np.maximum(episode, 0)] == 0)
    back = np.empty(n, dtype=np.intp)
    back[order] = idx
    return EpisodeCounts(
        flood_onset=onset[back],
        hit=hit[back],
        lead_hours=lead[back],
        warning_start=warning_start[back],
        false_warning=false_warning[back],
    )
