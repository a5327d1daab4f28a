"""One basin's stream state: feature history, open slots, dedupe windows, last publication."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from converters.features import BasinGeometry, IncrementalFeatures
from converters.features.incremental import FeatureStep
from converters.features.spec import HISTORY_STEPS
from stream_app.state.dedupe_window import DedupeVerdict, DedupeWindow
from stream_app.state.held_forecast import HeldForecast
from stream_app.state.pending_slot import PendingSlot
from stream_app.state.slot_spread import SLOT_SECONDS, slot_of, spread_over_slots
from stream_app.state.slot_stage import SlotStage

__all__ = ["STAGE_MAX_SKEW_SECONDS", "AcceptVerdict", "BasinState", "FinalisedSlot"]

STAGE_MAX_SKEW_SECONDS = 6 * 3600
"""Furthest the stage may lag the rain (event time) and still hold slots while some is unread."""


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
    stage_readings: int = 0
    """River-level readings taken into this slot (now scored)."""
    forecasts: int = 0
    """Rain forecasts taken into this slot (now scored)."""

    @property
    def end(self) -> int:
        return self.start + SLOT_SECONDS


class _QueuedSlot(NamedTuple):
    """A slot closed and waiting for its feature step: the ``FinalisedSlot`` fields but
    ``features``, and the step's inputs."""

    start: int
    step: FeatureStep
    readings: int
    readings_used: int
    stage_readings: int
    forecasts: int

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``FinalisedSlot``'s fields after ``features``, in order."""
        return self.readings, self.readings_used, self.stage_readings, self.forecasts


