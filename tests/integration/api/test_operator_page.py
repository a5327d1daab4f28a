"""The operator page in headless Chromium, fed from a real broker (issue 15).

The API follows real topics; the tests publish predictions, alerts and readings to Kafka and
watch the page repaint. Screenshots and the publish-to-repaint times go to reports/web/.
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from playwright.sync_api import Browser, Page, expect

from converters.model_package import write_package
from converters.river_network import Basin
from floodcast.api import ApiServices, build_services, create_app
from floodcast.catchment.basins import get_basin, list_basins
from schemas import FloodPathPrediction, GaugeReading, ModelRef, OpsAlert
from schemas.settings import Settings
from tests.fixtures.model_package import manifest_fields
from tests.helpers.api_server import free_port
from tests.helpers.operator_page import chromium, path_prediction, serve

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RESULTS = Path(__file__).resolve().parents[3] / "reports" / "web"
REPAINT_BUDGET_S = 2.0
PUBLISHES = 20
STALE_AFTER_S = 4.0
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class OperatorApi:
    """The API under test: its URL, topics, services and keys."""

    url: str
    bootstrap: str
    predictions: str
    alerts: str
    readings: str
    services: ApiServices
    reader_key: str
    predict_key: str

    @property
    def model(self) -> ModelRef:
        identity = self.services.scorer.identity
        return ModelRef(name=identity.name, version=identity.version, sha256=identity.sha256)

    def basin(self, basin_id: str) -> Basin:
        return self.services.scorer.basins[basin_id]

    def publish(self, topic: str, *messages: FloodPathPrediction | OpsAlert | GaugeReading) -> None:
        producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 0})
        for message in messages:
            key = getattr(message, "basin_id", None) or getattr(message, "kind", "")
            producer.produce(topic, key=key.encode(), value=message.model_dump_json().encode())
        assert producer.flush(10) == 0


@pytest.fixture(scope="module")
def web_package(tmp_path_factory: pytest.TempPathFactory, onnx_model) -> Path:
    """A model package serving the three built-in basins."""
    folder = tmp_path_factory.mktemp("web") / "pkg"
    write_package(
        folder,
        onnx_bytes=onnx_model.SerializeToString(),
        basins=[get_basin(b) for b in list_basins()],
        manifest_fields=manifest_fields(),
        compression="gzip",
    )
    return folder


@pytest.fixture(scope="module")
def operator_api(
    tmp_path_factory: pytest.TempPathFactory,
    web_package: Path,
    kafka_bootstrap: str,
    kafka_admin: AdminClient,
) -> Iterator[OperatorApi]:
    """The API on a free port, following its own predictions, alerts and readings topics."""
    run = uuid.uuid4().hex[:8]
    names = [f"web-{run}-{n}" for n in ("predictions", "alerts", "readings")]
    futures = kafka_admin.create_topics([NewTopic(n, num_partitions=1) for n in names])
    for future in futures.values():
        future.result(30)
    settings = Settings(
        model_path=web_package,
        data_dir=tmp_path_factory.mktemp("web-data"),
        kafka_bootstrap=kafka_bootstrap,
        topic_predictions=names[0],
        topic_alerts=names[1],
        topic_readings=names[2],
        api_stale_after_seconds=STALE_AFTER_S,
        alert_gauge_offline_seconds=60.0,
        api_rate_per_second=1000.0,
        api_rate_burst=1000,
    )
    services = build_services(settings)
    reader, _ = services.keys.create("operator", ["paths:read"])
    predictor, _ = services.keys.create("scorer", ["predict"])
    try:
        with serve(create_app(services), free_port()) as url:
            assert services.follower is not None and services.follower.wait_caught_up(60)
            yield OperatorApi(url, kafka_bootstrap, *names, services, reader, predictor)
    finally:
        for future in kafka_admin.delete_topics(names).values():
            future.result(30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, api: OperatorApi, key: str | None = None) -> None:
    page.goto(api.url + "/")
    page.get_by_label("API key").fill(key or api.reader_key)
    page.get_by_role("button", name="Sign in").click()


def signed_in(page: Page, api: OperatorApi) -> Page:
    sign_in(page, api)
    expect(page.locator("#main")).to_be_visible()
    expect(page.locator("#connection")).to_have_text("live")
    return page


def flood_path(basin: Basin, n: int, *, top: float = 0.95) -> list[tuple[str, float, int, int]]:
    """The ``n`` reaches from the basin's deepest headwater down, likelier upstream."""
    depth = basin.depth()
    reaches = basin.path_to_outlet(int(depth.argmax()))[:n]
    return [
        (basin.reach_ids[i], round(top - 0.05 * k, 3), 20 + 25 * k, int(depth[i]))
        for k, i in enumerate(reaches)
    ]


