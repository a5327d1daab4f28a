"""The worker's logic for one micro-batch, free of Faust so it runs (and is tested) anywhere."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime

from converters.features import BasinGeometry
from schemas import (
    DeadLetter,
    FieldError,
    GaugeReading,
    KeyMismatchError,
    OutOfBoundsError,
    ReadingProcessingError,
    RejectedReadingError,
    TooLateError,
    UnknownBasinIdError,
    UnknownGaugeIdError,
)
from stream_app.accounting.partition_counts import PartitionCounts
from stream_app.exceptions import CorruptBasinStateError
from stream_app.processing.batch_records import BatchResult, ProcessorConfig, SourceRecord
from stream_app.processing.culprit_search import first_failing
from stream_app.processing.forecast_input import ForecastInput
from stream_app.processing.message_readings import message_readings
from stream_app.processing.prediction_builder import build_prediction
from stream_app.processing.side_input import SideInput
from stream_app.processing.side_tallies import SideTallies
from stream_app.processing.stage_input import StageInput
from stream_app.scoring.flood_scorer import FloodPathScorer
from stream_app.state import (
    AcceptVerdict,
    BasinState,
    FinalisedSlot,
    decode_basin_state,
    encode_basin_state,
)

__all__ = ["BatchProcessor", "StateLoader"]

logger = logging.getLogger(__name__)

StateLoader = Callable[[str], bytes | None]
"""``load(key) -> stored bytes or None``: a table lookup."""

_Accepted = tuple[SourceRecord, GaugeReading, int, float]
"""A reading routed to its basin: its record, the reading, its gauge index, ``observed_at``
in epoch seconds."""
_Route = tuple[bytes | None, dict[str, int], list[_Accepted]]
"""A basin whose checks a reading passed in this batch: the message key they passed with, the
basin's gauge indexes and the queue of its readings."""
_SideItem = tuple[SideInput, SourceRecord, object, int]
"""A side input's message, with its record and the index of its source in the basin."""


class _BasinBatch:
    """One basin's share of a batch: its state and the readings routed to it."""

    __slots__ = (
        "accepted",
        "backlog",
        "geometry",
        "items",
        "last",
        "original",
        "side_accepted",
        "side_items",
        "state",
    )

    def __init__(self, geometry: BasinGeometry, original: bytes | None, state: BasinState) -> None:
        self.geometry = geometry
        self.original = original
        self.state = state
        self.items: list[_Accepted] = []
        self.accepted: list[SourceRecord] = []
        self.last: SourceRecord | None = None
        self.side_items: list[_SideItem] = []
        self.side_accepted: list[SourceRecord] = []
        self.backlog = False
        """The basin's side-input partition holds messages not read yet."""


