"""``floodcast demo --web``: the operator page is served for the run with a key of its own."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from rich.console import Console

from floodcast.api.security import ApiKeyStore
from floodcast.demo.web_page import operator_page
from schemas.settings import Settings
from tests.helpers.api_server import free_port
from tests.unit.stream_app.toy_package import write_toy_package

pytestmark = pytest.mark.integration


def _get(url: str, key: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_page_is_served_with_a_run_key_revoked_afterwards(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """The URL and a paths:read key are printed; the page and its data answer during the run,
    and the key no longer works once the run is over."""
    settings = Settings(
        kafka_bootstrap=kafka_bootstrap,
        model_path=write_toy_package(tmp_path / "pkg"),
        data_dir=tmp_path / "data",
        api_port=free_port(),
        topic_predictions="demo-web-test.flood-path-predictions",
    )
    screen = io.StringIO()
    with operator_page(settings, Console(file=screen, width=200)) as url:
        printed = screen.getvalue()
        assert f"operator page: {url}" in printed
        key = re.search(r"API key: (fck_[A-Za-z0-9_-]+)$", printed, re.M).group(1)  # type: ignore[union-attr]
        assert url == f"http://127.0.0.1:{settings.api_port}/"
        assert _get(url) == 200
        assert _get(url + "v1/networks") == 401
        assert _get(url + "v1/networks", key) == 200
    store = ApiKeyStore(settings.api_key_store_path)
    assert store.authenticate(key) is None
    assert [k.revoked_at is not None for k in store.records()] == [True]
