"""The bench's readings as SenML packs: each gauge's readings of ``pack_size`` steps in one."""

from __future__ import annotations

from collections.abc import Sequence

from floodcast.catchment import Simulation
from floodcast.emulator import EmulatorConfig, MessagePlanner
from floodcast.emulator.publisher import KeyValue


def planned_packs(
    simulations: Sequence[Simulation], readings: int, pack_size: int
) -> tuple[list[KeyValue], int]:
    """Packs (as the emulator's ``--pack-size`` sends them) holding at least ``readings``.

    Returns:
        The messages, and the readings they hold (whole uploads: may exceed ``readings``).
    """
    planner = MessagePlanner(simulations, EmulatorConfig(observations=False, pack_size=pack_size))
    messages: list[KeyValue] = []
    held = 0
    for batch in planner:
        messages.extend(batch.readings)
        held = planner.tally.packed
        if held >= readings:
            return messages, held
    raise ValueError(f"the simulations hold only {held} packed readings, {readings} asked for")


PACK_RUN_MESSAGES_DIVISOR = 8
"""A pack run sends the single-reading run's readings ÷ 8 as messages (packs of 32 hold 4×
the readings): at the worker's own batch size in messages, the run still spans many
micro-batches, so the first one (not timed) is a small part of it."""


def pack_run_readings(readings: int, pack_size: int) -> int:
    """Readings a run of packs of ``pack_size`` holds, beside a run of ``readings`` singles."""
    return max(pack_size, readings // PACK_RUN_MESSAGES_DIVISOR * pack_size)


def pack_settings_update(pack_size: int, step_minutes: int = 15) -> dict[str, int]:
    """Settings for a worker reading packs: the worker's own, but for the allowed lateness.

    An upload spans ``pack_size`` steps, so a gauge's pack may run that far ahead of its
    neighbours' in one batch: the allowed lateness covers it, so that no reading is refused as
    too late for arriving in a later batch. The batch size (in messages) stays the worker's,
    as deployed: a micro-batch of packs holds ``pack_size`` times the readings.
    """
    return {"allowed_lateness_minutes": pack_size * step_minutes + 60}