class BatchProcessor:
    """Decode, deduplicate, slot, finalise, score and account for one micro-batch.

    Every record counted lands in exactly one bucket of its partition's ``PartitionCounts``:
    dead-lettered, deduplicated, or pending (moved to scored when its slot is finalised).

    Args:
        scorer: the model; its geometries define the known basins and gauges.
        config: limits and event-time rules.
        clock: wall-clock time for ``issued_at`` and ``dead_lettered_at``.
    """

    def __init__(
        self,
        scorer: FloodPathScorer,
        config: ProcessorConfig,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.scorer = scorer
        self.config = config
        self.clock = clock
        self._gauge_index = {
            basin_id: {gauge: i for i, gauge in enumerate(geometry.gauge_ids)}
            for basin_id, geometry in scorer.geometries.items()
        }
        self._basin_keys = {basin_id: basin_id.encode() for basin_id in scorer.geometries}
        levels = config.topic_river_levels
        inputs: list[SideInput] = []
        if levels is not None:
            inputs.append(StageInput(levels, scorer.geometries))
        forecasts = config.topic_rain_forecasts
        if forecasts is not None:
            inputs.append(ForecastInput(forecasts, scorer.geometries, config.max_forecast_bytes))
        self._sides = {side_input.topic: side_input for side_input in inputs}
        """Side inputs by topic; every other record is rain."""
        self._kept: dict[str, tuple[bytes, BasinState]] = {}
        """Each basin's state as a batch left it, with its encoding: taken up again instead of
        decoding the table's entry while that entry is still this encoding (issue 14). A
        batch takes a basin's state out, and puts it back only once it has encoded it."""

    def process(
        self,
        records: Sequence[SourceRecord],
        load_state: StateLoader,
        load_counts: StateLoader,
        accept_gaps: Collection[tuple[str, int]] = (),
        side_backlog: Collection[int] = (),
    ) -> BatchResult:
        """Process records consumed together.

        Records of a partition are taken strictly in offset order from the last counted one:
        older ones are replays (skipped), and after a gap the later ones are held back
        (``BatchResult.gaps`` names the offset to re-read from).

        One record never takes the batch down (issue 12): when processing fails outside the
        per-record checks, the record whose addition makes it fail is found (by bisecting the
        batch; processing has no side effects), dead-lettered as a processing error, and the
        batch processed again without it; the other records come out exactly as if that one
        had been refused on arrival.

        Args:
            records: the batch, in consumption order (offsets increase per partition).
            load_state: stored basin state by basin id.
            load_counts: stored partition counts by ``str(partition)``.
            accept_gaps: (topic, partition)s whose gap is to be accepted as lost after all.
            side_backlog: partitions whose river levels hold messages not read yet (beyond
                this batch): their basins' slots wait for the stage (``BasinState``).

        Returns:
            Dead letters and predictions to send, and the table entries to write.

        Raises:
            Exception: processing fails even with no record, e.g. on stored counts that do
                not decode.
        """
        quarantined: dict[SourceRecord, Exception] = {}
        while True:
            try:
                return self._process(
                    records, load_state, load_counts, accept_gaps, quarantined, side_backlog
                )
            except Exception:
                found = first_failing(
                    records,
                    lambda prefix: self._process(
                        prefix, load_state, load_counts, accept_gaps, quarantined, side_backlog
                    ),
                )
                if found is None or records[found[0]] in quarantined:
                    raise
                culprit, cause = records[found[0]], found[1]
                _log_failure("record_quarantined", culprit, cause)
                quarantined[culprit] = cause

    def _process(
        self,
        records: Sequence[SourceRecord],
        load_state: StateLoader,
        load_counts: StateLoader,
        accept_gaps: Collection[tuple[str, int]],
        quarantined: Mapping[SourceRecord, Exception],
        side_backlog: Collection[int] = (),
    ) -> BatchResult:
        """One pass over the batch, refusing the ``quarantined`` records as processing errors."""
        result = BatchResult()
        now = self.clock()
        latest_end = now.timestamp() + self.config.max_future_seconds
        counts: dict[int, PartitionCounts] = {}
        side = SideTallies(load_counts, result)
        basins: dict[str, _BasinBatch] = {}
        routes: dict[str, _Route] = {}
        for record in records:
            tally = counts.get(record.partition)
            if tally is None:
                stored = load_counts(str(record.partition))
                tally = PartitionCounts.from_bytes(stored) if stored else PartitionCounts()
                counts[record.partition] = tally
            side_input = self._sides.get(record.topic)
            own = tally if side_input is None else side.get(record.topic, record.partition)
            if not self._in_order(record, own, accept_gaps, result):
                continue
            own.offset = record.offset
            result.partition_counts[record.partition] = (record, tally)
            if side_input is not None:
                side.counted(record.topic, record)
            cause = quarantined.get(record)
            if cause is not None:
                self._dead_letter(result, own, record, _processing_error(cause), now)
            elif side_input is not None:
                self._route_side(
                    side_input, record, own, basins, load_state, latest_end, result, now
                )
            else:
                self._route_message(
                    record, tally, basins, routes, load_state, latest_end, result, now
                )
        finalised: list[tuple[_BasinBatch, FinalisedSlot]] = []
        for batch in basins.values():
            self._apply_sides(batch, side, result, now)
            batch.backlog = _partition_of(batch) in side_backlog
            finalised.extend(self._apply(batch, counts, result, now))
        self._score(finalised, counts, result, now)
        self._settle_sides(finalised, side)
        for basin_id, batch in basins.items():
            if batch.last is not None:
                encoded = encode_basin_state(batch.state)
                result.basin_states[basin_id] = (batch.last, encoded)
                self._kept[basin_id] = (encoded, batch.state)
        return result

    # ------------------------------------------------------------------ per record
    @staticmethod
    def _in_order(
        record: SourceRecord,
        tally: PartitionCounts,
        accept_gaps: Collection[int],
        result: BatchResult,
    ) -> bool:
        """Whether ``record`` is the next one to count in its partition.

        Older records are replays. Offsets of a plain (non-transactional) topic are contiguous,
        so a newer one means the consumer skipped messages: it is held back until they are read
        again, unless the partition's gap is to be accepted.
        """
        if record.offset <= tally.offset:
            result.replayed += 1
            return False
        expected = tally.offset + 1
        if record.offset == expected or tally.offset < 0:
            return True
        if (record.topic, record.partition) not in accept_gaps:
            result.gaps.setdefault((record.topic, record.partition), expected)
            result.held += 1
            return False
        logger.error(
            "offset_gap_accepted",
            extra={
                "fields": {
                    "topic": record.topic,
                    "partition": record.partition,
                    "lost_from": expected,
                    "lost_to": record.offset - 1,
                }
            },
        )
        return True

    def _route_message(
        self,
        record: SourceRecord,
        tally: PartitionCounts,
        basins: dict[str, _BasinBatch],
        routes: dict[str, _Route],
        load_state: StateLoader,
        latest_end: float,
        result: BatchResult,
        now: datetime,
    ) -> None:
        """Route each reading of a message (one, or a SenML pack's records) on its own.

        A basin's checks (served, the message keyed to it) are made once per batch and key
        (``routes``): the readings of a pack, and the batch's other readings of the basin,
        only look their gauge up.
        """
        key = record.key
        for item, reading in message_readings(record, self.config.max_message_bytes):
            try:
                if isinstance(reading, Exception):
                    raise reading
                # once per reading: an aware datetime's timestamp() calls its tzinfo back
                observed = reading.observed_at.timestamp()
                if observed > latest_end:
                    raise _in_the_future(reading)
                route = routes.get(reading.basin_id)
                if route is None or route[0] != key:
                    route = routes[reading.basin_id] = self._route(
                        item, reading, basins, load_state
                    )
                gauge = route[1].get(reading.gauge_id)
                if gauge is None:
                    raise _unknown_gauge(reading)
                route[2].append((item, reading, gauge, observed))
            except RejectedReadingError as exc:
                self._dead_letter(result, tally, item, exc, now)
            except Exception as exc:  # one bad message must not stop the stream
                self._failed(result, tally, item, exc, now)

    def _route(
        self,
        record: SourceRecord,
        reading: GaugeReading,
        basins: dict[str, _BasinBatch],
        load_state: StateLoader,
    ) -> _Route:
        """Check that a reading's basin is served and the message keyed to it; the route of
        the basin's readings.

        Raises:
            RejectedReadingError: the reading belongs on the dead-letter topic.
        """
        basin_id = reading.basin_id
        gauges = self._gauge_index.get(basin_id)
        if gauges is None:
            raise UnknownBasinIdError(f"basin {basin_id!r} is not served by the deployed model")
        if reading.gauge_id not in gauges:
            raise _unknown_gauge(reading)
        if record.key != self._basin_keys[basin_id]:
            # Readings of one basin must share a partition: its state lives there.
            raise KeyMismatchError(f"key {record.key!r} is not the basin id {basin_id!r}")
        return record.key, gauges, self._basin_batch(basin_id, basins, load_state).items

    def _basin_batch(
        self, basin_id: str, basins: dict[str, _BasinBatch], load_state: StateLoader
    ) -> _BasinBatch:
        """The basin's share of the batch, its state loaded on first use."""
        batch = basins.get(basin_id)
        if batch is None:
            geometry = self.scorer.geometries[basin_id]
            stored = load_state(basin_id)
            kept = self._kept.pop(basin_id, None)
            if kept is not None and stored is not None and kept[0] == stored:
                state = kept[1]  # what decoding ``stored`` would give
            else:
                state = self._load_state(geometry, stored)
            batch = basins[basin_id] = _BasinBatch(geometry, stored, state)
        return batch

    def _load_state(self, geometry: BasinGeometry, stored: bytes | None) -> BasinState:
        """The stored state, or a fresh one when there is none or it does not decode."""
        window = self.config.dedupe_window
        if stored:
            try:
                return decode_basin_state(geometry, stored, window)
            except CorruptBasinStateError:
                # Refusing every future reading of the basin would be worse than losing its
                # rain history: start again, loudly.
                logger.exception(
                    "basin_state_reset", extra={"fields": {"basin_id": geometry.basin_id}}
                )
        return BasinState(geometry, window)

    def _dead_letter(
        self,
        result: BatchResult,
        tally: PartitionCounts,
        record: SourceRecord,
        error: RejectedReadingError,
        now: datetime,
    ) -> None:
        letter = DeadLetter.from_rejection(
            error,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value,
            at=now,
            record_index=record.index,
        )
        result.dead_letters.append((record, letter))
        tally.dead_letter(error.reason)

    def _failed(
        self,
        result: BatchResult,
        tally: PartitionCounts,
        record: SourceRecord,
        exc: Exception,
        now: datetime,
    ) -> None:
        _log_failure("processing_error", record, exc)
        self._dead_letter(result, tally, record, _processing_error(exc), now)

    # ------------------------------------------------------------------ per basin
    def _apply(
        self,
        batch: _BasinBatch,
        counts: dict[int, PartitionCounts],
        result: BatchResult,
        now: datetime,
    ) -> list[tuple[_BasinBatch, FinalisedSlot]]:
        """Offer a basin its readings, then finalise what is ready."""
        state = batch.state
        # readings of one pack share an offset: compare with the stored state's offset only
        applied_before = state.applied_offset
        for record, reading, gauge, observed in batch.items:
            tally = counts[record.partition]
            batch.last = record
            if record.offset <= applied_before:
                # The state took this reading in before a crash that lost the counts: it is
                # in a slot already, so counting it again anywhere but here would double it.
                tally.deduplicated += 1
                continue
            end = round(observed)
            start = end - reading.interval_minutes * 60
            try:
                verdict = state.accept(gauge, reading.sequence, start, end, reading.rainfall_mm)
                late = _too_late(reading, state) if verdict is AcceptVerdict.TOO_LATE else None
            except Exception as exc:  # one bad message must not stop the stream
                self._failed(result, tally, record, exc, now)
                continue
            state.applied_offset = record.offset
            if verdict is AcceptVerdict.ACCEPTED:
                batch.accepted.append(record)
            elif verdict is AcceptVerdict.DUPLICATE:
                tally.deduplicated += 1
            elif late is not None:
                self._dead_letter(result, tally, record, late, now)
        try:
            slots = state.finalise(
                self.config.lateness_seconds,
                self.config.max_gap_slots,
                stage_backlog=batch.backlog,
            )
        except Exception as exc:  # keep the stream going; the readings are kept for a replay
            self._revert(batch, counts, result, exc, now)
            return []
        if batch.accepted:
            counts[batch.accepted[0].partition].pending += len(batch.accepted)
        result.slots_finalised += len(slots)
        return [(batch, slot) for slot in slots]

    def _revert(
        self,
        batch: _BasinBatch,
        counts: dict[int, PartitionCounts],
        result: BatchResult,
        exc: Exception,
        now: datetime,
    ) -> None:
        """Drop a basin's batch after finalisation failed; dead-letter the readings it took."""
        batch.state = self._load_state(batch.geometry, batch.original)
        for record in batch.accepted:
            self._failed(result, counts[record.partition], record, exc, now)
        batch.accepted.clear()
        for record in batch.side_accepted:
            tally = result.side_counts[(record.topic, record.partition)][1]
            tally.pending -= 1  # counted pending by _apply_sides; dead-lettered instead
            self._failed(result, tally, record, exc, now)
        batch.side_accepted.clear()

    # ------------------------------------------------------------------ side inputs
    def _route_side(
        self,
        side_input: SideInput,
        record: SourceRecord,
        tally: PartitionCounts,
        basins: dict[str, _BasinBatch],
        load_state: StateLoader,
        latest_end: float,
        result: BatchResult,
        now: datetime,
    ) -> None:
        """Check a side input's message (a river level, a forecast); queue it for its basin."""
        try:
            message = side_input.decode(record, self.config.max_message_bytes)
            basin_id, source = side_input.check(record, message, latest_end)
            batch = self._basin_batch(basin_id, basins, load_state)
        except RejectedReadingError as exc:
            self._dead_letter(result, tally, record, exc, now)
            return
        except Exception as exc:  # one bad message must not stop the stream
            self._failed(result, tally, record, exc, now)
            return
        batch.side_items.append((side_input, record, message, source))

    def _apply_sides(
        self, batch: _BasinBatch, side: SideTallies, result: BatchResult, now: datetime
    ) -> None:
        """Offer a basin its side inputs' messages: accepted ones wait in their slots."""
        state = batch.state
        for side_input, record, message, source in batch.side_items:
            tally = side.get(record.topic, record.partition)
            batch.last = batch.last or record
            try:
                verdict = side_input.apply(state, source, message)
            except Exception as exc:  # one bad message must not stop the stream
                self._failed(result, tally, record, exc, now)
                continue
            if verdict is AcceptVerdict.ACCEPTED:
                batch.side_accepted.append(record)
                tally.pending += 1
            elif verdict is AcceptVerdict.DUPLICATE:
                tally.deduplicated += 1
            else:
                self._dead_letter(result, tally, record, side_input.too_late(message, state), now)

    def _settle_sides(
        self, finalised: list[tuple[_BasinBatch, FinalisedSlot]], side: SideTallies
    ) -> None:
        """Move the side inputs' messages of the finalised slots from pending to scored."""
        for batch, slot in finalised:
            for side_input in self._sides.values():
                scored = side_input.scored_in(slot)
                if scored and batch.last is not None:
                    side.counted(side_input.topic, batch.last).settle(scored)

    # ------------------------------------------------------------------ scoring
    def _score(
        self,
        finalised: list[tuple[_BasinBatch, FinalisedSlot]],
        counts: dict[int, PartitionCounts],
        result: BatchResult,
        now: datetime,
    ) -> None:
        """Score every finalised slot of the batch in one model call; publish what is due."""
        if not finalised:
            return
        scorer = self.scorer
        paths = scorer.score_basins(
            [(batch.geometry.basin_id, slot.features) for batch, slot in finalised]
        )
        for (batch, slot), path in zip(finalised, paths, strict=True):
            state = batch.state
            if slot.readings and batch.last is not None:
                counts[batch.last.partition].settle(slot.readings)
            reach_ids = path.reach_ids
            due, changed = state.publication_due(slot.end, reach_ids, self.config.cadence_seconds)
            if not due:
                continue
            result.predictions.append(
                build_prediction(
                    basin_id=batch.geometry.basin_id,
                    path=path,
                    watermark=slot.end,
                    issued_at=now,
                    model=scorer.identity,
                    horizon_hours=scorer.horizon_hours,
                    threshold=scorer.threshold,
                    readings_used=slot.readings_used,
                    changed=changed,
                )
            )
            state.mark_published(slot.end, reach_ids)


def _partition_of(batch: _BasinBatch) -> int | None:
    """The source partition of a basin's share of the batch."""
    if batch.items:
        return batch.items[0][0].partition
    return batch.side_items[0][1].partition if batch.side_items else None


def _log_failure(event: str, record: SourceRecord, exc: Exception) -> None:
    logger.error(
        event,
        exc_info=exc,
        extra={
            "fields": {
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
            }
        },
    )


def _processing_error(exc: Exception) -> RejectedReadingError:
    """The rejection for a record whose processing raised ``exc``."""
    if isinstance(exc, RejectedReadingError):
        return exc
    return ReadingProcessingError(f"{type(exc).__name__}: {exc}")


def _too_late(reading: GaugeReading, state: BasinState) -> TooLateError:
    final_until = datetime.fromtimestamp(state.next_slot or 0, UTC).isoformat()
    return TooLateError(
        f"interval from {reading.interval_start.isoformat()} reaches into slots already final"
        f" (basin {reading.basin_id} is final until {final_until})"
    )


def _unknown_gauge(reading: GaugeReading) -> UnknownGaugeIdError:
    return UnknownGaugeIdError(f"gauge {reading.gauge_id!r} is not in basin {reading.basin_id!r}")


def _in_the_future(reading: GaugeReading) -> OutOfBoundsError:
    detail = f"observed_at {reading.observed_at.isoformat()} lies beyond the allowed clock skew"
    return OutOfBoundsError(
        detail, [FieldError(loc="observed_at", msg=detail, type="observed_in_future")]
    )