class BasinState:
    """Turns a basin's readings into one feature step per 15-minute slot, strictly in order.

    A slot becomes final when every gauge has covered it (early firing), or once the basin's
    watermark (the latest reading end it accepted) is ``lateness`` seconds past the slot's end;
    a reading touching a final slot is too late. Empty expired slots are dry steps, up to a
    gap of ``max_gap_slots``; a longer silence restarts the features from scratch, since the
    rain history they hold would be all zeros by then anyway.

    River-level readings (:meth:`accept_stage`) join the slot their observation time falls in
    and reach the features when that slot is final. The rain gauges, which report every slot,
    still drive finalisation, with one condition: while the basin's stage readings are live, a
    slot the gauges have covered also waits until the stage watermark (the latest observation
    accepted) reaches its end, and the basin's watermark for closing slots without every gauge
    is the lower of the rain's and the stage's. A basin's stage readings arrive in order on one
    partition, so by then every sensor that reported the slot has been heard, and no on-time
    stage reading finds its slot final because the rain topic was read ahead of it.

    The stage is live while its watermark is within ``lateness`` of the rain's, or, further
    behind (up to ``STAGE_MAX_SKEW_SECONDS``), while the basin's stage partition holds messages
    not read yet (``stage_backlog``): a worker catching up on a backlog may read one topic well
    ahead of the other, and its slots then wait for the stage as an aligned watermark waits for
    its slowest input. Individual sensors are never waited for (they drop readings and go
    offline); a silent stage stream holds slots back once, for at most ``lateness`` of event
    time, and a basin without stage readings fires on rain alone.

    A rain forecast (:meth:`accept_forecast`) is held until the slot it joins is final, and
    passed to the features with that slot (``HeldForecast``); of several joining one slot
    the features take the latest. Forecasts never hold slots back.

    Args:
        geometry: the basin.
        dedupe_window: sequences remembered per gauge.
    """

    def __init__(self, geometry: BasinGeometry, dedupe_window: int) -> None:
        self.geometry = geometry
        self.features = IncrementalFeatures(geometry)
        self.windows = [DedupeWindow(dedupe_window) for _ in geometry.gauge_ids]
        self.sensor_windows = [DedupeWindow(dedupe_window) for _ in geometry.stage_sensor_ids]
        """Sequences remembered per stage sensor, in ``geometry.stage`` order."""
        self.pending: dict[int, PendingSlot] = {}
        self.next_slot: int | None = None
        """Start of the next slot to finalise; None until the first reading."""
        self.watermark: int | None = None
        self.last_path: tuple[str, ...] | None = None
        """Reach ids of the last published path; None before the first publication."""
        self.last_published: int | None = None
        """Event time (slot end, epoch seconds) of the last publication."""
        self.stage_watermark: int | None = None
        """Latest observation time of an accepted stage reading; None before the first."""
        self.applied_offset = -1
        """Highest source offset whose reading this state has taken in."""
        self.slot_readings = [0] * HISTORY_STEPS
        """Readings per finalised slot over the feature window, indexed by slot number."""
        self.forecasts: list[HeldForecast] = []
        """Forecasts accepted and not final yet, oldest first; else the latest accepted."""

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
        pending = self.pending
        first = start - start % SLOT_SECONDS
        if start < end <= first + SLOT_SECONDS:  # within one slot: spread_over_slots' first case
            spread: Sequence[tuple[int, int, float]] = ((first, end - start, rain_mm),)
        else:
            spread = spread_over_slots(start, end, rain_mm)
        slot = None
        for slot_start, seconds, rain in spread:
            slot = pending.get(slot_start)
            if slot is None:
                slot = pending[slot_start] = PendingSlot(len(self.windows))
            slot.add(gauge, seconds, rain)
        if slot is not None:
            slot.readings += 1
        if self.watermark is None or end > self.watermark:
            self.watermark = end
        return AcceptVerdict.ACCEPTED

    def accept_stage(self, sensor: int, sequence: int, at: int, stage_m: float) -> AcceptVerdict:
        """Offer one river-level reading.

        A reading observed at ``at`` belongs to the slot ending at or after it, as a rain
        reading ending at ``at`` does: the slot ``(start, start + 15 min]`` holds the instant
        at its end.

        Args:
            sensor: index of the sensor in ``geometry.stage_sensor_ids``.
            sequence: the sensor's sequence number.
            at: observation time, epoch seconds.
            stage_m: the stage.

        Returns:
            ACCEPTED (kept for its slot), DUPLICATE or TOO_LATE (state unchanged).
        """
        window = self.sensor_windows[sensor]
        if window.check(sequence) is DedupeVerdict.DUPLICATE:
            return AcceptVerdict.DUPLICATE
        start = slot_of(at - 1)
        if self.next_slot is not None and start < self.next_slot:
            return AcceptVerdict.TOO_LATE
        window.record(sequence)
        slot = self.pending.get(start)
        if slot is None:
            slot = self.pending[start] = PendingSlot(len(self.windows))
        if slot.stage is None:
            slot.stage = SlotStage(len(self.sensor_windows))
        slot.stage.add(sensor, at, stage_m)
        if self.stage_watermark is None or at > self.stage_watermark:
            self.stage_watermark = at
        return AcceptVerdict.ACCEPTED

    def accept_forecast(
        self, forecast_id: str, issued_at: int, rain_mm: NDArray[np.float64]
    ) -> AcceptVerdict:
        """Offer one rain forecast.

        Args:
            forecast_id: the forecast's id.
            issued_at: its issue time, epoch seconds.
            rain_mm: (FORECAST_STEPS, gauges) its values in ``geometry.gauge_ids`` order.

        Returns:
            DUPLICATE for the held forecast's id or one issued no later than it; TOO_LATE for
            one that would count as missing by the next slot to finalise; ACCEPTED otherwise
            (held for its slot).
        """
        latest = self.forecasts[-1] if self.forecasts else None
        if latest is not None and (
            forecast_id == latest.forecast_id or issued_at <= latest.issued_at
        ):
            return AcceptVerdict.DUPLICATE
        offered = HeldForecast(forecast_id, issued_at, slot_of(issued_at - 1), rain_mm)
        if self.next_slot is not None and offered.stale_at(self.next_slot):
            return AcceptVerdict.TOO_LATE
        if latest is not None and latest.applied:
            self.forecasts.clear()
        self.forecasts.append(offered)
        return AcceptVerdict.ACCEPTED

    def finalise(
        self,
        lateness_seconds: int,
        max_gap_slots: int,
        *,
        stage_backlog: bool = False,
    ) -> list[FinalisedSlot]:
        """Ingest every slot that is ready, in order, one feature step each.

        Args:
            lateness_seconds: how far the watermark must pass a slot's end to close it
                without all gauges.
            max_gap_slots: longest run of empty slots filled with dry steps.
            stage_backlog: the basin's stage partition holds messages not read yet.

        Returns:
            The finalised slots, oldest first.
        """
        done: list[FinalisedSlot] = []
        if self.watermark is None:
            return done
        queued: list[_QueuedSlot] = []
        stage_live = self._stage_live(lateness_seconds, stage_backlog)
        basin_watermark = self.watermark
        if stage_live:
            # no stage read yet, but some to read: slots close only far behind the rain
            stage = self.stage_watermark
            basin_watermark = (
                basin_watermark - STAGE_MAX_SKEW_SECONDS
                if stage is None
                else min(basin_watermark, stage)
            )
        expired_before = slot_of(basin_watermark - lateness_seconds)
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
                self._close_gap(start, expired_before, max_gap_slots, queued, done)
            elif start < expired_before or (
                slot.complete and not (stage_live and self._stage_behind(start, stage_backlog))
            ):
                del self.pending[start]
                queued.append(self._queue(start, slot.gauge_rain(), slot.readings, slot.stage))
            else:
                break
        self._ingest(queued, done)
        return done

    def _stage_live(self, lateness: int, backlog: bool) -> bool:
        """Whether slots wait for the stage readings (see the class)."""
        if self.watermark is None or (self.stage_watermark is None and not backlog):
            return False
        if self.stage_watermark is None:
            return True
        behind = self.watermark - self.stage_watermark
        return behind <= lateness or (backlog and behind <= STAGE_MAX_SKEW_SECONDS)

    def _stage_behind(self, start: int, backlog: bool) -> bool:
        """Whether the stage readings of the slot at ``start`` may not all have been read: the
        stage watermark is short of its end, or at its end with stage still to read (a step's
        levels split between micro-batches)."""
        end = start + SLOT_SECONDS
        stage = self.stage_watermark
        return stage is None or stage < end or (stage == end and backlog)

    def _close_gap(
        self,
        start: int,
        expired_before: int,
        max_gap: int,
        queued: list[_QueuedSlot],
        done: list[FinalisedSlot],
    ) -> None:
        """Queue the run of empty expired slots from ``start`` as dry steps, or restart after
        it (ingesting the steps queued so far into the features being replaced)."""
        resume = min(self.pending) if self.pending else expired_before
        run_end = min(resume, expired_before)
        if (run_end - start) // SLOT_SECONDS > max_gap:
            # Restart at the next slot with readings: the history would be all dry by then.
            self._ingest(queued, done)
            self.features = IncrementalFeatures(self.geometry)
            self.slot_readings = [0] * HISTORY_STEPS
            self.next_slot = resume
            return
        dry = [float("nan")] * len(self.windows)
        for empty in range(start, run_end, SLOT_SECONDS):
            queued.append(self._queue(empty, dry, 0, None))

    def _queue(
        self, start: int, gauge_rain: list[float], readings: int, stage: SlotStage | None
    ) -> _QueuedSlot:
        """Close the slot at ``start``: everything but its features, which :meth:`_ingest`
        computes for all the slots closed together."""
        forecast, forecasts = self._forecast_at(start)
        self.slot_readings[(start // SLOT_SECONDS) % HISTORY_STEPS] = readings
        self.next_slot = start + SLOT_SECONDS
        step = (gauge_rain, None if stage is None else stage.values(), forecast)
        used = sum(self.slot_readings)
        stage_readings = 0 if stage is None else stage.readings
        return _QueuedSlot(start, step, readings, used, stage_readings, forecasts)

    def _ingest(self, queued: list[_QueuedSlot], done: list[FinalisedSlot]) -> None:
        """Advance the features over the ``queued`` slots in one call (issue 14: the
        projections cost little more for many steps than for one); move them to ``done``."""
        if not queued:
            return
        features = self.features.advance_steps([slot.step for slot in queued])
        done.extend(
            FinalisedSlot(slot.start, row, *slot.counts)
            for slot, row in zip(queued, features, strict=True)
        )
        queued.clear()

    def _forecast_at(self, start: int) -> tuple[NDArray[np.float64] | None, int]:
        """The forecast the slot ``start`` passes to the features, and the forecast messages
        it scores: the latest of those whose slot it reached (none if stale by then)."""
        due = [held for held in self.forecasts if not held.applied and held.slot <= start]
        if not due:
            return None, 0
        for held in due:
            held.applied = True
        self.forecasts = [held for held in self.forecasts if not held.applied] or due[-1:]
        newest = due[-1]
        return (None if newest.stale_at(start) else newest.values_at(start)), len(due)

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
