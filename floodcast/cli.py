"""The ``floodcast`` command line: one entry point, one sub-command module per concern."""

from __future__ import annotations

import faulthandler

import typer

from floodcast.commands import register_all

app = typer.Typer(help="Floodcast: streaming flood-path prediction.", no_args_is_help=True)
register_all(app)


def main() -> None:
    """Entry point of the ``floodcast`` console script."""
    # A crash in native code (librdkafka, onnxruntime) ends a long-running command (worker,
    # api, monitor) without a Python traceback; faulthandler first prints every thread's
    # Python stack to stderr. It cannot see faults inside librdkafka's own threads (rdk:*):
    # they run with every signal blocked, so the kernel ends the process at once; read
    # those from a core dump.
    faulthandler.enable()
    app()
