"""The Faust application: topics, changelog-backed tables, the readings agent, a web page."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import faust
from faust.types import TP, EventT, Message

from converters.releases import ReleaseWatch
from schemas.settings import Settings
from stream_app.accounting.accounting_reader import PARTITION_COUNTS_TABLE
from stream_app.accounting.partition_counts import PartitionCounts, side_counts_from_bytes
from stream_app.adaptive_batches import adaptive_batches
from stream_app.batch_runner import BatchRunner, event_context
from stream_app.changelog_topics import BASIN_STATE_TABLE, changelog_topic
from stream_app.gap_reader import GapReader
from stream_app.json_logging import log_event
from stream_app.kafka import client_config, faust_credentials
from stream_app.model_watcher import ModelObserver, ModelWatcher
from stream_app.processing import BatchProcessor, BatchResult, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = [
    "BASIN_STATE_TABLE",
    "BatchObserver",
    "PARTITION_COUNTS_TABLE",
    "accounting_totals",
    "broker_url",
    "changelog_topic",
    "create_app",
    "event_context",
    "worker_data_dir",
]


logger = logging.getLogger("stream_app")

BatchObserver = Callable[[Sequence[EventT], BatchResult, float], None]
"""``on_batch(events, result, seconds)`` after a micro-batch was processed and queued."""

_ACCOUNTING_LOG_SECONDS = 30.0
_HELD_RETRY_SECONDS = 2.0
"""How often readings held back on an unread offset gap are tried again (``BatchRunner``)."""


def broker_url(bootstrap_servers: str) -> str:
    """Faust's broker URL for a Kafka ``host:port[,host:port...]`` list."""
    return ";".join(f"kafka://{server.strip()}" for server in bootstrap_servers.split(","))


def worker_data_dir(settings: Settings) -> Path:
    """Faust's data folder for ``settings.app_id``, under ``settings.data_dir``."""
    return settings.data_dir / "faust" / settings.app_id


