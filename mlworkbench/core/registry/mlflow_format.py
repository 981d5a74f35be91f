"""The files of an MLflow model directory, in the form MLflow 3 writes them for a scikit-learn
model saved with skops: ``MLmodel``, the environment files, the README (``export_mlflow.py``
puts them together).

YAML is written by a small emitter (scalars as JSON, which YAML reads): PyYAML is not one of
mlworkbench's dependencies.
"""

from __future__ import annotations

import json
import platform
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from mlworkbench.core.registry.signature import Signature

MLMODEL = "MLmodel"
MODEL_FILE = "model.skops"
#: The distributions the exported model needs, pinned to the installed versions.
PINNED = ("mlworkbench", "numpy", "pandas", "scikit-learn", "scipy", "skops", "skrub")
#: Our logical types as MLflow column types. An integer column with nulls is a double: pandas
#: holds integers with missing values as floats, which MLflow's "long" refuses (its advice).
_MLFLOW_TYPES = {"integer": "long", "float": "double", "boolean": "boolean",
                 "string": "string", "datetime": "datetime", "date": "datetime"}


@dataclass(frozen=True)
class ExportedVersion:
    """What the export reads of a version's row (read in one short session)."""

    name: str
    version: int
    path: Path
    sha256: str
    signature: Signature
    task: str | None
    target: str | None
    classes: list[Any] | None
    run_id: int | None
    card: str


def mlflow_signature(signature: Signature, task: str | None,
                     classes: list[Any] | None) -> dict[str, Any]:
    """MLflow's ``signature`` entry of ``MLmodel``: the input columns (all required: the
    pipelines read every one) and the one prediction column.

    >>> from mlworkbench.core.registry.signature import SignatureColumn
    >>> sig = Signature([SignatureColumn("age", "integer", False),
    ...                  SignatureColumn("visits", "integer", True),
    ...                  SignatureColumn("plan", "string")])
    >>> entry = mlflow_signature(sig, "binary", ["no", "yes"])
    >>> [(c["name"], c["type"]) for c in json.loads(entry["inputs"])]
    [('age', 'long'), ('visits', 'double'), ('plan', 'string')]
    >>> entry["outputs"]
    '[{"type": "string", "required": true}]'
    """
    inputs = [{"type": _mlflow_type(c.type, c.nullable), "name": c.name, "required": True}
              for c in signature.columns]
    outputs = [{"type": _output_type(task, classes), "required": True}]
    return {"inputs": json.dumps(inputs), "outputs": json.dumps(outputs), "params": None}


def _mlflow_type(logical: str, nullable: bool) -> str:
    if logical == "integer" and nullable:
        return "double"
    return _MLFLOW_TYPES.get(logical, "string")


def _output_type(task: str | None, classes: list[Any] | None) -> str:
    if task == "regression" or not classes:
        return "double"
    if all(isinstance(c, bool) for c in classes):
        return "boolean"
    if all(isinstance(c, int) and not isinstance(c, bool) for c in classes):
        return "long"
    if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in classes):
        return "double"
    return "string"


