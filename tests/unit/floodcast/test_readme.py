"""README stays true to the code it documents."""

from __future__ import annotations

import re
from pathlib import Path

from schemas.settings import Settings

README = (Path(__file__).parents[3] / "README.md").read_text()


def test_every_setting_is_documented() -> None:
    """Each settings field appears in README's settings table as its environment variable."""
    documented = set(re.findall(r"FLOODCAST_[A-Z_]+", README))
    fields = {f"FLOODCAST_{name.upper()}" for name in Settings.model_fields}
    assert sorted(fields - documented) == []


def test_the_two_commands_come_first() -> None:
    """The set-up+demo command and the test command are in README's first code block."""
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    assert "make demo" in first_block and "make test" in first_block
