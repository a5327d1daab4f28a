"""Summarise py-spy's folded stacks of the worker: top functions and where each sample's time went.

A folded line is ``frame;frame;...;leaf count`` with frames like ``func (path/file.py:line)``.
Each sample is put in one bucket: the deepest frame with a specific bucket (our code, faust's
stream and table machinery, the Kafka clients) decides; library frames that serve many callers
(asyncio, pydantic, json, aiokafka's connection) only decide when nothing more specific is
under them. So pydantic under ``decode_reading`` is decoding, under ``_Outputs.publish`` it is
serialising predictions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")

PRODUCE = "producing (faust buffer + aiokafka producer)"
FETCH = "consumer: fetch, offsets (aiokafka, faust consumer thread)"
STREAM = "faust stream machinery (per event)"
TABLES = "table writes (faust Table + changelog)"
FINALISE = "slot finalise + feature step"
ACCEPT = "slot update (accept reading)"
DECODE = "decode + validate (pydantic)"
SCORING = "scoring (ONNX Runtime + flood path)"
PREDICTIONS = "predictions: build + serialise"
PROCESSOR = "batch processor (other)"

# (file substring, function prefix or "", bucket); first match wins, so specific rules go first.
_SPECIFIC: tuple[tuple[str, str, str | None], ...] = (
    ("schemas/decode.py", "", DECODE),
    ("schemas/gauge_reading.py", "", DECODE),
    ("stream_app/state/dedupe_window.py", "", "dedupe window"),
    ("stream_app/state/basin_state.py", "BasinState.accept", ACCEPT),
    ("stream_app/state/slot_spread.py", "", ACCEPT),
    ("stream_app/state/pending_slot.py", "", ACCEPT),
    ("stream_app/state/basin_state.py", "BasinState.finalise", FINALISE),
    ("stream_app/state/basin_state.py", "BasinState._", FINALISE),
    ("features/", "", FINALISE),
    ("stream_app/state/basin_state_codec.py", "", "basin state encode/decode"),
    ("stream_app/scoring/", "", SCORING),
    ("onnxruntime/", "", SCORING),
    ("stream_app/processing/prediction_builder.py", "", PREDICTIONS),
    ("stream_app/app.py", "_Outputs.publish", PREDICTIONS),
    ("stream_app/processing/", "", PROCESSOR),
    ("stream_app/state/", "", PROCESSOR),
    ("stream_app/accounting/", "", TABLES),
    ("stream_app/event_context.py", "", TABLES),
    ("faust/tables/", "", TABLES),
    ("mode/utils/collections.py", "", TABLES),
    ("stream_app/json_logging.py", "", "logging"),
    ("stream_app/worker.py", "", None),
    ("stream_app/__main__.py", "", None),
    ("logging/", "", "logging"),
    ("stream_app/", "", "agent glue (app.py)"),
    ("faust/transport/producer.py", "", PRODUCE),
    ("faust/topics.py", "", PRODUCE),
    ("faust/transport/drivers/aiokafka.py", "Producer", PRODUCE),
    ("aiokafka/producer/", "", PRODUCE),
    ("faust/sensors/", "", "faust sensors (monitor)"),
    ("faust/transport/consumer.py", "Fetcher", FETCH),
    ("faust/transport/consumer.py", "", FETCH),
    ("faust/transport/drivers/aiokafka.py", "", FETCH),
    ("aiokafka/consumer/", "", FETCH),
    ("mode/threads.py", "", FETCH),
    ("faust/streams.py", "", STREAM),
    ("faust/channels.py", "", STREAM),
    ("faust/transport/conductor.py", "", STREAM),
    ("faust/agents/", "", STREAM),
    ("faust/events.py", "", STREAM),
    ("mode/utils/queues.py", "", STREAM),
    ("mode/utils/futures.py", "", STREAM),
)
# Frames that serve many callers: they decide only when no specific frame lies under them.
_WEAK: tuple[tuple[str, str], ...] = (
    ("aiokafka/", "aiokafka network I/O + protocol"),
    ("pydantic", "pydantic (other)"),
    ("json/", "json (other)"),
    ("asyncio/", "event loop (asyncio, epoll)"),
    ("selectors.py", "event loop (asyncio, epoll)"),
    ("faust/", "faust (other)"),
    ("mode/", "faust (other)"),
)
OTHER = "other"


@dataclass(frozen=True)
class Frame:
    func: str
    file: str

    @property
    def label(self) -> str:
        return f"{self.func} ({self.file})"


def parse_frame(text: str) -> Frame:
    """``func (path:line)`` -> Frame with paths shortened to their package (site-packages cut)."""
    match = _FRAME.match(text)
    if match is None:
        return Frame(text, "")
    path = match["file"].split("site-packages/")[-1]
    return Frame(match["func"], path)


def _specific(frame: Frame) -> str | None:
    for part, func, bucket in _SPECIFIC:
        if part in frame.file and frame.func.startswith(func):
            return bucket  # None: a root frame that says nothing about the work
    return None


def bucket_of(frames: list[Frame]) -> str:
    """The bucket of one sample (its stack, root first)."""
    for frame in reversed(frames):
        bucket = _specific(frame)
        if bucket is not None:
            return bucket
    for frame in reversed(frames):
        for part, bucket in _WEAK:
            if part in frame.file:
                return bucket
    return OTHER


MAIN_THREAD = "MainThread"


@dataclass(frozen=True)
class ProfileSummary:
    """Where the sampled time went.

    py-spy samples every thread, waiting or not. The worker's work happens on its main thread
    (the event loop running faust, the agent and the batch processor); faust's consumer runs
    in a thread of its own, and the monitoring has its threads. A main-thread sample whose
    leaf is the event loop's ``epoll`` wait is waiting for I/O; the others are *busy* (running,
    or ready to run on a busy machine) and are what the buckets and top functions share out.
    """

    samples_per_thread: dict[int, int]
    """Native thread id -> samples (every thread is sampled at the same rate)."""
    thread_names: dict[int, str]
    main_busy_samples: int
    main_busy_share: float
    """Share of the main thread's samples that were not waiting in ``epoll``."""
    buckets: dict[str, float]
    """Bucket -> share of busy main-thread samples, largest first."""
    top_self: list[tuple[str, float]]
    """Functions by own time (leaf frame), share of busy main-thread samples."""
    top_inclusive: list[tuple[str, float]]
    """Functions by time including callees, share of busy main-thread samples."""

    def as_dict(self, top: int = 10) -> dict[str, object]:
        def rows(pairs: list[tuple[str, float]]) -> list[dict[str, object]]:
            return [{"function": f, "pct": round(s * 100, 1)} for f, s in pairs[:top]]

        return {
            "main_thread_busy_samples": self.main_busy_samples,
            "main_thread_busy_pct": round(self.main_busy_share * 100, 1),
            "buckets_pct_of_main_busy": {k: round(v * 100, 1) for k, v in self.buckets.items()},
            "top_self_pct_of_main_busy": rows(self.top_self),
            "top_inclusive_pct_of_main_busy": rows(self.top_inclusive),
        }


