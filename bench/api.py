"""REST API latency: ``POST /v1/predict`` p50/p99 over loopback against ``floodcast api``.

Run: ``.venv/bin/python -m bench.api`` (about five minutes). Starts ``floodcast api`` as its
own process on a free loopback port (plain HTTP, then HTTPS with development certificates) and
sends sequential requests with one keep-alive client. Each predict body is a day of 15-minute
readings of every gauge of a basin of the default model package; the headline case, midvale
(10 gauges, 960 readings), gets 2,000 requests over HTTP, the other cases 200. ``GET /healthz``
is the baseline: what the HTTP stack alone costs.
"""

from __future__ import annotations

import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2

from bench._report import write_results
from converters.model_package import load_package
from floodcast.api.dev_certificates import make_dev_certificates
from floodcast.api.security import ApiKeyStore
from schemas.settings import Settings

REQUESTS = 2_000
"""Requests of the headline case (and of the baseline)."""
OTHER_REQUESTS = 200
HEADLINE = ("http", "midvale")
WARM_UP = 20
SLOTS = 96  # one day of 15-minute readings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _window(basin_id: str, gauges: tuple[str, ...]) -> dict[str, Any]:
    """A day of readings with a storm in its last six hours."""
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    readings = [
        {
            "gauge_id": gauge,
            "basin_id": basin_id,
            "sequence": slot,
            "observed_at": (t0 + timedelta(minutes=15 * (slot + 1))).isoformat(),
            "rainfall_mm": 6.0 if slot >= SLOTS - 24 else 0.0,
        }
        for slot in range(SLOTS)
        for gauge in gauges
    ]
    return {"basin_id": basin_id, "readings": readings}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1e3  # noqa: E731
    return {
        "p50_ms": pick(0.50),
        "p90_ms": pick(0.90),
        "p99_ms": pick(0.99),
        "mean_ms": statistics.fmean(ordered) * 1e3,
        "max_ms": ordered[-1] * 1e3,
    }


def _run(
    client: httpx2.Client, method: str, url: str, body: dict | None, requests: int
) -> dict[str, float]:
    for _ in range(WARM_UP):
        client.request(method, url, json=body).raise_for_status()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.request(method, url, json=body)
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
    return {"requests": requests, **_percentiles(samples)}


def _serve(env: dict[str, str], port: int, verify: ssl.SSLContext | bool, scheme: str):
    process = subprocess.Popen(  # noqa: S603 -- our own CLI, fixed arguments
        [str(Path(sys.executable).parent / "floodcast"), "api", "--port", str(port), "--no-follow"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    with httpx2.Client(verify=verify) as probe:
        while True:
            try:
                if probe.get(f"{scheme}://127.0.0.1:{port}/readyz").status_code == 200:
                    return process
            except httpx2.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
            time.sleep(0.2)


def main() -> None:
    started = time.perf_counter()
    settings = Settings()
    package = load_package(settings.model_path)
    results: dict[str, Any] = {"slots_per_window": SLOTS}
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "secrets" / "keys.json"
        key, _ = ApiKeyStore(store).create("bench", ["admin"])
        certs = make_dev_certificates(Path(tmp) / "tls", ("127.0.0.1",))
        env = {
            **os.environ,
            "FLOODCAST_API_KEY_STORE": str(store),
            "FLOODCAST_API_RATE_PER_SECOND": "1000000",
            "FLOODCAST_API_RATE_BURST": "1000000",
            "FLOODCAST_API_READINGS_PER_SECOND": "1000000000",
            "FLOODCAST_API_READINGS_BURST": "1000000000",
            "FLOODCAST_API_MAX_BODY_BYTES": str(8 * 1024 * 1024),
            "FLOODCAST_LOG_LEVEL": "WARNING",
        }
        tls_env = {
            **env,
            "FLOODCAST_API_TLS_CERTFILE": str(certs.server_cert),
            "FLOODCAST_API_TLS_KEYFILE": str(certs.server_key),
        }
        context = ssl.create_default_context(cafile=str(certs.ca_cert))
        for scheme, server_env, verify in (("http", env, True), ("https", tls_env, context)):
            port = _free_port()
            process = _serve(server_env, port, verify, scheme)
            base = f"{scheme}://127.0.0.1:{port}"
            try:
                headers = {"Authorization": f"Bearer {key}"}
                with httpx2.Client(headers=headers, verify=verify, timeout=30) as client:
                    cases: dict[str, Any] = {
                        "healthz": _run(client, "GET", f"{base}/healthz", None, REQUESTS)
                    }
                    for basin_id, basin in package.basins.items():
                        body = _window(basin_id, basin.gauge_ids)
                        count = REQUESTS if (scheme, basin_id) == HEADLINE else OTHER_REQUESTS
                        cases[f"predict_{basin_id}"] = {
                            "gauges": len(basin.gauge_ids),
                            "reaches": basin.n_reaches,
                            "readings": len(body["readings"]),
                            **_run(client, "POST", f"{base}/v1/predict", body, count),
                        }
                results[scheme] = cases
            finally:
                process.terminate()
                process.wait(30)
    print(f"{'case':>22} {'readings':>9} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for scheme in ("http", "https"):
        for name, r in results[scheme].items():
            print(
                f"{scheme + ' ' + name:>22} {r.get('readings', 0):>9} {r['requests']:>9} "
                f"{r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}"
            )
    results["wall_seconds"] = time.perf_counter() - started
    print(f"wrote {write_results('api', results)}")


if __name__ == "__main__":
    main()
