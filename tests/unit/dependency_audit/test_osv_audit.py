"""pip-audit against an OSV endpoint: findings are read from its report, outages reported."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tools.dependency_audit import __main__ as audit_command
from tools.dependency_audit.exceptions import AdvisorySourceError
from tools.dependency_audit.osv_audit import run_pip_audit

VULNERABLE = ("requests", "2.0.0")
VULNERABILITY = {
    "id": "GHSA-test-0001",
    "aliases": ["CVE-2026-0001"],
    "summary": "a test advisory",
    "affected": [
        {
            "package": {"name": "requests", "ecosystem": "PyPI"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.1.0"}]}],
        }
    ],
}


class _OsvHandler(BaseHTTPRequestHandler):
    """Answers OSV ``/v1/query`` with one advisory for ``VULNERABLE`` and nothing otherwise."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        asked = (query["package"]["name"], query["version"])
        body = json.dumps({"vulns": [VULNERABILITY]} if asked == VULNERABLE else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def osv_url() -> Iterator[str]:
    """A local OSV query endpoint."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OsvHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


def _lock(tmp_path: Path, requests_version: str) -> Path:
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        f"requests=={requests_version} --hash=sha256:{'0' * 64}\n"
        f"idna==3.10 --hash=sha256:{'1' * 64}\n"
    )
    return lock


def test_pip_audit_findings_are_read_from_its_report(tmp_path: Path, osv_url: str) -> None:
    """A vulnerable pin comes back with its id, aliases and fixed version."""
    audited, findings = run_pip_audit(_lock(tmp_path, "2.0.0"), osv_url=osv_url, timeout=10)
    assert audited == 2
    [finding] = findings
    assert (finding.name, finding.version, finding.fix_versions) == (
        "requests",
        "2.0.0",
        ("2.1.0",),
    )
    assert {finding.id, *finding.aliases} == {"GHSA-test-0001", "CVE-2026-0001"}


def test_ignored_vulnerabilities_are_not_findings(tmp_path: Path, osv_url: str) -> None:
    """``--ignore-vuln`` reaches pip-audit."""
    _, findings = run_pip_audit(
        _lock(tmp_path, "2.0.0"), ignore=["GHSA-test-0001"], osv_url=osv_url, timeout=10
    )
    assert findings == []


def test_an_unreachable_osv_is_a_source_error(tmp_path: Path) -> None:
    """No report from pip-audit is an error, never an empty audit."""
    with pytest.raises(AdvisorySourceError, match="pip-audit"):
        run_pip_audit(_lock(tmp_path, "2.0.0"), osv_url="http://127.0.0.1:9/v1/query", timeout=2)


@pytest.mark.parametrize(("version", "status"), [("2.0.0", 1), ("2.1.0", 0)])
def test_the_command_fails_on_a_known_vulnerability(
    tmp_path: Path,
    osv_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    version: str,
    status: int,
) -> None:
    """Exit 1 and a VULNERABLE line for a vulnerable pin, exit 0 for a fixed one."""
    lock = _lock(tmp_path, version)
    monkeypatch.setattr(
        sys, "argv", ["audit", "--lock-file", str(lock), "--osv-url", osv_url, "--timeout", "10"]
    )
    assert audit_command.main() == status
    output = capsys.readouterr().out
    assert ("VULNERABLE requests 2.0.0:" in output and "GHSA-test-0001" in output) == bool(status)
