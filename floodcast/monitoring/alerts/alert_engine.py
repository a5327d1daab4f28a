"""Turn samples into alert transitions: pending, firing (once), resolved (once)."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from floodcast.monitoring.alerts.alert_rule import AlertRule, Sample
from floodcast.monitoring.channels.alert_channel import AlertChannel
from floodcast.monitoring.channels.kafka_channel import record_transitions
from floodcast.monitoring.exceptions import AlertRuleError, MonitoringError
from floodcast.monitoring.signals.topic_tail import TopicTail
from schemas import OpsAlert
from schemas._base import clip

__all__ = ["AlertEngine", "read_open_alerts"]


def read_open_alerts(
    bootstrap_servers: str,
    topic: str,
    budget: float = 3.0,
    *,
    security: Mapping[str, str] | None = None,
) -> list[OpsAlert]:
    """The alerts whose latest transition on ``topic`` is ``firing``, oldest first.

    Args:
        bootstrap_servers: Kafka bootstrap servers.
        topic: the alerts topic.
        budget: seconds to spend reading it.
        security: librdkafka security properties (SASL/TLS) for the consumer.

    Raises:
        TopicTailError: the broker refused a request.
    """
    tail = TopicTail(bootstrap_servers, topic, security=security)
    latest: dict[bytes, OpsAlert] = {}
    try:
        record_transitions(tail.poll(budget, max_messages=1_000_000), latest)
    finally:
        tail.close()
    return sorted((a for a in latest.values() if a.state == "firing"), key=lambda a: a.since)


logger = logging.getLogger(__name__)

_Key = tuple[str, tuple[tuple[str, str], ...]]


@dataclass
class _Track:
    """What the engine remembers about one alert (a kind and its labels)."""

    labels: Mapping[str, str]
    rule: AlertRule
    value: float = 0.0
    breach_since: float | None = None
    """Start of the current uninterrupted breach."""
    clear_since: float | None = None
    """Start of the current uninterrupted return under the threshold, while firing."""
    firing_since: float | None = None
    """Start of the breach that made the alert fire (``OpsAlert.since``), while firing."""


class AlertEngine:
    """Evaluates samples against rules and sends each alert transition to every channel.

    An alert fires when its value stays past the threshold for the rule's ``for_seconds``,
    and resolves when it stays back for ``clear_seconds``; in between nothing is repeated.
    An alert with no sample in a round counts as back under its threshold (its source went
    quiet: no lag reported, no readings to rate).

    Args:
        rules: one rule per alert kind (several when their ``match`` labels differ; a sample
            goes to the most specific rule that matches it).
        channels: where transitions go (a channel failing does not stop the others).
        clock: wall clock in epoch seconds.

    Raises:
        AlertRuleError: two rules share a kind and ``match``.
    """

    def __init__(
        self,
        rules: Sequence[AlertRule],
        channels: Sequence[AlertChannel] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.rules = list(rules)
        keys = {(rule.kind, tuple(sorted(rule.match.items()))) for rule in rules}
        if len(keys) != len(self.rules):
            raise AlertRuleError("two alert rules share a kind and match")
        self.channels = list(channels)
        self.clock = clock
        self._tracks: dict[_Key, _Track] = {}

    def evaluate(self, samples: Iterable[Sample], now: float | None = None) -> list[OpsAlert]:
        """Take one round of samples and emit the transitions they cause.

        Args:
            samples: the current values; samples of kinds without a rule are ignored.
            now: evaluation time (epoch seconds); the clock's when omitted.

        Returns:
            The alerts fired or resolved in this round, as sent to the channels.
        """
        at = self.clock() if now is None else now
        seen: set[_Key] = set()
        emitted: list[OpsAlert] = []
        for sample in samples:
            rule = self._rule_for(sample)
            if rule is None or not math.isfinite(sample.value):
                continue  # no alert can carry a NaN or infinite value
            track = self._tracks.setdefault(sample.key, _Track(dict(sample.labels), rule))
            seen.add(sample.key)
            track.value = sample.value
            emitted += self._step(rule, track, rule.breached(sample.value), at)
        for key, track in list(self._tracks.items()):
            if key not in seen:
                emitted += self._step(track.rule, track, False, at)
                if track.firing_since is None and track.breach_since is None:
                    del self._tracks[key]
        for alert in emitted:
            self._send(alert)
        return emitted

    def firing(self) -> list[tuple[str, Mapping[str, str], float, float]]:
        """Alerts firing now: ``(kind, labels, value, since)``."""
        return [
            (key[0], track.labels, track.value, track.firing_since)
            for key, track in sorted(self._tracks.items())
            if track.firing_since is not None
        ]

    def close(self) -> None:
        """Close every channel."""
        for channel in self.channels:
            channel.close()

    def _rule_for(self, sample: Sample) -> AlertRule | None:
        matching = [r for r in self.rules if r.kind == sample.kind and r.matches(sample.labels)]
        return max(matching, key=lambda rule: len(rule.match), default=None)

    def _step(self, rule: AlertRule, track: _Track, breached: bool, at: float) -> list[OpsAlert]:
        if breached:
            track.clear_since = None
            if track.breach_since is None:
                track.breach_since = at
            if track.firing_since is None and at - track.breach_since >= rule.for_seconds:
                track.firing_since = track.breach_since
                return [self._alert(rule, track, "firing", track.breach_since, at)]
            return []
        track.breach_since = None
        if track.firing_since is None:
            return []
        if track.clear_since is None:
            track.clear_since = at
        if at - track.clear_since >= rule.clear_seconds:
            since = track.firing_since
            track.firing_since = track.clear_since = None
            return [self._alert(rule, track, "resolved", since, at)]
        return []

    @staticmethod
    def _alert(rule: AlertRule, track: _Track, state: str, since: float, at: float) -> OpsAlert:
        where = ", ".join(f"{k}={v}" for k, v in sorted(track.labels.items()))
        relation = {"above": "over", "below": "under"}[rule.direction]
        if state == "resolved":
            relation = "back from" if rule.direction == "above" else "back over"
        summary = (
            f"{rule.kind} {track.value:.6g}{rule.unit} {relation} {rule.threshold:.6g}{rule.unit}"
            + (f" ({where})" if where else "")
        )
        return OpsAlert(
            kind=rule.kind,
            severity=rule.severity,
            state=state,  # type: ignore[arg-type]
            value=track.value,
            threshold=rule.threshold,
            since=datetime.fromtimestamp(since, UTC),
            at=datetime.fromtimestamp(at, UTC),
            labels=dict(track.labels),
            summary=clip(summary),
        )

    def _send(self, alert: OpsAlert) -> None:
        for channel in self.channels:
            try:
                channel.send(alert)
            except MonitoringError:
                # one broken channel (e.g. Kafka down) must not silence the others
                logger.exception(
                    "alert_channel_failed",
                    extra={"fields": {"channel": type(channel).__name__, "kind": alert.kind}},
                )
