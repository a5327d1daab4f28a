"""Run the gauge emulator: simulate, plan the messages, and publish them at the chosen pace."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from itertools import islice

from floodcast.catchment import Simulation
from floodcast.emulator.emulator_config import EmulatorConfig
from floodcast.emulator.emulator_report import EmulatorReport
from floodcast.emulator.flow_control import FlowControl
from floodcast.emulator.kafka_publisher import KafkaPublisher
from floodcast.emulator.message_planner import MessagePlanner, StepBatch, live_time_shift
from floodcast.emulator.progress import EmulatorProgress, ProgressCallback
from floodcast.emulator.publisher import KeyValue, Publisher
from floodcast.emulator.routed_publisher import RoutedPublisher
from floodcast.emulator.scenario import build_simulations


def run_emulator(
    config: EmulatorConfig,
    *,
    bootstrap: str,
    stop: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    simulations: Sequence[Simulation] | None = None,
    security: Mapping[str, str] | None = None,
    observations_security: Mapping[str, str] | None = None,
    flow: FlowControl | None = None,
) -> EmulatorReport:
    """Publish a simulated run's gauge readings (flood observations, rain forecasts) to Kafka.

    Steps go out in order; within a step, its river levels and rain forecasts, then each
    basin's readings in gauge order and the step's faults, then its flood observations.
    Delivery failures are counted in the report, not raised: call
    ``report.raise_for_failures()`` to turn them into an error.

    Args:
        config: what to simulate, how fast, what to break and where to send it.
        bootstrap: Kafka bootstrap servers.
        stop: when set, the run ends after the current step, flushes and reports.
        progress: called about every ``config.progress_interval_s`` seconds.
        simulations: play these back instead of simulating ``config``'s basins.
        security: librdkafka security properties
            (``floodcast.kafka_clients.security_config``); none for PLAINTEXT.
        observations_security: the properties flood observations are published with (their
            own principal); None = ``security``.
        flow: play chunk-wise, held back by the consumer's progress (``FlowControl``).

    Returns:
        What was sent and what a correct stream worker makes of it.

    Raises:
        EmulatorConfigError: for a configuration the simulations cannot satisfy.
        PublishError: when the broker is unreachable, a topic is missing, or the producer
            fails fatally or cannot flush.
    """
    sims = tuple(simulations) if simulations is not None else build_simulations(config)
    shift = timedelta(0)
    if config.time_anchor == "live":
        shift = live_time_shift(sims[0].start, sims[0].step_minutes, datetime.now(UTC))
    planner = MessagePlanner(sims, config, time_shift=shift)
    topics = {config.readings_topic: config.partitions}
    publisher = KafkaPublisher(bootstrap, config.producer, security)
    publishers = {config.readings_topic: publisher}
    if config.river_levels:  # co-partitioned with the readings: as many partitions
        topics[config.river_levels_topic] = config.partitions
        publishers[config.river_levels_topic] = publisher
    if config.observations:
        topics[config.observations_topic] = config.partitions
        publishers[config.observations_topic] = (
            publisher
            if observations_security is None
            else KafkaPublisher(bootstrap, config.producer, observations_security)
        )
    if config.forecasts:
        topics[config.forecasts_topic] = config.partitions
        publishers[config.forecasts_topic] = publisher
    try:
        for topic, partitions in topics.items():
            publishers[topic].ensure_topics(
                {topic: partitions},
                create=config.create_topics,
                replication_factor=config.replication_factor,
            )
        routes = {t: p for t, p in publishers.items() if p is not publisher}
        routed = RoutedPublisher(publisher, routes) if routes else publisher
        return publish_plan(planner, routed, stop=stop, progress=progress, flow=flow)
    finally:
        for used in {id(p): p for p in publishers.values()}.values():
            used.close()


def publish_plan(
    planner: MessagePlanner,
    publisher: Publisher,
    *,
    stop: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    flow: FlowControl | None = None,
) -> EmulatorReport:
    """Send a planner's steps through ``publisher`` at the configured pace, then flush.

    Args:
        planner: the run's messages (its config supplies pacing and topics).
        publisher: where the messages go.
        stop: when set, the run ends after the current step (chunk, with ``flow``).
        progress: called about every ``progress_interval_s`` seconds and at the end.
        flow: send ``flow.chunk_steps`` steps at a time, each chunk's river levels and
            forecasts before its readings, waiting on ``flow`` before each part.

    Returns:
        The run's report.

    Raises:
        PublishError: as raised by ``publisher``.
    """
    return _SendLoop(planner, publisher, stop, progress, flow).run()


class _SendLoop:
    """The send loop of one run, with its timing and progress state."""

    def __init__(
        self,
        planner: MessagePlanner,
        publisher: Publisher,
        stop: threading.Event | None,
        progress: ProgressCallback | None,
        flow: FlowControl | None = None,
    ) -> None:
        self.planner = planner
        self.flow = flow
        self.publisher = publisher
        self.config = planner.config
        self.pacer = planner.config.pacing.pacer(planner.step.total_seconds())
        self.stop = stop
        self.progress = progress
        self.began = 0.0
        self.next_progress = 0.0
        self.reported_steps = -1
        self.readings_sent = 0
        self.sent: Counter[str] = Counter()
        """Messages handed to the publisher so far, per topic."""
        self.first: datetime | None = None
        self.last: datetime | None = None

    def run(self) -> EmulatorReport:
        """Send every step (or until stopped), flush, and report."""
        self.began = time.monotonic()
        self.next_progress = self.began + self.config.progress_interval_s
        stopped = False
        batches = iter(self.planner)
        # Stop only between steps (chunks): a step the planner has produced is always sent in
        # full, so the tally stays exactly what went out.
        while True:
            if not self._wait(steps_sent=self.planner.tally.steps):
                stopped = True
                break
            if self.flow is None:
                batch = next(batches, None)
                if batch is None:
                    break
                self._send_step(batch)
                chunk = [batch]
            else:
                chunk = self._send_chunk(self.flow, batches)
                if not chunk:
                    break
            self.first = self.first or chunk[0].observed_at
            self.last = chunk[-1].observed_at
            self._report_progress(final=False)
        self.publisher.flush()
        self._report_progress(final=True)
        return EmulatorReport.from_tally(
            self.planner.tally,
            basins=tuple(e.basin_id for e in self.planner.emitters),
            steps_total=self.planner.n_steps,
            produced=self.publisher.produced,
            delivery_failures=self.publisher.failures,
            delivery_errors=tuple(self.publisher.delivery_errors),
            elapsed_s=time.monotonic() - self.began,
            stopped=stopped,
            first_observed_at=self.first,
            last_observed_at=self.last,
            producer_settings=self.publisher.settings,
            levels_tally=self.planner.levels_tally if self.planner.stage_emitters else None,
        )

    def _send(self, topic: str, messages: Sequence[KeyValue]) -> int:
        """Send ``messages`` to ``topic`` (none: nothing), counting them in ``sent``."""
        if not messages:
            return 0
        sent = self.publisher.send(topic, messages)
        self.sent[topic] += sent
        return sent

    def _send_sides(self, batch: StepBatch) -> None:
        """A step's river levels and rain forecasts: the worker closes a slot once its rain
        and its basin's stage readings have reached it, and a forecast joins the slot of its
        issue only if read before that slot closes, so both go before the step's rain."""
        self._send(self.config.river_levels_topic, batch.levels)
        self._send(self.config.forecasts_topic, batch.forecasts)

    def _send_step(self, batch: StepBatch) -> None:
        """Send one step, its readings in chunks paced by the pacer (no more pacing once
        stopped)."""
        self._send_sides(batch)
        readings = batch.readings
        chunk = self.pacer.chunk_size or len(readings) or 1
        pacing = True
        for begin in range(0, len(readings), chunk):
            if pacing and begin:
                pacing = self._wait(steps_sent=batch.step)
            part = readings[begin : begin + chunk]
            self.readings_sent += self._send(self.config.readings_topic, part)
        self._send(self.config.observations_topic, batch.observations)

    def _send_chunk(self, flow: FlowControl, batches: Iterator[StepBatch]) -> list[StepBatch]:
        """Send the next ``flow.chunk_steps`` steps: every step's river levels and forecasts,
        then every step's readings and observations, each part once ``flow`` allows it."""
        chunk = list(islice(batches, flow.chunk_steps))
        if not chunk:
            return chunk
        flow.before_chunk(self.sent)
        for batch in chunk:
            self._send_sides(batch)
        self.publisher.flush()
        flow.before_rain(self.sent)
        for batch in chunk:
            self.readings_sent += self._send(self.config.readings_topic, batch.readings)
            self._send(self.config.observations_topic, batch.observations)
        self.publisher.flush()
        return chunk

    def _wait(self, *, steps_sent: int) -> bool:
        """Wait as long as the pacer asks; False when ``stop`` is set."""
        delay = self.pacer.wait_seconds(
            elapsed_s=time.monotonic() - self.began,
            readings_sent=self.readings_sent,
            steps_sent=steps_sent,
        )
        if delay > 0:
            return self.publisher.wait(delay, self.stop)
        return not (self.stop is not None and self.stop.is_set())

    def _report_progress(self, *, final: bool) -> None:
        now = time.monotonic()
        if self.progress is None or self.last is None:
            return
        steps = self.planner.tally.steps
        if (now < self.next_progress and not final) or steps == self.reported_steps:
            return
        self.next_progress = now + self.config.progress_interval_s
        self.reported_steps = steps
        self.progress(
            EmulatorProgress(
                steps_sent=steps,
                steps_total=self.planner.n_steps,
                readings_sent=self.readings_sent,
                elapsed_s=now - self.began,
                observed_at=self.last,
            )
        )
