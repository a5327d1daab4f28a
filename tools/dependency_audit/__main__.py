"""``python -m tools.dependency_audit``: audit requirements.lock; exit 1 on a known vulnerability.

Exit status: 0 no known vulnerability, 1 at least one, 2 the audit could not run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.dependency_audit.exceptions import AuditError
from tools.dependency_audit.newest_release_audit import audit_against_newest_releases
from tools.dependency_audit.osv_audit import run_pip_audit
from tools.dependency_audit.pins import read_pins
from tools.dependency_audit.pypi_advisories import PyPIAdvisories


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.dependency_audit", description=__doc__)
    parser.add_argument("--lock-file", type=Path, default=Path("requirements.lock"))
    parser.add_argument(
        "--ignore-vuln", action="append", default=[], metavar="ID",
        help="an advisory id or alias to leave out (repeatable); say why beside it",
    )  # fmt: skip
    parser.add_argument("--osv-url", help="OSV query endpoint (default: pip-audit's)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    return parser.parse_args()


def _osv_audit(arguments: argparse.Namespace) -> int:
    audited, findings = run_pip_audit(
        arguments.lock_file, arguments.ignore_vuln, arguments.timeout, arguments.osv_url
    )
    for finding in findings:
        fixes = ", ".join(finding.fix_versions) or "no fix released"
        ids = " ".join((finding.id, *finding.aliases))
        print(f"VULNERABLE {finding.name} {finding.version}: {ids} (fixed in: {fixes})")
    print(f"pip-audit (OSV): {audited} pins audited, {len(findings)} known vulnerabilities")
    return 1 if findings else 0


def _newest_release_audit(arguments: argparse.Namespace) -> int:
    pins = read_pins(arguments.lock_file)
    source = PyPIAdvisories(timeout=arguments.timeout)
    audits = audit_against_newest_releases(pins, source, arguments.ignore_vuln)
    for audit in audits:
        for advisory in audit.findings:
            fixes = ", ".join(map(str, advisory.fixed_in)) or "no fix released"
            print(
                f"VULNERABLE {audit.pin.name} {audit.pin.version}: {advisory.id} "
                f"{' '.join(advisory.aliases)} (fixed in: {fixes}) {advisory.summary}"
            )
    behind = [a for a in audits if not a.audited]
    for audit in behind:
        print(f"not audited: {audit.pin.name} {audit.pin.version} (newest is {audit.newest})")
    findings = sum(len(a.findings) for a in audits)
    print(
        f"PyPI advisories: {len(audits) - len(behind)} of {len(audits)} pins audited in full "
        f"(pinned on the newest release), {len(behind)} older pins checked only for advisories "
        f"without a fix; {findings} known vulnerabilities"
    )
    return 1 if findings else 0


def main() -> int:
    """Run the audit; see the module docstring for the exit status."""
    arguments = _arguments()
    try:
        try:
            return _osv_audit(arguments)
        except AuditError as exc:
            print(f"OSV unavailable, using PyPI's advisories instead ({exc})", file=sys.stderr)
        return _newest_release_audit(arguments)
    except AuditError as exc:
        print(f"dependency audit failed: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