_UNINTERESTING_INCLUSIVE = (
    "<frozen runpy>",
    "asyncio/",
    "threading.py",
    "stream_app/__main__.py",
    "stream_app/worker.py",
    "mode/worker.py",
    "mode/threads.py",
    "mode/services.py",
)
_THREAD = re.compile(r"^thread \((?P<tid>\d+)\): ?(?P<name>.*)$")


def _is_waiting(leaf: Frame) -> bool:
    return leaf.func.endswith("Selector.select")


def summarise(folded: Path, top: int = 25) -> ProfileSummary:
    """Read py-spy ``record --format raw --threads --idle`` output and summarise it.

    Raises:
        ValueError: the file holds no busy main-thread sample.
    """
    buckets: Counter[str] = Counter()
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    per_thread: Counter[int] = Counter()
    names: dict[int, str] = {}
    main_total = 0
    for line in folded.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        thread = _THREAD.match(stack.split(";", 1)[0])
        if thread is None or not count_text.isdigit():
            continue
        count = int(count_text)
        tid = int(thread["tid"])
        names[tid] = thread["name"]
        per_thread[tid] += count
        frames = [parse_frame(text) for text in stack.split(";")[1:]]
        if thread["name"] != MAIN_THREAD or not frames:
            continue
        main_total += count
        if _is_waiting(frames[-1]):
            continue
        buckets[bucket_of(frames)] += count
        own[frames[-1].label] += count
        for label in {f.label for f in frames if not f.file.startswith(_UNINTERESTING_INCLUSIVE)}:
            inclusive[label] += count
    busy = sum(buckets.values())
    if not busy:
        raise ValueError(f"no busy main-thread samples in {folded}")
    return ProfileSummary(
        samples_per_thread=dict(per_thread),
        thread_names=names,
        main_busy_samples=busy,
        main_busy_share=busy / main_total,
        buckets={k: n / busy for k, n in buckets.most_common()},
        top_self=[(k, n / busy) for k, n in own.most_common(top)],
        top_inclusive=[(k, n / busy) for k, n in inclusive.most_common(top)],
    )


def fold_by_function(folded: Path, out: Path) -> Path:
    """Write ``folded`` with line numbers dropped, merging stacks that then coincide.

    Function-level stacks keep every flame graph view and are several times smaller.
    """
    merged: Counter[str] = Counter()
    for line in folded.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        texts = stack.split(";")
        frames = [texts[0] if _THREAD.match(texts[0]) else parse_frame(texts[0]).label]
        frames += [parse_frame(text).label for text in texts[1:]]
        merged[";".join(frames)] += int(count_text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"{stack} {count}\n" for stack, count in merged.most_common()))
    return out
