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

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "battery": ["battery_voltages"],
        "emulator": ["publish_plan", "run_emulator"],
        "emulator_config": ["EmulatorConfig", "StormChoice", "TimeAnchor"],
        "emulator_report": ["EmulatorReport"],
        "river_levels_report": ["RiverLevelsReport"],
        "exceptions": [
            "BrokerUnavailableError",
            "DeliveryError",
            "DeliveryFailedError",
            "EmulatorConfigError",
            "EmulatorError",
            "FatalProducerError",
            "FaultSpecError",
            "FlushTimeoutError",
            "IncompatibleSimulationsError",
            "MissingTopicError",
            "ProduceError",
            "ProducerConfigError",
            "PublishError",
            "ReadingTemplateError",
            "TopicCreationError",
            "UnknownOfflineGaugeError",
            "UnrepresentableSimulationError",
        ],
        "faults": ["FaultConfig", "FaultPlan", "MalformedKind", "OfflineGauge"],
        "flow_control": ["FlowControl"],
        "forecast_emitter": ["ForecastEmitter"],
        "kafka_publisher": ["KafkaPublisher"],
        "message_planner": ["MessagePlanner", "StepBatch", "live_time_shift"],
        "pacing": ["Pacing", "PacingMode"],
        "producer_tuning": ["ProducerTuning"],
        "progress": ["EmulatorProgress", "ProgressCallback"],
        "publisher": ["Publisher"],
        "reading_encoder": ["ReadingEncoder", "format_observed_at"],
        "scenario": ["build_simulations"],
    },
)
