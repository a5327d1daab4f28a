"""floodcast.api.prediction."""
