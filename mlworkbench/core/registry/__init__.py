"""The model registry (``ws.registry``): published model versions with their input signature,
lineage, metrics and model card; aliases moved through gates; loading a version to predict.

Importing it imports neither scikit-learn nor skops (they load with the first model).
"""

from mlworkbench.core.registry.gates import GateFailedError, GateResult
from mlworkbench.core.registry.loading import LoadedModel, ModelRef, ModelTamperedError, parse_ref
from mlworkbench.core.registry.registry import Registry
from mlworkbench.core.registry.signature import (
    CheckedFrame,
    Signature,
    SignatureColumn,
    SignatureError,
    check_frame,
    infer_signature,
)

__all__ = [
    "CheckedFrame",
    "GateFailedError",
    "GateResult",
    "LoadedModel",
    "ModelRef",
    "ModelTamperedError",
    "Registry",
    "Signature",
    "SignatureColumn",
    "SignatureError",
    "check_frame",
    "infer_signature",
    "parse_ref",
]
