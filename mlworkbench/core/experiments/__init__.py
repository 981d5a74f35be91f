"""The experiment store: training runs with their parameters, metrics, data lineage and fitted
pipelines (``ws.experiments``; see ``experiments.py``).

Nothing here imports scikit-learn or skops until an artifact is written or read.
"""

from mlworkbench.core.experiments.artifacts import ArtifactAlteredError, UntrustedTypesError
from mlworkbench.core.experiments.experiments import Experiments
from mlworkbench.core.experiments.records import (
    ExperimentRecord,
    RunArtifact,
    RunComparison,
    RunInput,
    RunRecord,
)
from mlworkbench.core.experiments.run import Run

__all__ = [
    "ArtifactAlteredError",
    "ExperimentRecord",
    "Experiments",
    "Run",
    "RunArtifact",
    "RunComparison",
    "RunInput",
    "RunRecord",
    "UntrustedTypesError",
]
