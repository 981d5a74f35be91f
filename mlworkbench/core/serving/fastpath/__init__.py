"""The compiled row fast path of published pipelines (see ``compile.py``)."""

from mlworkbench.core.serving.fastpath.compile import CompiledPipeline, compile_pipeline

__all__ = ["CompiledPipeline", "compile_pipeline"]