def now() -> datetime:
    return datetime.now(UTC)


def renders(page: Page) -> int:
    return int(page.evaluate("window.floodcastRenders.length"))


def test_page_refuses_without_a_key_and_loads_with_one(page: Page, operator_api: OperatorApi):
    """No key shows only the sign-in form; a wrong key or one without paths:read is refused; a
    reader's key opens the page, and the key is never part of any address the page asks for."""
    addresses: list[str] = []
    page.on("request", lambda request: addresses.append(request.url))
    page.goto(operator_api.url + "/")
    expect(page.get_by_label("API key")).to_be_visible()
    expect(page.locator("#main")).to_be_hidden()
    assert page.evaluate("fetch('/v1/networks').then(r => r.status)") == 401
    assert page.evaluate("fetch('/v1/live').then(r => r.status)") == 401

    sign_in(page, operator_api, "fck_0000_wrong")
    expect(page.locator("#login-error")).to_contain_text("unknown, revoked or wrong")
    sign_in(page, operator_api, operator_api.predict_key)
    expect(page.locator("#login-error")).to_contain_text("lacks the paths:read scope")
    expect(page.locator("#main")).to_be_hidden()

    signed_in(page, operator_api)
    expect(page.get_by_role("tab")).to_have_count(len(list_basins()))
    assert page.evaluate("sessionStorage.getItem('floodcast.apiKey')") == operator_api.reader_key
    keys = (operator_api.reader_key, operator_api.predict_key, "fck_0000_wrong")
    assert addresses and not [a for a in addresses if any(k in a for k in keys)]
    assert "/v1/live" in " ".join(addresses)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("API key")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('floodcast.apiKey')") is None


def test_svg_draws_one_element_per_reach_and_gauge(page: Page, operator_api: OperatorApi):
    """Each basin's map has one line per reach of the package, one marker per gauge, an
    outlet, and line widths that grow with upstream area."""
    signed_in(page, operator_api)
    for basin_id in list_basins():
        basin = operator_api.basin(basin_id)
        svg = page.locator(f'svg[data-basin="{basin_id}"]')
        reaches = svg.locator(".reach")
        expect(reaches).to_have_count(basin.n_reaches)
        drawn = reaches.evaluate_all("ls => ls.map(l => l.dataset.reach)")
        assert drawn == list(basin.reach_ids)
        expect(svg.locator(".gauge")).to_have_count(basin.n_gauges)
        expect(svg.locator(".outlet")).to_have_count(1)
        widths = reaches.evaluate_all("ls => ls.map(l => +l.dataset.width)")
        outlet = int((basin.downstream == -1).nonzero()[0][0])
        assert widths[outlet] == max(widths)


