# The two commands a newcomer needs are `make demo` and `make test`; both set up first.
.PHONY: setup demo test test-fast bench lock lint audit wheel-check

setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/floodcast demo

test: setup
	.venv/bin/pytest

test-fast: setup
	.venv/bin/pytest -m "not integration and not slow"

bench: setup
	.venv/bin/python -m bench.scoring && .venv/bin/python -m bench.pipeline

# Known vulnerabilities in the locked dependencies (pip-audit on OSV; PyPI's advisories offline).
audit: setup
	.venv/bin/python -m tools.dependency_audit --lock-file requirements.lock

# Build the wheel, install it into a fresh venv outside the source tree, and use it.
wheel-check: setup
	./tools/check_wheel.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Regenerate requirements.lock (pinned, hashed) from pyproject.toml.
lock:
	.venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev \
		--output-file requirements.lock pyproject.toml
