"""One field-level problem of a rejected message, as pydantic reported it."""

from __future__ import annotations

from pydantic import ValidationError

from schemas._message import StrictMessage


class FieldError(StrictMessage):
    """Where a message failed validation, why, and pydantic's error type."""

    loc: str
    """Dotted path of the offending field (``reaches.0.probability``); empty for the message."""
    msg: str
    """Human-readable explanation."""
    type: str
    """Pydantic error type, e.g. ``less_than_equal`` or ``json_invalid``."""

    @classmethod
    def from_validation_error(
        cls, exc: ValidationError, *, limit: int = 20
    ) -> tuple[FieldError, ...]:
        """Convert pydantic's errors, keeping at most ``limit`` of them.

        Args:
            exc: The validation error to convert.
            limit: Cap on the number of errors kept, so a hostile message cannot blow up
                the dead letter that reports it.

        Returns:
            One ``FieldError`` per reported error, in pydantic's order.
        """
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        return tuple(
            cls(loc=".".join(str(part) for part in err["loc"]), msg=err["msg"], type=err["type"])
            for err in errors[:limit]
        )
