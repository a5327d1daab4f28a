"""Fault injection: broken payloads, duplicates, late readings and offline gauges."""

from floodcast.emulator.faults.fault_config import FaultConfig, OfflineGauge
from floodcast.emulator.faults.fault_plan import FaultPlan, StepGauge
from floodcast.emulator.faults.payload_corruptor import MalformedKind, PayloadCorruptor

__all__ = [
    "FaultConfig",
    "FaultPlan",
    "MalformedKind",
    "OfflineGauge",
    "PayloadCorruptor",
    "StepGauge",
]
