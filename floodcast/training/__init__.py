"""floodcast.training."""