def create_app(
    settings: Settings,
    scorer: FloodPathScorer,
    on_batch: BatchObserver | None = None,
    on_model: ModelObserver | None = None,
) -> faust.App:
    """Build the worker's Faust app.

    At-least-once processing: exactly-once has open rebalance bugs in faust-streaming. Each
    source partition's counts and basin states are one changelog record, written after the
    batch's messages were delivered (``BatchRunner``); replays after a restart are recognised
    by the offset it holds, so neither state nor counts take a message in twice.

    Args:
        settings: topics, partitions, batching and limits.
        scorer: the loaded model.
        on_batch: called after each micro-batch (metrics).
        on_model: called after the model was swapped for a newly promoted one (metrics).

    Returns:
        The app, ready for a ``faust.Worker``.
    """
    app = faust.App(
        settings.app_id,
        broker=broker_url(settings.bootstrap_servers),
        broker_credentials=faust_credentials(settings),
        store="memory://",  # tables are rebuilt from their changelog topics at start
        topic_partitions=settings.readings_partitions,
        topic_replication_factor=settings.replication_factor,
        processing_guarantee="at_least_once",
        producer_acks=-1,
        # a dead letter carries the original message in base64
        producer_max_request_size=settings.dead_letter_max_bytes,
        # a backlog's batch publishes hundreds of ~1 KB predictions per partition: at faust's
        # default (16 KB) each further 16 KB waited for the partition's last request's acks
        producer_max_batch_size=settings.producer_batch_bytes,
        consumer_auto_offset_reset="earliest",
        # a killed worker's partitions move once the group gives up on it (issue 12)
        broker_session_timeout=settings.consumer_session_timeout_seconds,
        broker_heartbeat_interval=min(3.0, settings.consumer_session_timeout_seconds / 3),
        web_enabled=settings.worker_web_enabled,
        web_port=settings.worker_web_port,
        # issue 13: loopback unless configured, and faust's pages (table contents, cluster
        # topology, sensor statistics) only on demand; /accounting is the worker's own
        web_bind=settings.worker_web_host,
        web_host=settings.worker_web_host,
        web_tables_enabled=settings.worker_web_faust_pages,
        web_router_enabled=settings.worker_web_faust_pages,
        web_graph_enabled=settings.worker_web_faust_pages,
        web_stats_enabled=settings.worker_web_faust_pages,
        autodiscover=False,
        # Faust's own folder (default: <app id>-data in the working directory)
        datadir=str(worker_data_dir(settings)),
    )
    raw = {
        "key_type": bytes,
        "value_type": bytes,
        "key_serializer": "raw",
        "value_serializer": "raw",
    }
    # internal: the app creates its topics (Faust declares internal topics it subscribes to;
    # the agent declares the ones it only writes to)
    partitions = {
        "partitions": settings.readings_partitions,
        "replicas": settings.replication_factor,
        "internal": True,
    }
    # One agent reads the rain readings, the river levels and the rain forecasts (all
    # co-partitioned): a basin's rain, stage and forecasts land in the same partition's state,
    # and each record's topic says which it is.
    readings = app.topic(
        settings.topic_readings,
        settings.topic_river_levels,
        settings.topic_rain_forecasts,
        **raw,
        **partitions,
    )
    predictions = app.topic(settings.topic_predictions, **raw, **partitions)
    dead_letters = app.topic(
        settings.topic_dead_letters,
        **raw,
        **partitions,
        config={"max.message.bytes": str(settings.dead_letter_max_bytes)},
    )
    alerts = app.topic(settings.topic_alerts, **raw, **partitions)
    # bytes keys and values: Faust then uses the raw codec, and the processor owns both
    basin_states = app.Table(BASIN_STATE_TABLE, key_type=bytes, value_type=bytes)
    partition_counts = app.Table(PARTITION_COUNTS_TABLE, key_type=bytes, value_type=bytes)
    watcher = ModelWatcher(
        BatchProcessor(scorer, ProcessorConfig.from_settings(settings)),
        _release_watch(settings, scorer),
        on_model,
    )

    runner = BatchRunner(
        predictions,
        dead_letters,
        partition_counts,
        basin_states,
        GapReader(client_config(settings)),
        lambda records: _ack_read_back(app, records),
        _SideBacklog(app, settings, partition_counts),
    )

    @app.agent(readings, name="floodcast.readings")
    async def process_readings(stream: faust.StreamT) -> None:
        for topic in (predictions, dead_letters, alerts):
            await topic.maybe_declare()
        if not settings.worker_web_faust_pages and app.monitor in set(app.sensors):
            # faust's Monitor sensor keeps per-event statistics only its web pages show; its
            # callbacks cost some 8 us per message (issue 14). The worker's metrics are its own.
            app.sensors.remove(app.monitor)
        async for events in _batches(stream, settings):
            began = time.perf_counter()
            # one model per batch: swaps land between batches
            result = await runner.run(watcher.processor, _records(events), _newest_by_key(events))
            if on_batch is not None:
                on_batch(events, result, time.perf_counter() - began)
            log_event(
                logger,
                "batch_processed",
                logging.DEBUG,
                records=len(events),
                replayed=result.replayed,
                held=result.held,
                dead_letters=len(result.dead_letters),
                predictions=len(result.predictions),
                slots_finalised=result.slots_finalised,
            )

    @app.timer(interval=_HELD_RETRY_SECONDS)
    async def retry_held() -> None:
        await runner.retry_held(watcher.processor)

    @app.on_partitions_revoked.connect
    async def forget_held(app: faust.App, revoked: set, **kwargs: object) -> None:
        runner.forget({(tp.topic, tp.partition) for tp in revoked if tp.topic in readings.topics})

    if watcher.watch is not None:

        @app.timer(interval=settings.model_watch_seconds)
        async def watch_model() -> None:
            await watcher.check()

    _add_accounting_views(app, partition_counts)
    _add_rebalance_logging(app)
    return app


def _batches(stream: faust.StreamT, settings: Settings) -> AsyncIterator[Sequence[EventT]]:
    """The agent's micro-batches: adaptive (end when nothing more is buffered) or windowed."""
    if settings.batch_adaptive:
        return adaptive_batches(stream, settings.batch_size, settings.batch_window_seconds)
    return stream.take_events(settings.batch_size, within=settings.batch_window_seconds)


def _release_watch(settings: Settings, scorer: FloodPathScorer) -> ReleaseWatch | None:
    """Follow the active-release pointer when one is configured."""
    if settings.model_active_pointer is None:
        return None
    return ReleaseWatch(
        settings.model_active_pointer, settings.model_signing_key, scorer.identity.sha256
    )


