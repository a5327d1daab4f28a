"""Export every message's JSON Schema to files, and check that exported files are current."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas.dead_letter import DeadLetter
from schemas.flood_observation import FloodObservation
from schemas.flood_path_prediction import FloodPathPrediction
from schemas.gauge_reading import GaugeReading
from schemas.ops_alert import OpsAlert
from schemas.rain_forecast import RainForecast
from schemas.river_level import RiverLevelReading
from schemas.senml import SenMLPack

MESSAGES: tuple[type[BaseModel], ...] = (
    GaugeReading,
    SenMLPack,
    FloodPathPrediction,
    DeadLetter,
    OpsAlert,
    FloodObservation,
    RiverLevelReading,
    RainForecast,
)
"""Every message that travels on a topic, in export order."""

DEFAULT_FOLDER = Path(__file__).resolve().parent / "json"
"""Where the checked-in schema files live (``schemas/json``)."""

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SUFFIX = ".schema.json"


def schema_file_name(message: type[BaseModel]) -> str:
    """File name of a message's schema: ``<MessageName>.schema.json``."""
    return f"{message.__name__}{_SUFFIX}"


def render_json_schema(message: type[BaseModel]) -> str:
    """A message's JSON Schema (validation side) as deterministic text.

    Args:
        message: The message model.

    Returns:
        JSON with sorted keys, two-space indent and a trailing newline.
    """
    schema = {"$schema": JSON_SCHEMA_DIALECT, **message.model_json_schema(mode="validation")}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_json_schemas(folder: Path = DEFAULT_FOLDER) -> list[Path]:
    """Write one schema file per message and delete schema files of messages that no longer exist.

    Args:
        folder: Target folder; created when missing.

    Returns:
        The written files, in ``MESSAGES`` order.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for message in MESSAGES:
        path = folder / schema_file_name(message)
        path.write_text(render_json_schema(message), encoding="utf-8")
        written.append(path)
    for orphan in _orphans(folder):
        orphan.unlink()
    return written


def check_json_schemas(folder: Path = DEFAULT_FOLDER) -> list[str]:
    """Names of schema files that are missing, out of date, or belong to no message.

    Args:
        folder: Folder holding the exported files.

    Returns:
        Sorted file names; empty when the folder matches the models exactly.
    """
    stale = []
    for message in MESSAGES:
        path = folder / schema_file_name(message)
        if not path.is_file() or path.read_text(encoding="utf-8") != render_json_schema(message):
            stale.append(path.name)
    stale.extend(orphan.name for orphan in _orphans(folder))
    return sorted(stale)


def _orphans(folder: Path) -> list[Path]:
    """Schema files in ``folder`` that no message produces."""
    expected = {schema_file_name(message) for message in MESSAGES}
    return sorted(p for p in folder.glob(f"*{_SUFFIX}") if p.name not in expected)
