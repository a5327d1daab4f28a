"""Gauge emulator: plays simulated rain-gauge readings into Kafka, with injected faults.

Typical use::

    from floodcast.emulator import EmulatorConfig, FaultConfig, Pacing, run_emulator

    config = EmulatorConfig(
        basins=("upland",),
        storm="convective",
        hours=24,
        pacing=Pacing.speedup(60),
        faults=FaultConfig.parse("duplicates=0.01,malformed=0.005"),
    )
    report = run_emulator(config, bootstrap="127.0.0.1:9092")
    print(report.summary())
"""

from floodcast.emulator.battery import battery_voltages
from floodcast.emulator.emulator import publish_plan, run_emulator
from floodcast.emulator.emulator_config import EmulatorConfig, StormChoice, TimeAnchor
from floodcast.emulator.emulator_report import EmulatorReport
from floodcast.emulator.exceptions import (
    BrokerUnavailableError,
    DeliveryError,
    DeliveryFailedError,
    EmulatorConfigError,
    EmulatorError,
    FatalProducerError,
    FaultSpecError,
    FlushTimeoutError,
    IncompatibleSimulationsError,
    MissingTopicError,
    ProduceError,
    ProducerConfigError,
    PublishError,
    ReadingTemplateError,
    TopicCreationError,
    UnknownOfflineGaugeError,
    UnrepresentableSimulationError,
)
from floodcast.emulator.faults import FaultConfig, FaultPlan, MalformedKind, OfflineGauge
from floodcast.emulator.kafka_publisher import KafkaPublisher
from floodcast.emulator.message_planner import MessagePlanner, StepBatch, live_time_shift
from floodcast.emulator.pacing import Pacing, PacingMode
from floodcast.emulator.producer_tuning import ProducerTuning
from floodcast.emulator.progress import EmulatorProgress, ProgressCallback
from floodcast.emulator.publisher import Publisher
from floodcast.emulator.reading_encoder import ReadingEncoder, format_observed_at
from floodcast.emulator.scenario import build_simulations

__all__ = [
    "BrokerUnavailableError",
    "DeliveryError",
    "DeliveryFailedError",
    "EmulatorConfig",
    "EmulatorConfigError",
    "EmulatorError",
    "EmulatorProgress",
    "EmulatorReport",
    "FatalProducerError",
    "FaultConfig",
    "FaultPlan",
    "FaultSpecError",
    "FlushTimeoutError",
    "IncompatibleSimulationsError",
    "KafkaPublisher",
    "MalformedKind",
    "MessagePlanner",
    "MissingTopicError",
    "OfflineGauge",
    "Pacing",
    "PacingMode",
    "ProduceError",
    "ProducerConfigError",
    "ProducerTuning",
    "ProgressCallback",
    "Publisher",
    "PublishError",
    "ReadingEncoder",
    "ReadingTemplateError",
    "StepBatch",
    "StormChoice",
    "TimeAnchor",
    "TopicCreationError",
    "UnknownOfflineGaugeError",
    "UnrepresentableSimulationError",
    "battery_voltages",
    "build_simulations",
    "format_observed_at",
    "live_time_shift",
    "publish_plan",
    "run_emulator",
]