class _SideBacklog:
    """Partitions of a batch whose river levels hold messages the worker has yet to read.

    The consumer's high watermark of the river-levels partition (unknown before its first
    fetch: a backlog) against the last offset counted, or in the batch. The high watermark is
    only as fresh as the consumer's last fetch of that partition: river levels published after
    it are not known to be waiting.
    """

    def __init__(self, app: faust.App, settings: Settings, checkpoints: faust.Table) -> None:
        self.app = app
        self.topic = settings.topic_river_levels
        self.checkpoints = checkpoints

    def __call__(self, records: Sequence[SourceRecord]) -> set[int]:
        topic = self.topic
        read: dict[int, int] = {}
        for record in records:
            if record.topic == topic:
                read[record.partition] = max(read.get(record.partition, -1), record.offset)
        backlog = set()
        for partition in {record.partition for record in records}:
            stored = self.checkpoints.get(str(partition).encode())
            counted = side_counts_from_bytes(stored).get(topic) if stored else None
            last = max(read.get(partition, -1), counted.offset if counted is not None else -1)
            try:
                highwater = self.app.consumer.highwater(TP(topic, partition))
            except Exception as exc:  # not assigned here (a rebalance): nothing to wait for
                log_event(logger, "side_backlog_unknown", logging.DEBUG, error=repr(exc)[:200])
                continue
            if highwater is None or highwater > last + 1:
                backlog.add(partition)
        return backlog


def _ack_read_back(app: faust.App, records: Sequence[SourceRecord]) -> None:
    """Acknowledge records the gap reader read, so the group's commits move past them."""
    for record in records:
        app.consumer.ack(
            Message(
                record.topic,
                record.partition,
                record.offset,
                timestamp=0.0,
                timestamp_type=0,
                headers=None,
                key=record.key,
                value=record.value,
                checksum=None,
            )
        )


def _records(events: Sequence[EventT]) -> list[SourceRecord]:
    records = []
    for event in events:
        message = event.message
        records.append(
            SourceRecord(
                topic=message.topic,
                partition=message.partition,
                offset=message.offset,
                key=message.key,
                value=message.value,
                context=event,
            )
        )
    return records


def _newest_by_key(events: Sequence[EventT]) -> dict[bytes | None, float]:
    """Kafka timestamp (epoch s) of each key's newest message in a batch."""
    newest: dict[bytes | None, float] = {}
    for event in events:
        message = event.message
        newest[message.key] = max(newest.get(message.key, 0.0), message.timestamp)
    return newest


def accounting_totals(partition_counts: faust.Table) -> dict[str, object]:
    """Per-partition counts and totals held by this worker's table: the readings topic's, and
    under ``topics`` each side-input topic's (river levels)."""
    stored = {int(key): value for key, value in partition_counts.items()}
    parts = {p: PartitionCounts.from_bytes(value) for p, value in stored.items()}
    side: dict[str, dict[int, PartitionCounts]] = {}
    for p, value in stored.items():
        for topic, counts in side_counts_from_bytes(value).items():
            side.setdefault(topic, {})[p] = counts
    return {
        "partitions": {str(p): parts[p].as_dict() for p in sorted(parts)},
        "totals": PartitionCounts.summed(parts.values()).as_dict(),
        "topics": {
            topic: {
                "partitions": {str(p): by[p].as_dict() for p in sorted(by)},
                "totals": PartitionCounts.summed(by.values()).as_dict(),
            }
            for topic, by in sorted(side.items())
        },
    }


def _add_accounting_views(app: faust.App, partition_counts: faust.Table) -> None:
    """``GET /accounting/`` and a periodic ``accounting`` log line."""

    @app.page("/accounting/")
    async def accounting_page(web: faust.web.Web, request: faust.web.Request) -> faust.web.Response:
        return web.json(accounting_totals(partition_counts))

    @app.timer(interval=_ACCOUNTING_LOG_SECONDS)
    async def log_accounting() -> None:
        log_event(logger, "accounting", **accounting_totals(partition_counts))


def _add_rebalance_logging(app: faust.App) -> None:
    @app.on_partitions_assigned.connect
    async def on_assigned(app: faust.App, assigned: set, **kwargs: object) -> None:
        log_event(
            logger,
            "partitions_assigned",
            partitions=sorted(f"{t}:{p}" for t, p in assigned),
            pid=os.getpid(),  # tells apart the processes of ``floodcast worker --processes``
        )

    @app.on_partitions_revoked.connect
    async def on_revoked(app: faust.App, revoked: set, **kwargs: object) -> None:
        log_event(logger, "partitions_revoked", partitions=sorted(f"{t}:{p}" for t, p in revoked))
