"""Turn a valid reading payload into one of the ``MalformedKind`` broken payloads."""

from __future__ import annotations

import json
from collections.abc import Set
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from schemas import MAX_RAINFALL_MM, MAX_STAGE_M, DeadLetterReason


class MalformedKind(StrEnum):
    """A way of breaking a reading; the value is the name used in fault specifications."""

    BAD_JSON = "bad_json"
    """A reading cut off half-way, so the JSON never closes."""
    WRONG_TYPE = "wrong_type"
    """``rainfall_mm`` sent as a string."""
    NAN = "nan"
    """``rainfall_mm`` sent as the non-standard JSON literal ``NaN``."""
    OUT_OF_BOUNDS = "out_of_bounds"
    """``rainfall_mm`` negative or above the schema's maximum."""
    UNKNOWN_GAUGE = "unknown_gauge"
    """A well-formed reading from a gauge id that no basin has."""
    NOT_UTF8 = "not_utf8"
    """A reading with a byte that is not valid UTF-8 inside a string."""
    OVERSIZE = "oversize"
    """A valid reading padded with whitespace beyond the accepted message size."""

    @property
    def reason(self) -> DeadLetterReason:
        """The dead-letter reason a correct stream worker gives this payload."""
        return _REASONS[self]


_REASONS = {
    MalformedKind.BAD_JSON: DeadLetterReason.INVALID_JSON,
    MalformedKind.WRONG_TYPE: DeadLetterReason.SCHEMA_VIOLATION,
    MalformedKind.NAN: DeadLetterReason.OUT_OF_BOUNDS,
    MalformedKind.OUT_OF_BOUNDS: DeadLetterReason.OUT_OF_BOUNDS,
    MalformedKind.UNKNOWN_GAUGE: DeadLetterReason.UNKNOWN_GAUGE,
    MalformedKind.NOT_UTF8: DeadLetterReason.NOT_UTF8,
    MalformedKind.OVERSIZE: DeadLetterReason.OVERSIZE,
}


_COMPACT = (",", ":")


@dataclass(frozen=True)
class PayloadFields:
    """The fields of a reading payload that the faults break.

    Attributes:
        measure: the measured value (made a string, NaN, or out of bounds).
        maximum: the schema's largest value of ``measure``.
        source: the id of the device that sent it (made unknown).
        unknown_reason: the dead-letter reason of an unknown ``source``.
    """

    measure: str
    maximum: float
    source: str
    unknown_reason: DeadLetterReason

    def reason(self, kind: MalformedKind) -> DeadLetterReason:
        """The dead-letter reason a correct stream worker gives a payload broken as ``kind``."""
        return self.unknown_reason if kind is MalformedKind.UNKNOWN_GAUGE else kind.reason


RAIN_FIELDS = PayloadFields(
    "rainfall_mm", MAX_RAINFALL_MM, "gauge_id", DeadLetterReason.UNKNOWN_GAUGE
)
"""A ``GaugeReading``'s."""
STAGE_FIELDS = PayloadFields("stage_m", MAX_STAGE_M, "sensor_id", DeadLetterReason.UNKNOWN_SENSOR)
"""A ``RiverLevelReading``'s."""


class PayloadCorruptor:
    """Builds broken payloads from valid ones; only used for the few injected faults.

    Args:
        max_message_bytes: size limit of the stream worker; oversize payloads exceed it.
        known_gauge_ids: every real gauge id, so an "unknown" gauge never collides with one.
    """

    def __init__(self, *, max_message_bytes: int, known_gauge_ids: Set[str]) -> None:
        self._max_bytes = max_message_bytes
        self._known = frozenset(known_gauge_ids)

    def corrupt(
        self,
        kind: MalformedKind,
        payload: bytes,
        rng: np.random.Generator,
        fields: PayloadFields = RAIN_FIELDS,
    ) -> bytes:
        """A broken variant of ``payload`` (a valid reading's JSON document).

        Args:
            kind: how to break it.
            payload: the valid reading's bytes.
            rng: source of the variant's random details (cut point, values, padding).
            fields: the payload's fields (a ``GaugeReading``'s unless told).

        Returns:
            The broken payload.
        """
        reading: dict[str, Any] = json.loads(payload)
        if kind is MalformedKind.BAD_JSON:
            cut = int(rng.integers(1, len(payload) - 1))
            return payload[:cut]
        measure = fields.measure
        if kind is MalformedKind.WRONG_TYPE:
            reading[measure] = str(reading[measure])
        elif kind is MalformedKind.NAN:
            reading[measure] = float("nan")
        elif kind is MalformedKind.OUT_OF_BOUNDS:
            reading[measure] = -0.2 if rng.random() < 0.5 else fields.maximum + 100.0
        elif kind is MalformedKind.UNKNOWN_GAUGE:
            reading[fields.source] = self._unknown_gauge_id(rng)
        # json.dumps writes NaN as the bare literal NaN, which is exactly the fault wanted.
        text = json.dumps(reading, separators=_COMPACT)
        if kind is MalformedKind.NOT_UTF8:
            return text.encode().replace(b'"quality":"', b'"quality":"\xff', 1)
        if kind is MalformedKind.OVERSIZE:
            # Whitespace keeps the JSON valid, so size is the only thing wrong with it.
            pad = self._max_bytes + 1 + int(rng.integers(0, 64)) - len(text.encode())
            text = "{" + " " * max(pad, 0) + text[1:]
        return text.encode()

    def _unknown_gauge_id(self, rng: np.random.Generator) -> str:
        """A syntactically valid gauge id that no emulated basin has."""
        while True:
            candidate = f"unregistered-{int(rng.integers(0, 10_000)):04d}"
            if candidate not in self._known:
                return candidate
