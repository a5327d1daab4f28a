"""Consumer lag: offsets and ages read from the broker, and a Burrow-style group status."""

from monitoring.lag.group_status import GroupStatus
from monitoring.lag.lag_reader import LagReader
from monitoring.lag.lag_window import LagWindow
from monitoring.lag.partition_lag import GroupLag, PartitionLag

__all__ = ["GroupLag", "GroupStatus", "LagReader", "LagWindow", "PartitionLag"]
