"""What each entry point loads: the CLI's help, the worker and the API stay light."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

TRAINING_STACK = ("sklearn", "skl2onnx", "matplotlib", "floodcast.catchment", "floodcast.training")
RUNTIMES = ("faust", "onnxruntime", "fastapi", "confluent_kafka", "numpy", "pydantic")


def _loaded_after(statement: str) -> set[str]:
    """Top-level module names (and floodcast subpackages) loaded by ``statement``."""
    probe = (
        f"import json, sys\n{statement}\n"
        "names = set()\n"
        "for name in list(sys.modules):\n"
        "    parts = name.split('.')\n"
        "    names.add('.'.join(parts[:2]) if parts[0] == 'floodcast' else parts[0])\n"
        "print(json.dumps(sorted(names)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_cli_help_loads_no_runtime() -> None:
    """``floodcast --help`` builds every command without loading a runtime or the model stack."""
    loaded = _loaded_after(
        "from typer.testing import CliRunner\n"
        "from floodcast.cli import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0"
    )
    assert loaded.isdisjoint(RUNTIMES + TRAINING_STACK)


@pytest.mark.parametrize(
    "entry",
    [
        "import stream_app.worker, floodcast.monitoring.worker_monitoring",
        "import floodcast.api.app, floodcast.api.server, floodcast.api.service_factory",
    ],
    ids=["worker", "api"],
)
def test_worker_and_api_never_load_the_training_stack(entry: str) -> None:
    """The worker and the API score with ONNX Runtime alone: no scikit-learn, skl2onnx,
    matplotlib, simulator or training code is imported."""
    loaded = _loaded_after(entry)
    assert "onnxruntime" in loaded or "faust" in loaded
    assert loaded.isdisjoint(TRAINING_STACK)
