"""One basin's stream state: feature history, open slots, dedupe windows, last publication."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
from numpy.typing import NDArray

from converters.features import BasinGeometry, IncrementalFeatures
from converters.features.spec import HISTORY_STEPS
from stream_app.state.dedupe_window import DedupeVerdict, DedupeWindow
from stream_app.state.pending_slot import PendingSlot
from stream_app.state.slot_spread import SLOT_SECONDS, slot_of, spread_over_slots

__all__ = ["AcceptVerdict", "BasinState", "FinalisedSlot"]


class AcceptVerdict(Enum):
    """What happened to a reading offered to a basin."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    TOO_LATE = "too_late"


@dataclass(frozen=True, slots=True)
class FinalisedSlot:
    """A slot that was ingested into the features, and the features after it."""

    start: int
    """Slot start, epoch seconds."""
    features: NDArray[np.float64]
    """(reaches, N_FEATURES) after ingesting the slot."""
    readings: int
    """Readings that ended in this slot (now scored)."""
    readings_used: int
    """Readings that ended in the last 24 h of finalised slots (the feature window)."""

    @property
    def end(self) -> int:
        return self.start + SLOT_SECONDS


class BasinState:
    """Turns a basin's readings into one feature step per 15-minute slot, strictly in order.

    A slot becomes final when every gauge has covered it (early firing), or once the basin's
    watermark (the latest reading end it accepted) is ``lateness`` seconds past the slot's end;
    a reading touching a final slot is too late. Empty expired slots are dry steps, up to a
    gap of ``max_gap_slots``; a longer silence restarts the features from scratch, since the
    rain history they hold would be all zeros by then anyway.

    Args:
        geometry: the basin.
        dedupe_window: sequences remembered per gauge.
    """

    def __init__(self, geometry: BasinGeometry, dedupe_window: int) -> None:
        self.geometry = geometry
        self.features = IncrementalFeatures(geometry)
        self.windows = [DedupeWindow(dedupe_window) for _ in geometry.gauge_ids]
        self.pending: dict[int, PendingSlot] = {}
        self.next_slot: int | None = None
        """Start of the next slot to finalise; None until the first reading."""
        self.watermark: int | None = None
        self.last_path: tuple[str, ...] | None = None
        """Reach ids of the last published path; None before the first publication."""
        self.last_published: int | None = None
        """Event time (slot end, epoch seconds) of the last publication."""
        self.applied_offset = -1
        """Highest source offset whose reading this state has taken in."""
        self.slot_readings = [0] * HISTORY_STEPS
        """Readings per finalised slot over the feature window, indexed by slot number."""

    def accept(
        self, gauge: int, sequence: int, start: int, end: int, rain_mm: float
    ) -> AcceptVerdict:
        """Offer one reading.

        Args:
            gauge: index of the gauge in ``geometry.gauge_ids``.
            sequence: the gauge's sequence number.
            start: interval start, epoch seconds.
            end: interval end (``observed_at``), epoch seconds.
            rain_mm: rain over the interval.

        Returns:
            ACCEPTED (rain added to its slots), DUPLICATE or TOO_LATE (state unchanged).
        """
        window = self.windows[gauge]
        if window.check(sequence) is DedupeVerdict.DUPLICATE:
            return AcceptVerdict.DUPLICATE
        if self.next_slot is not None and start < self.next_slot:
            return AcceptVerdict.TOO_LATE
        window.record(sequence)
        n_gauges = len(self.windows)
        pending = self.pending
        slot = None
        for slot_start, seconds, rain in spread_over_slots(start, end, rain_mm):
            slot = pending.get(slot_start)
            if slot is None:
                slot = pending[slot_start] = PendingSlot(n_gauges)
            slot.add(gauge, seconds, rain)
        if slot is not None:
            slot.readings += 1
        if self.watermark is None or end > self.watermark:
            self.watermark = end
        return AcceptVerdict.ACCEPTED

    def finalise(self, lateness_seconds: int, max_gap_slots: int) -> list[FinalisedSlot]:
        """Ingest every slot that is ready, in order, one feature step each.

        Args:
            lateness_seconds: how far the watermark must pass a slot's end to close it
                without all gauges.
            max_gap_slots: longest run of empty slots filled with dry steps.

        Returns:
            The finalised slots, oldest first.
        """
        done: list[FinalisedSlot] = []
        if self.watermark is None:
            return done
        expired_before = slot_of(self.watermark - lateness_seconds)
        while True:
            if self.next_slot is None:
                if not self.pending:
                    break
                self.next_slot = min(self.pending)
            start = self.next_slot
            slot = self.pending.get(start)
            if slot is None:
                if start >= expired_before:
                    break
                self._close_gap(start, expired_before, max_gap_slots, done)
            elif slot.complete or start < expired_before:
                del self.pending[start]
                done.append(self._advance(start, slot.gauge_rain(), slot.readings))
            else:
                break
        return done

    def _close_gap(self, start: int, expired_before: int, max_gap: int, done: list) -> None:
        """Finalise the run of empty expired slots from ``start``, or restart after it."""
        resume = min(self.pending) if self.pending else expired_before
        run_end = min(resume, expired_before)
        if (run_end - start) // SLOT_SECONDS > max_gap:
            # Restart at the next slot with readings: the history would be all dry by then.
            self.features = IncrementalFeatures(self.geometry)
            self.slot_readings = [0] * HISTORY_STEPS
            self.next_slot = resume
            return
        dry = [float("nan")] * len(self.windows)
        for empty in range(start, run_end, SLOT_SECONDS):
            done.append(self._advance(empty, dry, 0))

    def _advance(self, start: int, gauge_rain: list[float], readings: int) -> FinalisedSlot:
        features = self.features.advance(np.asarray(gauge_rain, dtype=np.float64))
        self.slot_readings[(start // SLOT_SECONDS) % HISTORY_STEPS] = readings
        self.next_slot = start + SLOT_SECONDS
        return FinalisedSlot(start, features, readings, sum(self.slot_readings))

    def publication_due(
        self, slot_end: int, path: tuple[str, ...], cadence_seconds: int
    ) -> tuple[bool, bool | None]:
        """Whether a prediction for ``path`` at ``slot_end`` is to be published.

        Returns:
            (publish?, changed): publish the first path, any change (the all-clear included),
            and otherwise every ``cadence_seconds`` of event time; ``changed`` is None before
            the first publication.
        """
        if self.last_path is None or self.last_published is None:
            return True, None
        changed = path != self.last_path
        return changed or slot_end - self.last_published >= cadence_seconds, changed

    def mark_published(self, slot_end: int, path: tuple[str, ...]) -> None:
        """Remember the path just published and its event time."""
        self.last_path = path
        self.last_published = slot_end
