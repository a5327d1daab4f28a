"""``floodcast schemas``: export the messages' JSON Schemas and check the exported files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def export(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the schema files.", show_default="schemas/json"),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only verify the files; exit 1 when any is stale.")
    ] = False,
) -> None:
    """Write one <Message>.schema.json per message, or check the written files are current."""
    # Imported here: building every message's JSON Schema loads all the models.
    from schemas.export import DEFAULT_FOLDER, check_json_schemas, export_json_schemas

    out = out or DEFAULT_FOLDER
    if check:
        stale = check_json_schemas(out)
        if stale:
            typer.echo(f"stale JSON Schema files in {out}: {', '.join(stale)}", err=True)
            typer.echo(f"run `floodcast schemas export --out {out}` to refresh them", err=True)
            raise typer.Exit(code=1)
        typer.echo(f"JSON Schema files in {out} are current")
        return
    for path in export_json_schemas(out):
        typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Attach the ``schemas`` command group to ``app``."""
    group = typer.Typer(help="Message schemas.", no_args_is_help=True)
    group.command("export")(export)
    app.add_typer(group, name="schemas")