def installed_versions() -> dict[str, str | None]:
    """Installed versions of what the model needs (None: not installed), and of MLflow."""
    out: dict[str, str | None] = {}
    for name in (*PINNED, "mlflow", "mlflow-skinny", "pip", "setuptools"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    if out["mlworkbench"] is None:  # a source tree on sys.path
        from mlworkbench._version import __version__

        out["mlworkbench"] = __version__
    return out


def _mlflow_requirement(versions: dict[str, str | None]) -> str:
    return f"mlflow=={versions['mlflow']}" if versions["mlflow"] else "mlflow>=3"


def requirements_txt(versions: dict[str, str | None]) -> str:
    """``requirements.txt``: MLflow and the pinned distributions."""
    pins = [f"{name}=={versions[name]}" for name in PINNED if versions[name]]
    return "\n".join([_mlflow_requirement(versions), *pins]) + "\n"


def python_env() -> dict[str, Any]:
    """``python_env.yaml``: this Python, pip and setuptools, then ``requirements.txt``."""
    build = [f"{name}=={metadata.version(name)}" for name in ("pip", "setuptools")
             if _has(name)]
    return {"python": platform.python_version(), "build_dependencies": [*build, "wheel"],
            "dependencies": ["-r requirements.txt"]}


def conda_env(versions: dict[str, str | None]) -> dict[str, Any]:
    """``conda.yaml``: this Python and the same pins through pip."""
    pins = [_mlflow_requirement(versions)]
    pins += [f"{name}=={versions[name]}" for name in PINNED if versions[name]]
    return {"channels": ["conda-forge"],
            "dependencies": [f"python={platform.python_version()}", "pip",
                             {"pip": pins}],
            "name": "mlflow-env"}


def _has(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def mlmodel(found: ExportedVersion, trusted: list[str], versions: dict[str, str | None],
             size: int, has_example: bool) -> dict[str, Any]:
    """The ``MLmodel`` document, in the order and form MLflow 3 writes it."""
    mlflow_version = versions["mlflow"] or versions["mlflow-skinny"]
    doc: dict[str, Any] = {
        "flavors": {
            "python_function": {
                "env": {"conda": "conda.yaml", "virtualenv": "python_env.yaml"},
                "loader_module": "mlflow.sklearn",
                "model_path": MODEL_FILE,
                "predict_fn": "predict",
                "python_version": platform.python_version(),
            },
            "sklearn": {
                "code": None,
                "pickled_model": MODEL_FILE,
                "serialization_format": "skops",
                "sklearn_version": versions["scikit-learn"],
                "skops_trusted_types": trusted,
            },
        },
        "is_signature_from_type_hint": False,
        "metadata": {"mlworkbench": {
            "model": found.name, "version": found.version, "sha256": found.sha256,
            "run_id": found.run_id, "task": found.task, "target": found.target,
            "classes": found.classes, "mlworkbench_version": versions["mlworkbench"]}},
    }
    if mlflow_version:
        doc["mlflow_version"] = mlflow_version
    doc.update({"model_id": None, "model_size_bytes": size, "model_uuid": uuid.uuid4().hex,
                "prompts": None})
    if has_example:
        doc["saved_input_example_info"] = {
            "artifact_path": "input_example.json", "pandas_orient": "split",
            "serving_input_path": "serving_input_example.json", "type": "dataframe"}
    doc["signature"] = mlflow_signature(found.signature, found.task, found.classes)
    doc["type_hint_from_example"] = False
    doc["utc_time_created"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return doc


def readme(found: ExportedVersion, versions: dict[str, str | None]) -> str:
    """``README.md``: the model card, then how to load and serve the export with MLflow."""
    columns = ", ".join(f"`{c.name}`" for c in found.signature.columns)
    return f"""{found.card.rstrip()}

---

## Using this export with MLflow

Exported by mlworkbench {versions['mlworkbench']} from model `{found.name}` version
{found.version} (sha256 `{found.sha256}`).

- **mlworkbench must be importable** where the model is loaded: the pipeline holds
  mlworkbench's own functions and classes (`pip install mlworkbench=={versions['mlworkbench']}`
  beside the versions in `requirements.txt`).
- MLflow 3 loads no model, skops included, unless `MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true`.
  The skops file loads only the types listed under `skops_trusted_types` in `MLmodel`.
- Input columns (all required): {columns}.

```bash
MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true mlflow models serve -m . --env-manager local
```

```python
import mlflow.pyfunc
model = mlflow.pyfunc.load_model("path/to/this/folder")
model.predict(frame)  # a pandas DataFrame with the columns above
```
"""


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block-style YAML of dicts, lists and scalars; scalars are JSON, which YAML reads.

    >>> print(to_yaml({"a": {"b": [1, "x"], "c": None}, "d": []}), end="")
    a:
      b:
      - 1
      - "x"
      c: null
    d: []
    """
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(item, indent + (2 if isinstance(item, dict) else 0))
                             .rstrip("\n"))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                nested = to_yaml(item, indent + 2).rstrip("\n")
                lines.append(f"{pad}- {nested.lstrip()}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    else:
        lines.append(f"{pad}{_scalar(value)}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return json.dumps(value)
