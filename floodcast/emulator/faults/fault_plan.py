"""One basin's faults, drawn once up front: which readings are late, doubled, broken or missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from floodcast.emulator.exceptions import EmulatorConfigError
from floodcast.emulator.faults.fault_config import FaultConfig
from floodcast.emulator.faults.payload_corruptor import MalformedKind

StepGauge = tuple[int, int]
"""``(step index, gauge index)`` of one reading."""

_KIND_ORDER = tuple(MalformedKind)


@dataclass(frozen=True)
class FaultPlan:
    """Faulty readings of one basin's run.

    Attributes:
        offline_from: per gauge, the first step it does not report (``n_steps`` = never).
        late_by: readings held back, with the number of steps they are held for. Each one
            arrives before the run ends and before its gauge goes offline.
        duplicated: on-time readings that are sent twice.
        malformed: readings followed by a broken payload of the given kind.
    """

    offline_from: tuple[int, ...]
    late_by: Mapping[StepGauge, int]
    duplicated: frozenset[StepGauge]
    malformed: Mapping[StepGauge, MalformedKind]

    @classmethod
    def none(cls, n_gauges: int, n_steps: int) -> FaultPlan:
        """A plan without any fault."""
        return cls((n_steps,) * n_gauges, MappingProxyType({}), frozenset(), MappingProxyType({}))

    @classmethod
    def draw(
        cls,
        config: FaultConfig,
        *,
        gauge_ids: Sequence[str],
        n_steps: int,
        step_minutes: int,
        allowed_lateness_minutes: int,
        rng: np.random.Generator,
    ) -> FaultPlan:
        """Draw the faults of one basin's run.

        Late readings are held back 1 to ``L - 1`` steps (``L`` = whole steps in the allowed
        lateness, or ``L`` itself when that is 1); too-late ones ``L + 2`` to ``L + 4`` steps,
        so neither lands on the boundary.

        Args:
            config: the fault probabilities and offline gauges.
            gauge_ids: the basin's gauges, in order.
            n_steps: steps in the run.
            step_minutes: step length.
            allowed_lateness_minutes: how late the stream worker still accepts a reading.
            rng: the basin's fault random source.

        Returns:
            The plan.

        Raises:
            EmulatorConfigError: when late readings are asked for but the allowed lateness
                is shorter than one step.
        """
        shape = (n_steps, len(gauge_ids))
        lateness_steps = allowed_lateness_minutes // step_minutes
        if config.late and lateness_steps < 1:
            raise EmulatorConfigError(
                f"late readings need an allowed lateness of at least one {step_minutes}-minute "
                f"step, got {allowed_lateness_minutes} min"
            )
        offline_from = np.full(len(gauge_ids), n_steps, dtype=np.int64)
        for gauge in config.offline:
            if gauge.gauge_id in gauge_ids:
                index = gauge_ids.index(gauge.gauge_id)
                offline_from[index] = min(n_steps, gauge.first_missing_step(n_steps))
        steps = np.arange(n_steps)[:, None]
        alive = steps < offline_from[None, :]

        # Always draw every array, so the same seed gives the same faults of one kind
        # whatever the other probabilities are.
        late_draw = rng.random(shape)
        within = rng.integers(1, max(1, lateness_steps - 1) + 1, shape)
        beyond = rng.integers(lateness_steps + 2, lateness_steps + 5, shape)
        duplicate_draw = rng.random(shape)
        malformed_draw = rng.random(shape)

        is_late = late_draw < config.late
        is_too_late = ~is_late & (late_draw < config.late + config.too_late)
        delay = np.where(is_late, within, np.where(is_too_late, beyond, 0))
        arrives = (steps + delay < n_steps) & (steps + delay < offline_from[None, :])
        delay = np.where(alive & arrives, delay, 0)
        duplicated = alive & (delay == 0) & (duplicate_draw < config.duplicates)
        bounds = np.cumsum([config.malformed.get(kind, 0.0) for kind in _KIND_ORDER])
        kind_index = np.searchsorted(bounds, malformed_draw, side="right")
        broken = alive & (kind_index < len(_KIND_ORDER))

        return cls(
            offline_from=tuple(int(s) for s in offline_from),
            late_by=MappingProxyType(
                {
                    (int(t), int(g)): int(delay[t, g])
                    for t, g in zip(*np.nonzero(delay), strict=True)
                }
            ),
            duplicated=frozenset(
                (int(t), int(g)) for t, g in zip(*np.nonzero(duplicated), strict=True)
            ),
            malformed=MappingProxyType(
                {
                    (int(t), int(g)): _KIND_ORDER[kind_index[t, g]]
                    for t, g in zip(*np.nonzero(broken), strict=True)
                }
            ),
        )

    def faulty_steps(self) -> frozenset[int]:
        """Steps at which some reading is late, doubled or followed by a broken payload."""
        keys = (*self.late_by, *self.duplicated, *self.malformed)
        return frozenset(step for step, _ in keys)

    @property
    def first_offline_step(self) -> int:
        """The earliest step at which some gauge is offline."""
        return min(self.offline_from)
