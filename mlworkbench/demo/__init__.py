"""Demo data for a first run: ``python -m mlworkbench.demo <folder>``."""

from mlworkbench.demo.seed import demo_files, seed

__all__ = ["demo_files", "seed"]
