"""The operator page: river networks as drawable maps, a live event hub and its feeds."""

from floodcast.api.web.live_hub import LiveHub, Subscription
from floodcast.api.web.network_map import BasinMap, GaugeMarker, ReachSegment, basin_map

__all__ = ["BasinMap", "GaugeMarker", "LiveHub", "ReachSegment", "Subscription", "basin_map"]
