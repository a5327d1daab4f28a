"""One JSON object per log record, so the worker's events can be filtered and aggregated.

Library code logs an event name as the message and its details under ``extra={"fields": ...}``:
``logger.info("prediction_issued", extra={"fields": {"basin_id": "b1"}})`` becomes
``{"ts": "...", "level": "INFO", "logger": "...", "event": "prediction_issued", "basin_id": "b1"}``.
Records from other libraries (Faust, aiokafka) keep their text as ``event``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["JsonFormatter", "log_event", "logging_config"]

_RESERVED = frozenset({"ts", "level", "logger", "event", "exc"})


class JsonFormatter(logging.Formatter):
    """Formats a record as a single-line JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, Mapping):
            entry.update((k, v) for k, v in fields.items() if k not in _RESERVED)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, separators=(",", ":"))


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` with ``fields`` (skipped cheaply when the level is off)."""
    if logger.isEnabledFor(level):
        logger.log(level, event, extra={"fields": fields})


def logging_config(level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` sending every record to stderr as JSON.

    Args:
        level: root level name, e.g. ``"INFO"``.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
    }
