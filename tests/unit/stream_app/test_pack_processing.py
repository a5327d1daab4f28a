"""A SenML pack is processed as the readings it carries: each one counted, deduplicated and
dead-lettered on its own, to the same predictions as single-reading messages."""

from __future__ import annotations

import pytest

from schemas import DeadLetterReason
from stream_app.processing import BatchProcessor, ProcessorConfig
from stream_app.scoring.flood_scorer import FloodPathScorer
from tests.unit.stream_app.readings import (
    TOY_GAUGES,
    RecordLog,
    gauge_pack,
    pack_bytes,
    reading_bytes,
    senml_record,
)
from tests.unit.stream_app.test_batch_processor import NOW, Tables, _summary

SLOTS = 48


def _rain(slot: int) -> float:
    return 2.5 if 10 <= slot < 22 else 0.0


@pytest.fixture
def make_tables(toy_scorer: FloodPathScorer):
    def make() -> Tables:
        # uploads of up to 16 slots (4 h) of one gauge arrive before the others' of that time
        config = ProcessorConfig(max_message_bytes=8_192, lateness_seconds=6 * 3_600)
        return Tables(BatchProcessor(toy_scorer, config, clock=lambda: NOW))

    return make


@pytest.mark.parametrize("pack_size", [1, 4, 8, 16])
def test_packs_give_the_predictions_and_counts_of_single_readings(make_tables, pack_size) -> None:
    """Every gauge's slots sent in packs (per gauge per upload) score like one reading each."""
    singles = make_tables()
    singles.run(RecordLog().slots(range(SLOTS), rain=_rain), batch_size=50)
    log = RecordLog()
    packs = [
        log.record(gauge_pack(g, range(s, min(s + pack_size, SLOTS)), rain=_rain))
        for s in range(0, SLOTS, pack_size)
        for g in TOY_GAUGES
    ]
    packed = make_tables()
    packed.run(packs, batch_size=5)
    assert _summary(packed.predictions) == _summary(singles.predictions)
    assert len(packed.predictions) >= 3
    totals = packed.totals()
    assert totals.total == totals.scored + totals.pending == SLOTS * len(TOY_GAUGES)
    assert totals.as_dict() == singles.totals().as_dict() | {"offset": totals.offset}


def test_a_bad_record_dead_letters_only_itself_with_the_pack_and_its_index(make_tables) -> None:
    log = RecordLog()
    records = [senml_record(g, s, 1.0) for s in range(4) for g in TOY_GAUGES]
    records[5] = {**records[5], "v": 151.0}  # out of bounds
    records[7] = {**records[7], "bn": "urn:dev:floodcast:toy:toy-G9:"}  # unknown gauge
    records[9] = records[0]  # a copy inside the same pack
    raw = pack_bytes(records)
    tables = make_tables()
    tables.run([log.record(raw)])
    letters = [letter for _, letter in tables.dead_letters]
    assert [(dl.record_index, dl.reason) for dl in letters] == [
        (5, DeadLetterReason.OUT_OF_BOUNDS),
        (7, DeadLetterReason.UNKNOWN_GAUGE),
    ]
    assert all(bytes(dl.value) == raw and dl.offset == 0 for dl in letters)
    totals = tables.totals()
    assert totals.dead_letters == 2
    assert totals.deduplicated == 1
    assert totals.scored + totals.pending == len(records) - 3
    assert totals.total == len(records)


def test_an_unreadable_pack_is_one_dead_letter(make_tables) -> None:
    log = RecordLog()
    raw = pack_bytes([senml_record("toy-G1", 0)])[:-3]
    tables = make_tables()
    tables.run([log.record(raw), log.record(reading_bytes("toy-G1", 0))])
    [(_, letter)] = tables.dead_letters
    assert (letter.reason, letter.record_index, bytes(letter.value)) == (
        DeadLetterReason.INVALID_JSON,
        None,
        raw,
    )
    assert tables.totals().total == 2


def test_pack_of_another_basin_key_is_refused_record_by_record(make_tables) -> None:
    log = RecordLog()
    raw = pack_bytes([senml_record("toy-G1", 0), senml_record("toy-G2", 0)])
    tables = make_tables()
    tables.run([log.record(raw, key=b"other")])
    assert [(dl.record_index, dl.reason) for _, dl in tables.dead_letters] == [
        (0, DeadLetterReason.KEY_MISMATCH),
        (1, DeadLetterReason.KEY_MISMATCH),
    ]


def test_state_that_already_holds_a_pack_does_not_take_it_twice(make_tables) -> None:
    """A pack is applied whole or not at all: after a lost counts write, all of it is a copy."""
    log = RecordLog()
    packs = [log.record(gauge_pack(g, range(0, 6), rain=lambda s: 1.0)) for g in TOY_GAUGES]
    tables = make_tables()
    tables.run(packs[:2])
    tables.counts.clear()  # the counts write was lost
    tables.run(packs)
    totals = tables.totals()
    assert totals.deduplicated == 12  # both packs already in the state
    assert totals.scored + totals.pending == 6
    assert totals.total == 18


def test_records_after_one_of_another_basin_are_checked_against_their_own(make_tables) -> None:
    """A pack's readings are routed one by one: one of an unserved basin between readings of
    the key's basin refuses only itself, and the gauges after it are checked again."""
    log = RecordLog()
    records = [
        senml_record("toy-G1", 0),
        senml_record("toy-G1", 1, basin="elsewhere"),
        senml_record("toy-G9", 0),
        senml_record("toy-G2", 0),
        senml_record("toy-G3", 0, basin="elsewhere"),
        senml_record("toy-G3", 0),
    ]
    tables = make_tables()
    tables.run([log.record(pack_bytes(records))])
    assert [(dl.record_index, dl.reason) for _, dl in tables.dead_letters] == [
        (1, DeadLetterReason.UNKNOWN_BASIN),
        (2, DeadLetterReason.UNKNOWN_GAUGE),
        (4, DeadLetterReason.UNKNOWN_BASIN),
    ]
    totals = tables.totals()
    assert totals.scored + totals.pending == 3
    assert totals.total == len(records)
