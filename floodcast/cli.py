"""The ``floodcast`` command line: one entry point, one sub-command module per concern."""

from __future__ import annotations

import typer

from floodcast.commands import register_all

app = typer.Typer(help="Floodcast: streaming flood-path prediction.", no_args_is_help=True)
register_all(app)


def main() -> None:
    """Entry point of the ``floodcast`` console script."""
    app()
