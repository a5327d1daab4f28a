"""Finding the ``java`` executable that runs the broker and Kafka's tools."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kafka_local.exceptions import JavaNotFoundError


def java_executable() -> str:
    """Path of the ``java`` to run: ``$JAVA_HOME/bin/java`` when set, else the one on ``PATH``.

    Returns:
        An executable path.

    Raises:
        JavaNotFoundError: neither exists.
    """
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("java")
    if found is None:
        raise JavaNotFoundError("no java found: install a JDK 17+ or set JAVA_HOME")
    return found
