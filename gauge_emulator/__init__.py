"""Gauge emulator: plays simulated rain-gauge readings into Kafka, with injected faults.

Typical use::

    from gauge_emulator import EmulatorConfig, FaultConfig, Pacing, run_emulator

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

from gauge_emulator.battery import battery_voltages
from gauge_emulator.emulator import publish_plan, run_emulator
from gauge_emulator.emulator_config import EmulatorConfig, StormChoice, TimeAnchor
from gauge_emulator.emulator_report import EmulatorReport
from gauge_emulator.exceptions import (
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
from gauge_emulator.faults import FaultConfig, FaultPlan, MalformedKind, OfflineGauge
from gauge_emulator.kafka_publisher import KafkaPublisher
from gauge_emulator.message_planner import MessagePlanner, StepBatch, live_time_shift
from gauge_emulator.pacing import Pacing, PacingMode
from gauge_emulator.producer_tuning import ProducerTuning
from gauge_emulator.progress import EmulatorProgress, ProgressCallback
from gauge_emulator.publisher import Publisher
from gauge_emulator.reading_encoder import ReadingEncoder, format_observed_at
from gauge_emulator.scenario import build_simulations

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
