"""publish_plan with flow control (issue 11): chunk-wise, side inputs before the rain, no loss."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from floodcast.catchment import Simulation
from floodcast.emulator import EmulatorConfig, FaultConfig, FlowControl, publish_plan
from floodcast.emulator.message_planner import MessagePlanner, StepBatch
from tests.unit.gauge_emulator.test_send_loop import RecordingPublisher

FAULTS = "late=0.05,too_late=0.02,duplicates=0.02,malformed=0.01"
CONFIG = {
    "river_levels": True,
    "forecasts": True,
    "observations": True,
    "faults": FaultConfig.parse(FAULTS),
    "seed": 5,
}


@dataclass
class RecordingFlow(FlowControl):
    """Notes each hook call: which hook, the counts it was given, and how much had gone out."""

    publisher: RecordingPublisher
    chunk_steps: int = 7
    calls: list[tuple[str, dict[str, int], int]] = field(default_factory=list)

    def before_chunk(self, sent: Mapping[str, int]) -> None:
        self.calls.append(("chunk", dict(sent), len(self.publisher.sent)))

    def before_rain(self, sent: Mapping[str, int]) -> None:
        self.calls.append(("rain", dict(sent), len(self.publisher.sent)))


def _by_topic(messages: list[tuple[str, bytes, bytes]]) -> dict[str, list[tuple[bytes, bytes]]]:
    topics: dict[str, list[tuple[bytes, bytes]]] = {}
    for topic, key, value in messages:
        topics.setdefault(topic, []).append((key, value))
    return topics


def _planned(batches: list[StepBatch], config: EmulatorConfig) -> dict[str, list[tuple]]:
    """Every planned message per topic, in the planner's order."""
    return {
        config.river_levels_topic: [m for b in batches for m in b.levels],
        config.forecasts_topic: [m for b in batches for m in b.forecasts],
        config.readings_topic: [m for b in batches for m in b.readings],
        config.observations_topic: [m for b in batches for m in b.observations],
    }


@pytest.fixture(scope="module")
def played(upland_run: Simulation) -> tuple[list[StepBatch], RecordingPublisher, RecordingFlow]:
    """The upland run (192 steps, with faults) planned, and played with flow control."""
    config = EmulatorConfig(**CONFIG)
    batches = list(MessagePlanner([upland_run], config))
    publisher = RecordingPublisher()
    flow = RecordingFlow(publisher)
    report = publish_plan(MessagePlanner([upland_run], config), publisher, flow=flow)
    assert report.steps_sent == upland_run.n_steps
    return batches, publisher, flow


def test_every_planned_message_goes_out_once_in_topic_order(
    played: tuple[list[StepBatch], RecordingPublisher, RecordingFlow],
) -> None:
    """Chunked, each topic gets exactly the planner's messages in the planner's order: nothing
    is dropped, thinned, repeated or reordered within a topic."""
    batches, publisher, _ = played
    config = EmulatorConfig(**CONFIG)
    sent = _by_topic([(t, k, v) for t, k, v, _ in publisher.sent])
    planned = _planned(batches, config)
    assert all(planned.values())  # the run has every kind of message
    assert sent == planned


def test_a_chunks_side_inputs_go_before_its_rain(
    played: tuple[list[StepBatch], RecordingPublisher, RecordingFlow],
) -> None:
    """Each chunk sends all its steps' river levels and forecasts, the flow is asked, and only
    then its steps' readings and observations; the flow is told the counts sent so far."""
    batches, publisher, flow = played
    config = EmulatorConfig(**CONFIG)
    steps = len(batches)
    chunks = -(-steps // flow.chunk_steps)
    assert [name for name, _, _ in flow.calls] == ["chunk", "rain"] * chunks
    marks = [at for _, _, at in flow.calls] + [len(publisher.sent)]
    side_topics = {config.river_levels_topic, config.forecasts_topic}
    for c in range(chunks):
        part = batches[c * flow.chunk_steps : (c + 1) * flow.chunk_steps]
        sides = publisher.sent[marks[2 * c] : marks[2 * c + 1]]
        rain = publisher.sent[marks[2 * c + 1] : marks[2 * c + 2]]
        assert {t for t, *_ in sides} <= side_topics
        assert not {t for t, *_ in rain} & side_topics
        expected = _planned(part, config)
        assert _by_topic([(t, k, v) for t, k, v, _ in sides]) == {
            t: m for t, m in expected.items() if t in side_topics and m
        }
        assert _by_topic([(t, k, v) for t, k, v, _ in rain]) == {
            t: m for t, m in expected.items() if t not in side_topics and m
        }
        _, at_rain, _ = flow.calls[2 * c + 1]
        done = _planned(batches[: (c + 1) * flow.chunk_steps], config)
        for topic in side_topics:
            assert at_rain.get(topic, 0) == len(done[topic])
        assert at_rain.get(config.readings_topic, 0) == len(
            _planned(batches[: c * flow.chunk_steps], config)[config.readings_topic]
        )
