"""``floodcast demo --web``: the API with its operator page, served beside the demo."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from floodcast.exceptions import DemoError
from schemas.settings import Settings

__all__ = ["operator_page"]


@contextmanager
def operator_page(settings: Settings, console: Console, timeout: float = 30.0) -> Iterator[str]:
    """Serve the REST API and its operator page for the run; yields the page's URL.

    A key with ``paths:read`` is created for the run, shown once, and revoked at the end.

    Args:
        settings: the run's settings (its topics; the Kafka principal the API reads as).
        console: where the URL and the key are printed.
        timeout: seconds to wait for the server to start.

    Raises:
        DemoError: the API could not load the model or start listening.
    """
    # Imported here: only `--web` needs the API's stack.
    import uvicorn

    from converters.exceptions import PackageError
    from floodcast.api import build_services, create_app
    from floodcast.api.exceptions import ApiError
    from floodcast.api.server import server_config

    try:
        services = build_services(settings, follow_predictions=True)
        certfile, keyfile = settings.api_tls_certfile, settings.api_tls_keyfile
        config = server_config(
            create_app(services),
            settings.api_host,
            settings.api_port,
            certfile=certfile,
            keyfile=keyfile,
        )
    except (PackageError, ApiError) as exc:
        raise DemoError(f"the operator page cannot start: {exc}") from exc
    key, record = services.keys.create(f"demo-{settings.app_id}", ["paths:read"])
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="operator-page", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise DemoError(
                    f"the operator page did not start on {settings.api_host}:{settings.api_port}"
                )
            time.sleep(0.05)
        scheme = "https" if certfile else "http"
        url = f"{scheme}://{settings.api_host}:{settings.api_port}/"
        console.print(f"operator page: {url}")
        console.print(f"sign in with the run's API key: {key}", soft_wrap=True)
        yield url
    finally:
        server.should_exit = True
        thread.join(10)
        services.keys.revoke(record.key_id)