def test_prediction_recolours_reaches_within_two_seconds(page: Page, operator_api: OperatorApi):
    """Each of 20 predictions published to Kafka repaints the right reaches and the path
    table within 2 s; the publish-to-repaint times are written to reports/web/."""
    signed_in(page, operator_api)
    basin_id = "midvale"
    page.get_by_role("tab", name=basin_id, exact=False).click()
    basin = operator_api.basin(basin_id)
    start = now().replace(microsecond=0) + timedelta(days=1)
    latencies = []
    for i in range(PUBLISHES):
        path = flood_path(basin, 2 + i % 6, top=0.9 + 0.005 * (i % 10))
        prediction = path_prediction(
            basin_id,
            path,
            watermark=start + timedelta(minutes=15 * i),
            issued_at=now(),
            model=operator_api.model,
        )
        seen = renders(page)
        published = time.time()
        operator_api.publish(operator_api.predictions, prediction)
        page.wait_for_function(
            "n => window.floodcastRenders.length > n", arg=seen, timeout=REPAINT_BUDGET_S * 1000
        )
        render = page.evaluate("window.floodcastRenders.at(-1)")
        assert render["basin"] == basin_id
        assert datetime.fromisoformat(render["watermark"]) == prediction.watermark
        latencies.append(render["at"] / 1000 - published)

        svg = page.locator(f'svg[data-basin="{basin_id}"]')
        painted = svg.locator(".reach[data-probability]").evaluate_all(
            "ls => ls.map(l => [l.dataset.reach, +l.dataset.probability, +l.dataset.order])"
        )
        expected = [[r, p, k + 1] for k, (r, p, _, _) in enumerate(path)]
        assert sorted(painted, key=lambda x: x[2]) == expected
        rows = page.locator("#path-table tbody tr")
        assert rows.evaluate_all("rs => rs.map(r => r.dataset.reach)") == [r for r, *_ in path]

    assert max(latencies) < REPAINT_BUDGET_S
    ordered = sorted(latencies)
    report = {
        "publishes": len(latencies),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "latencies_ms": [round(x * 1000, 1) for x in latencies],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "repaint.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\npublish-to-repaint over {len(latencies)} publishes: {report}")


def test_alert_shows_and_clears(page: Page, operator_api: OperatorApi):
    """A firing lag alert on ops-alerts shows a banner and the lag warning within 2 s; its
    resolution clears both."""
    signed_in(page, operator_api)
    since = now() - timedelta(minutes=2)
    firing = OpsAlert(
        kind="consumer_lag_messages",
        severity="critical",
        state="firing",
        value=25_000,
        threshold=1_000,
        since=since,
        at=now(),
        labels={"group": f"test-{uuid.uuid4().hex[:6]}"},
        summary="worker group is 25000 messages behind",
    )
    banner = page.locator('#banners .banner[data-kind="consumer_lag_messages"]')
    operator_api.publish(operator_api.alerts, firing)
    expect(banner).to_contain_text("25000 messages behind", timeout=REPAINT_BUDGET_S * 1000)
    expect(page.locator("#alert-list li")).to_contain_text(["25000 messages behind"])
    expect(page.locator("#banners .banner.lag")).to_be_visible(timeout=3_000)  # next status

    resolved = firing.model_copy(update={"state": "resolved", "value": 10.0, "at": now()})
    operator_api.publish(operator_api.alerts, resolved)
    expect(banner).to_have_count(0, timeout=REPAINT_BUDGET_S * 1000)
    expect(page.locator("#alert-list li")).to_have_count(0)
    expect(page.locator("#banners .banner.lag")).to_have_count(0, timeout=3_000)


def test_stale_basin_banner_clears_on_a_fresh_prediction(page: Page, operator_api: OperatorApi):
    """A basin without a prediction for longer than the staleness limit is named in a stale
    banner; a freshly issued prediction takes it off."""
    signed_in(page, operator_api)
    stale = page.locator('#banners .banner.stale[data-basins~="upland"]')
    old = now() - timedelta(seconds=10 * STALE_AFTER_S)
    operator_api.publish(
        operator_api.predictions,
        path_prediction(
            "upland",
            [],
            watermark=now() + timedelta(days=30),
            issued_at=old,
            model=operator_api.model,
        ),
    )
    expect(stale).to_have_count(1, timeout=6_000)
    operator_api.publish(
        operator_api.predictions,
        path_prediction(
            "upland",
            [],
            watermark=now() + timedelta(days=30, minutes=15),
            issued_at=now(),
            model=operator_api.model,
        ),
    )
    expect(stale).to_have_count(0, timeout=6_000)


