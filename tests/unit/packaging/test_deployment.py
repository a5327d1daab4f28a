"""The container stack describes only what exists: CLI commands, files, the wheel it installs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.core
import typer.main
import yaml

from floodcast.cli import app

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
FLOODCAST_SERVICES = {
    name: service for name, service in COMPOSE["services"].items() if service.get("build") == "."
}


def _parse_command_line(args: list[str]) -> object:
    """Resolve ``floodcast ARGS`` down to its leaf command and parse its options, without
    running it: an unknown command, option or a missing argument raises a click error."""
    command = typer.main.get_command(app)
    context_type = type(command.make_context("floodcast", ["--help"], resilient_parsing=True))
    ctx = context_type(command, info_name="floodcast")
    while isinstance(command, typer.core.TyperGroup):
        name, leaf, args = command.resolve_command(ctx, list(args))
        assert leaf is not None, name
        command = leaf
        ctx = context_type(command, info_name=name, parent=ctx)
    command.parse_args(ctx, list(args))
    return ctx


def test_compose_has_the_api_service() -> None:
    """The stack serves the REST API beside the worker, the emulator and the monitor."""
    assert {"worker", "emulator", "monitor", "api"} <= set(FLOODCAST_SERVICES)


@pytest.mark.parametrize("name", sorted(FLOODCAST_SERVICES))
def test_every_service_command_exists_in_the_cli(name: str) -> None:
    """Each Floodcast service's command parses as a ``floodcast`` command line."""
    service: dict[str, Any] = FLOODCAST_SERVICES[name]
    _parse_command_line(service.get("command", ["worker"]))


def test_an_unknown_command_or_option_is_caught() -> None:
    """The check above fails for a command or an option the CLI does not have."""
    # typer carries its own copy of click, so its errors are matched by message
    with pytest.raises(Exception, match="No such command 'serve'"):
        _parse_command_line(["serve"])
    with pytest.raises(Exception, match="No such option: --no-such-option"):
        _parse_command_line(["worker", "--no-such-option"])


def test_every_mounted_file_exists() -> None:
    """Every bind mount names a file or folder of the repository."""
    sources = [
        volume.split(":", 1)[0]
        for service in COMPOSE["services"].values()
        for volume in service.get("volumes", [])
        if volume.startswith(("./", "/"))
    ]
    assert sources
    assert [source for source in sources if not (ROOT / source).exists()] == []


def test_dockerfile_installs_the_wheel() -> None:
    """The image installs the built wheel and copies no package folder by name."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"pip wheel .*--wheel-dir /dist \.", dockerfile)
    assert re.search(r"pip install --no-deps /tmp/dist/\*\.whl", dockerfile)
    copied = re.findall(r"^COPY (?!--from)(\S+)", dockerfile, flags=re.MULTILINE)
    assert all((ROOT / source).exists() for source in copied), copied
    packages = ("floodcast", "stream_app", "converters", "schemas")
    assert not any(source.rstrip("/") in packages for source in copied)
