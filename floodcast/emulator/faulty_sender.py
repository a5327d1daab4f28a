"""Sends one basin's messages of one topic with the fault plan's late, repeated and broken ones."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from floodcast.emulator.emission_tally import EmissionTally
from floodcast.emulator.faults.fault_plan import FaultPlan
from floodcast.emulator.faults.payload_corruptor import RAIN_FIELDS, PayloadCorruptor, PayloadFields
from floodcast.emulator.publisher import KeyValue

__all__ = ["FaultySender"]


class FaultySender:
    """Applies a ``FaultPlan`` to the payloads of one basin's sources (gauges or sensors).

    Args:
        key: the basin's message key.
        plan: which (step, source) readings are late, repeated or broken.
        corruptor: makes the broken variants.
        corrupt_rng: randomness of the corruptions.
        fields: the payload's field names and bounds, for the corruptor.
        step_minutes: length of a step.
        allowed_lateness_minutes: lateness that splits late from too-late readings.
        tally: the counts of what was sent.
    """

    def __init__(
        self,
        key: bytes,
        *,
        plan: FaultPlan,
        corruptor: PayloadCorruptor,
        corrupt_rng: np.random.Generator,
        step_minutes: int,
        allowed_lateness_minutes: int,
        tally: EmissionTally,
        fields: PayloadFields = RAIN_FIELDS,
    ) -> None:
        self.key = key
        self._plan = plan
        self._corruptor = corruptor
        self._corrupt_rng = corrupt_rng
        self._fields = fields
        self._step_minutes = step_minutes
        self._lateness = allowed_lateness_minutes
        self._tally = tally
        self._held: defaultdict[int, list[tuple[int, bytes]]] = defaultdict(list)
        self.last_on_time = -1
        """The latest step whose reading went out on time."""

    def send(
        self,
        step: int,
        source: int,
        payload: bytes,
        out: list[KeyValue],
        extras: list[KeyValue],
    ) -> None:
        """Send source ``source``'s reading of ``step`` now or hold it back; queue its repeat
        and its broken variant, if planned, on ``extras``."""
        plan, tally = self._plan, self._tally
        delay = plan.late_by.get((step, source), 0)
        if delay:
            self._held[step + delay].append((step, payload))
            tally.late_pending += 1
        else:
            out.append((self.key, payload))
            tally.valid_sent += 1
            self.last_on_time = step
        if (step, source) in plan.duplicated:
            extras.append((self.key, payload))
            tally.duplicates += 1
        kind = plan.malformed.get((step, source))
        if kind is not None:
            broken = self._corruptor.corrupt(kind, payload, self._corrupt_rng, self._fields)
            extras.append((self.key, broken))
            tally.malformed[kind] += 1

    def release(self, step: int, out: list[KeyValue]) -> None:
        """Send the readings held back until ``step``, classifying how late they are."""
        if step not in self._held:
            return
        tally = self._tally
        for observed_step, payload in self._held.pop(step):
            out.append((self.key, payload))
            tally.late_pending -= 1
            tally.valid_sent += 1
            behind = self.last_on_time - observed_step
            if behind <= 0:
                continue  # nothing newer from this basin went out first: not late after all
            if behind * self._step_minutes > self._lateness:
                tally.late_beyond += 1
            else:
                tally.late_within += 1
