"""Wire the operator page's live hub to the API's predictions follower and its own feeds."""

from __future__ import annotations

import time
from collections.abc import Mapping

from floodcast.api.web.live_hub import LiveHub
from floodcast.api.web.topic_feed import TopicFeed
from floodcast.monitoring.signals.topic_tail import TopicTail
from schemas.settings import Settings
from stream_app.kafka import security_config

__all__ = ["READINGS_LOOKBACK_FACTOR", "live_feeds", "live_hub"]

READINGS_LOOKBACK_FACTOR = 3.0
"""Readings this many offline thresholds old are read at start, so silent gauges are known."""


def live_hub(settings: Settings, gauges: Mapping[str, str]) -> LiveHub:
    """The hub, with staleness at ``api_stale_after_seconds`` (else the publish cadence),
    following the gauges ``{gauge_id: basin_id}`` of the model package."""
    stale = settings.api_stale_after_seconds or settings.publish_cadence_minutes * 60.0
    return LiveHub(
        stale_after_seconds=stale,
        offline_after_seconds=settings.alert_gauge_offline_seconds,
        gauges=gauges,
    )


def live_feeds(settings: Settings, hub: LiveHub) -> tuple[TopicFeed, TopicFeed]:
    """Followers of ``ops-alerts`` (from its start) and of the readings (recent ones only).

    Both read by assignment, in no consumer group: the API's principal needs only read access
    to the two topics.
    """
    bootstrap, security = settings.bootstrap_servers, security_config(settings)
    lookback = READINGS_LOOKBACK_FACTOR * settings.alert_gauge_offline_seconds
    alerts = TopicFeed(
        "alerts",
        lambda: TopicTail(bootstrap, settings.topic_alerts, security=security),
        hub.add_alert_messages,
        on_state=hub.set_feed_failure,
    )
    readings = TopicFeed(
        "gauge readings",
        lambda: TopicTail(
            bootstrap, settings.topic_readings, since=time.time() - lookback, security=security
        ),
        hub.add_reading_messages,
        on_state=hub.set_feed_failure,
    )
    return alerts, readings
