"""``floodcast simulate``: argument checks that fail before any broker is contacted."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from floodcast.cli import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate", "10", "--speedup", "60"], "choose one of --rate, --speedup"),
        (["--rate", "10", "--max-speed"], "choose one of --rate, --max-speed"),
        (["--days", "1", "--hours", "3"], "not both"),
        (["--faults", "bogus=1"], "unknown fault"),
        (["--faults", "late=2"], "outside [0, 1]"),
        (["--storm", "hurricane"], "hurricane"),
        (["--rate", "0"], "value: Input should be greater than 0"),
    ],
)
def test_bad_arguments_exit_with_usage_error(args: list[str], message: str) -> None:
    """Conflicting or invalid options are usage errors (exit code 2) naming the problem."""
    result = CliRunner().invoke(app, ["simulate", *args], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert message in result.output


def test_unknown_basin_is_a_configuration_error() -> None:
    """A basin that does not exist stops the command with exit code 2 before publishing."""
    result = CliRunner().invoke(
        app, ["simulate", "--basin", "atlantis", "--hours", "1"], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 2
    assert "unknown basin 'atlantis'" in result.output
