"""Helpers that start real services for tests and benchmarks (not imported at run time)."""
