"""Sub-commands of ``floodcast``; each module exposes ``register(app)``."""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES: tuple[str, ...] = (
    "schemas",
    "model",
    "broker",
    "simulate",
    "worker",
    "demo",
    "evaluate",
    "monitor",
    "api",
    "keys",
    "certs",
)


def register_all(app: typer.Typer) -> None:
    """Attach every command module's commands to ``app``."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"floodcast.commands.{name}").register(app)
