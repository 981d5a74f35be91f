"""Benchmarks: ``python bench/run.py [--quick]`` (``make bench``). They report, never assert."""
