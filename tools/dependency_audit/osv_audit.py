"""``pip-audit`` against OSV, the complete audit when OSV can be reached."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from tools.dependency_audit.exceptions import AdvisorySourceError

__all__ = ["OsvFinding", "run_pip_audit"]


@dataclass(frozen=True)
class OsvFinding:
    """A vulnerability pip-audit found in a pinned distribution."""

    name: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]


def run_pip_audit(
    lock_file: Path,
    ignore: Collection[str] = (),
    timeout: float = 30.0,
    osv_url: str | None = None,
) -> tuple[int, list[OsvFinding]]:
    """Audit every pin of ``lock_file`` with ``pip-audit --vulnerability-service osv``.

    The pins are audited as they are (``--disable-pip --require-hashes``): nothing is resolved
    or installed.

    Args:
        lock_file: a hashed pip lock file.
        ignore: vulnerability ids pip-audit should skip.
        timeout: seconds per OSV request.
        osv_url: an OSV query endpoint other than pip-audit's default (api.osv.dev).

    Returns:
        How many distributions were audited, and the findings.

    Raises:
        AdvisorySourceError: pip-audit ran but produced no report (e.g. OSV is unreachable).
    """
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "pip-audit.json"
        command = [
            sys.executable, "-m", "pip_audit",
            "--requirement", str(lock_file), "--require-hashes", "--disable-pip",
            "--vulnerability-service", "osv", "--timeout", str(int(timeout)),
            "--format", "json", "--output", str(report), "--progress-spinner", "off",
        ]  # fmt: skip
        if osv_url is not None:
            command += ["--osv-url", osv_url]
        for vulnerability in ignore:
            command += ["--ignore-vuln", vulnerability]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if not report.is_file():
            last_line = (completed.stderr.strip().splitlines() or ["no output"])[-1]
            raise AdvisorySourceError(f"pip-audit (OSV) exited {completed.returncode}: {last_line}")
        document = json.loads(report.read_text())
    dependencies = document.get("dependencies", [])
    findings = [
        OsvFinding(
            name=dependency["name"],
            version=dependency.get("version", "?"),
            id=vulnerability["id"],
            aliases=tuple(vulnerability.get("aliases", ())),
            fix_versions=tuple(vulnerability.get("fix_versions", ())),
        )
        for dependency in dependencies
        for vulnerability in dependency.get("vulns", ())
    ]
    return len(dependencies), findings
