"""Fault injection: broken payloads, duplicates, late readings and offline gauges."""

from gauge_emulator.faults.fault_config import FaultConfig
from gauge_emulator.faults.fault_plan import FaultPlan, StepGauge
from gauge_emulator.faults.malformed_kind import MalformedKind
from gauge_emulator.faults.offline_gauge import OfflineGauge
from gauge_emulator.faults.payload_corruptor import PayloadCorruptor

__all__ = [
    "FaultConfig",
    "FaultPlan",
    "MalformedKind",
    "OfflineGauge",
    "PayloadCorruptor",
    "StepGauge",
]
