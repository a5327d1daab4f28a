"""What flooded, step by step, as the flood-observations topic tells it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from floodcast.evaluation.exceptions import MissingObservationsError
from floodcast.evaluation.run_steps import RunSteps
from schemas import FloodObservation

__all__ = ["observed_flooding"]


def observed_flooding(
    observations: Iterable[FloodObservation],
    reach_ids: Sequence[str],
    steps: RunSteps,
) -> NDArray[np.bool_]:
    """The basin's flooded reaches at every step of the run.

    An observation stamped with the end of step ``t`` says which reaches were over bankfull
    at step ``t``. Repeated observations of a step must agree.

    Args:
        observations: the basin's observations, in any order.
        reach_ids: the basin's reaches, in the order of the result's columns.
        steps: the run's steps.

    Returns:
        (steps, reaches) flooded.

    Raises:
        MissingObservationsError: a step has no observation, two observations of a step
            disagree, or an observation names a reach the basin does not have.
    """
    column = {reach_id: i for i, reach_id in enumerate(reach_ids)}
    n_steps = steps.n_steps
    flooded = np.zeros((n_steps, len(reach_ids)), dtype=bool)
    seen = np.zeros(n_steps, dtype=bool)
    for observation in observations:
        step = steps.step_ending_at(observation.observed_at)
        if step is None:
            continue  # another run's step: not this evaluation's
        unknown = [r for r in observation.flooded_reach_ids if r not in column]
        if unknown:
            raise MissingObservationsError(
                f"{observation.basin_id}: observed reaches {unknown} are not in the package"
            )
        row = np.zeros(len(reach_ids), dtype=bool)
        row[[column[r] for r in observation.flooded_reach_ids]] = True
        if seen[step] and not np.array_equal(row, flooded[step]):
            raise MissingObservationsError(
                f"{observation.basin_id}: two observations of step {step} disagree"
            )
        flooded[step], seen[step] = row, True
    if not seen.all():
        missing = int(np.count_nonzero(~seen))
        raise MissingObservationsError(f"{missing} of {n_steps} steps have no flood observation")
    return flooded
