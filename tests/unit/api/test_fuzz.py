"""Schemathesis fuzzes every operation of the published OpenAPI: no input may cause a 5xx."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from floodcast.api import ApiServices, create_app
from floodcast.api.app import openapi_document
from floodcast.api.security import RateLimiter
from tests.unit.api.conftest import Keys

MAX_EXAMPLES = 50
"""Examples per operation: enough to reach every branch of the validators, bounded for CI."""

CALLS: Counter[str] = Counter()
"""Requests made per operation (printed at the end of the module)."""


@pytest.fixture
def fuzz_app(services: ApiServices) -> FastAPI:
    """The API with a rate limit too high to interfere with fuzzing."""
    services.rate_limiter = RateLimiter(rate=1e6, burst=1_000_000)
    return create_app(services)


@pytest.fixture(scope="module", autouse=True)
def report_calls() -> Iterator[None]:
    """Print how many requests each operation received."""
    yield
    print("\nschemathesis requests per operation:", dict(sorted(CALLS.items())))
    print("schemathesis requests in all:", sum(CALLS.values()))


schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case, fuzz_app: FastAPI, keys: Keys) -> None:
    """Any generated request, with an admin key, is answered without a 5xx."""
    CALLS[f"{case.method} {case.path}"] += 1
    case.call_and_validate(app=fuzz_app, headers=keys.admin, checks=[not_a_server_error])
