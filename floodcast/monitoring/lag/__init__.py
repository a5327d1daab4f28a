"""Consumer lag: offsets and ages read from the broker, and a Burrow-style group status."""

from floodcast.monitoring.lag.lag_reader import LagReader
from floodcast.monitoring.lag.lag_window import LagWindow
from floodcast.monitoring.lag.partition_lag import GroupLag, GroupStatus, PartitionLag

__all__ = ["GroupLag", "GroupStatus", "LagReader", "LagWindow", "PartitionLag"]
