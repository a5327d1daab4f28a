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


def pack_settings_update(pack_size: int, batch_size: int, step_minutes: int = 15) -> dict[str, int]:
    """Settings for a worker reading packs.

    An upload spans ``pack_size`` steps, so a gauge's pack may run that far ahead of its
    neighbours' in one batch: the allowed lateness covers it, so that no reading is refused as
    too late for arriving in a later batch. A micro-batch holds ``batch_size / pack_size``
    messages, about as many readings as a batch of single readings: the runs compare the cost
    per reading at the same batch size in readings, and a short run still spans many batches.
    """
    return {
        "allowed_lateness_minutes": pack_size * step_minutes + 60,
        "batch_size": max(1, batch_size // pack_size),
    }
