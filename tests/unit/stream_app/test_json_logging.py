"""Log records become one JSON object each, with the event's fields at the top level."""

from __future__ import annotations

import json
import logging
import sys

from stream_app.json_logging import JsonFormatter, log_event


def _record(logger_name: str = "stream_app", **kwargs) -> logging.LogRecord:
    return logging.LogRecord(
        logger_name, logging.INFO, __file__, 1, "dead_letter", (), None, **kwargs
    )


def test_fields_become_top_level_keys() -> None:
    """An event's fields sit beside ts, level, logger and event."""
    record = _record()
    record.fields = {"reason": "too_late", "partition": 3}
    entry = json.loads(JsonFormatter().format(record))
    assert entry["event"] == "dead_letter"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "stream_app"
    assert (entry["reason"], entry["partition"]) == ("too_late", 3)
    assert entry["ts"].endswith("+00:00")


def test_fields_cannot_overwrite_the_envelope() -> None:
    """A field named like an envelope key is dropped rather than masking it."""
    record = _record()
    record.fields = {"event": "forged", "level": "DEBUG"}
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["event"], entry["level"]) == ("dead_letter", "INFO")


def test_exceptions_are_kept_as_text() -> None:
    """A logged exception appears as its formatted traceback."""
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exc"]


def test_log_event_passes_fields(caplog) -> None:
    """log_event logs the event name with its fields attached."""
    logger = logging.getLogger("stream_app.test")
    with caplog.at_level(logging.INFO, logger="stream_app.test"):
        log_event(logger, "prediction_issued", basin_id="b1")
    (record,) = caplog.records
    assert record.getMessage() == "prediction_issued"
    assert record.fields == {"basin_id": "b1"}
