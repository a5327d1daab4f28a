"""Exported JSON Schema files are deterministic, current, and checked by the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from floodcast.cli import app
from schemas import MESSAGES, check_json_schemas, export_json_schemas, render_json_schema
from schemas.export import DEFAULT_FOLDER

NAMES = sorted(f"{message.__name__}.schema.json" for message in MESSAGES)


def test_checked_in_schema_files_are_current() -> None:
    """The files under schemas/json match the models; re-export after changing a model."""
    assert check_json_schemas(DEFAULT_FOLDER) == []


def test_export_writes_one_deterministic_file_per_message(tmp_path: Path) -> None:
    """Export writes sorted, indented JSON with a trailing newline, identical on every run."""
    first = export_json_schemas(tmp_path)
    contents = {path.name: path.read_text() for path in first}
    assert sorted(contents) == NAMES
    export_json_schemas(tmp_path)
    assert {path.name: path.read_text() for path in first} == contents
    text = contents["GaugeReading.schema.json"]
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert json.loads(text)["additionalProperties"] is False


def test_check_lists_missing_stale_and_orphan_files(tmp_path: Path) -> None:
    """Check names files that are missing, edited, or left over from a removed message."""
    assert check_json_schemas(tmp_path) == NAMES
    export_json_schemas(tmp_path)
    assert check_json_schemas(tmp_path) == []
    (tmp_path / "OpsAlert.schema.json").write_text("{}\n")
    (tmp_path / "Retired.schema.json").write_text("{}\n")
    assert check_json_schemas(tmp_path) == ["OpsAlert.schema.json", "Retired.schema.json"]
    export_json_schemas(tmp_path)
    assert check_json_schemas(tmp_path) == []
    assert not (tmp_path / "Retired.schema.json").exists()


def test_schema_reflects_the_model() -> None:
    """The rendered schema carries the model's constraints, e.g. the rainfall bounds."""
    schema = json.loads(render_json_schema(MESSAGES[0]))
    assert schema["title"] == "GaugeReading"
    assert schema["properties"]["rainfall_mm"]["maximum"] == 150.0


def test_cli_exports_then_checks(tmp_path: Path) -> None:
    """`floodcast schemas export` writes the files, and `--check` then exits 0."""
    runner = CliRunner()
    written = runner.invoke(app, ["schemas", "export", "--out", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert sorted(path.name for path in tmp_path.iterdir()) == NAMES
    checked = runner.invoke(app, ["schemas", "export", "--out", str(tmp_path), "--check"])
    assert checked.exit_code == 0, checked.output


def test_cli_check_fails_on_stale_files(tmp_path: Path) -> None:
    """`--check` exits 1 and names the stale file without rewriting it."""
    export_json_schemas(tmp_path)
    stale = tmp_path / "DeadLetter.schema.json"
    stale.write_text("{}\n")
    result = CliRunner().invoke(app, ["schemas", "export", "--out", str(tmp_path), "--check"])
    assert result.exit_code == 1
    assert "DeadLetter.schema.json" in result.output
    assert stale.read_text() == "{}\n"