def test_history_steps_back_by_keyboard(page: Page, operator_api: OperatorApi):
    """The last 24 h of a basin's paths can be stepped through with the keyboard, and Live
    returns to the newest."""
    signed_in(page, operator_api)
    basin_id = "upland"
    basin = operator_api.basin(basin_id)
    start = now().replace(microsecond=0) + timedelta(days=60)
    for i, n in enumerate((1, 3, 5)):
        operator_api.publish(
            operator_api.predictions,
            path_prediction(
                basin_id,
                flood_path(basin, n),
                watermark=start + timedelta(hours=i),
                issued_at=now(),
                model=operator_api.model,
            ),
        )
    page.get_by_role("tab", selected=True).focus()
    page.keyboard.press("End")  # tabs move with the arrow keys, Home and End
    expect(page.get_by_role("tab", selected=True)).to_contain_text(max(list_basins()))
    page.keyboard.press("Home")
    expect(page.get_by_role("tab", selected=True)).to_contain_text(min(list_basins()))
    while page.get_by_role("tab", selected=True).get_attribute("data-basin") != basin_id:
        page.keyboard.press("ArrowRight")
    rows = page.locator("#path-table tbody tr")
    expect(rows).to_have_count(5, timeout=REPAINT_BUDGET_S * 1000)

    page.locator("#history-prev").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(3)
    page.keyboard.press("Enter")
    expect(rows).to_have_count(1)
    expect(page.locator("#history-live")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(f'svg[data-basin="{basin_id}"] .reach[data-probability]')).to_have_count(1)
    page.locator("#history-live").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(5)
    expect(page.locator("#history-label")).to_contain_text("latest")


def test_gauge_ages_and_screenshots(browser: Browser, operator_api: OperatorApi):
    """Gauges that sent a reading show its age and the silent ones are flagged offline; the
    page is screenshotted at 1280x800 and on a phone-sized viewport."""
    basin_id = "lowland"
    basin = operator_api.basin(basin_id)
    reporting = basin.gauge_ids[: len(basin.gauge_ids) - 2]
    operator_api.publish(
        operator_api.readings,
        *(
            GaugeReading(
                gauge_id=g, basin_id=basin_id, sequence=1, observed_at=now(), rainfall_mm=4.2
            )
            for g in reporting
        ),
    )
    operator_api.publish(
        operator_api.predictions,
        path_prediction(
            basin_id,
            flood_path(basin, 9, top=0.97),
            watermark=now().replace(microsecond=0) + timedelta(days=90),
            issued_at=now(),
            model=operator_api.model,
        ),
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in (("1280x800", DESKTOP), ("phone-390x844", PHONE)):
        context = browser.new_context(viewport=viewport)
        try:
            page = signed_in(context.new_page(), operator_api)
            page.get_by_role("tab", name=basin_id, exact=False).click()
            table = page.locator("#gauge-table tbody tr")
            for g in reporting:
                expect(table.filter(has_text=g)).to_contain_text("reporting", timeout=4_000)
            for g in basin.gauge_ids[len(reporting) :]:
                expect(table.filter(has_text=g)).to_contain_text("OFFLINE")
                expect(page.locator(f'.gauge.offline[data-gauge="{g}"]')).to_have_count(1)
            expect(page.locator("#path-table tbody tr")).to_have_count(9)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"the page scrolls sideways at {name}"
            page.screenshot(path=str(RESULTS / f"operator-page-{name}.png"), full_page=True)
        finally:
            context.close()
