"""Benchmarks: each prints its numbers, a ratio against a baseline run alongside, and JSON."""
