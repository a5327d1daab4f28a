"""The kinds of broken payload the emulator can inject, and the rejection each must cause."""

from __future__ import annotations

from enum import StrEnum

from schemas import DeadLetterReason


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
