"""Reference run: the worker's batch processor fed straight from aiokafka ``getmany``, no faust.

Same readings, same ``BatchProcessor`` and model, same outputs produced (predictions, dead
letters, basin states and counts as changelog-like records) with aiokafka, but no faust stream,
table or per-message task machinery. The gap between this and the worker is what faust's
per-event path costs; it is a measurement aid, not a second worker.
"""

from __future__ import annotations

import asyncio
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from converters.model_package import load_package
from schemas.settings import Settings
from stream_app.blas_threads import single_threaded_blas
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer


def direct_run(
    settings: Settings, bootstrap: str, topic: str, readings: int, *, partitions: int
) -> dict[str, float]:
    """Process ``readings`` readings of ``topic`` (from its start) in this process.

    Timed from the consumer's start to the last output acknowledged.

    Returns:
        ``readings_per_s``, ``seconds``, ``cpu_us_per_reading`` (this process) and
        ``outputs`` (messages produced).
    """
    out = f"{topic}-direct-out"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(out, partitions, 1)])[out].result(timeout=30)
    scorer = FloodPathScorer(load_package(settings.model_path))
    processor = BatchProcessor(scorer, ProcessorConfig.from_settings(settings))
    single_threaded_blas()  # as the worker does
    cpu_began = time.process_time()
    began = time.perf_counter()
    outputs = asyncio.run(
        _consume(processor, settings, bootstrap, topic, out, readings, partitions)
    )
    seconds = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    return {
        "readings_per_s": round(readings / seconds, 1),
        "seconds": round(seconds, 3),
        "cpu_us_per_reading": round(cpu / readings * 1e6, 1),
        "outputs": outputs,
    }


async def _consume(
    processor: BatchProcessor,
    settings: Settings,
    bootstrap: str,
    topic: str,
    out: str,
    readings: int,
    partitions: int,
) -> int:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await consumer.start()
    await producer.start()
    try:
        assigned = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        states: dict[str, bytes] = {}
        counts: dict[str, bytes] = {}
        seen = sent = 0
        while seen < readings:
            fetched = await consumer.getmany(timeout_ms=1000, max_records=settings.batch_size)
            records = [
                SourceRecord(m.topic, m.partition, m.offset, m.key, m.value)
                for messages in fetched.values()
                for m in messages
            ]
            if not records:
                continue
            seen += len(records)
            result = processor.process(records, states.get, counts.get)
            outgoing = [
                (record.key, letter.model_dump_json().encode())
                for record, letter in result.dead_letters
            ]
            outgoing += [
                (p.basin_id.encode(), p.model_dump_json().encode()) for p in result.predictions
            ]
            for basin_id, (_, state) in result.basin_states.items():
                states[basin_id] = state
                outgoing.append((basin_id.encode(), state))
            for partition, (_, tally) in result.partition_counts.items():
                counts[str(partition)] = value = tally.to_bytes()
                outgoing.append((str(partition).encode(), value))
            for key, value in outgoing:
                await producer.send(out, value=value, key=key)  # queues; delivery is async
            sent += len(outgoing)
        await producer.flush()
        return sent
    finally:
        await consumer.stop()
        await producer.stop()
