"""Export a published version as an MLflow model directory:
``ws.registry.export_mlflow("churn@production", "mlflow-models/churn")``.

The directory is what ``mlflow.sklearn.save_model(pipeline, dir, serialization_format="skops",
skops_trusted_types=[...])`` writes in MLflow 3, so MLflow's tooling loads and serves it
(``mlflow.pyfunc.load_model``, ``mlflow.sklearn.load_model``, ``mlflow models serve``):

- ``MLmodel``: the ``python_function`` flavour (loader ``mlflow.sklearn``) and the ``sklearn``
  flavour in its skops form, whose ``skops_trusted_types`` are the types skops lists for the
  file, every one on the registry's trusted list (``experiments/artifacts.py``); else nothing is
  written. The signature is MLflow's column spec of ours (see :func:`mlflow_signature`).
- ``model.skops``: the published file, copied with its sha256 checked as it is copied (a file
  changed on disk is refused, as loading refuses it).
- ``requirements.txt``, ``python_env.yaml``, ``conda.yaml``: the installed scikit-learn, skops,
  NumPy, SciPy, pandas, skrub and mlworkbench versions. The pipelines hold mlworkbench's own
  functions and classes, so mlworkbench must be importable where the model is loaded.
- ``input_example.json`` and ``serving_input_example.json`` only when the caller passes real
  rows (nothing is invented); ``README.md``: the model card and how to serve it.

MLflow 3 refuses to deserialise any model, skops included, unless
``MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true``: the README and ``mlflow_uri_hint`` say so.

Crash safety: the directory is built in a hidden temp folder beside the target, every file and
the folder fsynced, then renamed to the target; a previous export being replaced is swapped
out in one atomic exchange and removed after. A crash leaves no half-written directory at the target (at
most a hidden temp folder, removed by a later export to the same target).

The files' contents (``MLmodel``, environment files, README, signature) are in
``mlflow_format.py``.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shlex
import shutil
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import BadRequestError, ConflictError, NotFoundError
from mlworkbench.core.experiments.artifacts import UntrustedTypesError, trusted_by_default
from mlworkbench.core.registry.loading import ModelTamperedError, parse_ref
from mlworkbench.core.registry.lookup import resolve
from mlworkbench.core.registry.mlflow_format import (
    MLMODEL,
    MODEL_FILE,
    ExportedVersion,
    conda_env,
    installed_versions,
    mlmodel,
    python_env,
    readme,
    requirements_txt,
    to_yaml,
)
from mlworkbench.core.registry.signature import Signature, check_frame
from mlworkbench.core.workspace.tables import _fsync
from mlworkbench.schemas.registry import ExportedModel

if TYPE_CHECKING:
    from mlworkbench.core.workspace.workspace import Workspace

DEFAULT_FOLDER = "mlflow-models"
TEMP_INFIX = ".mlflow-export-"
#: A temp folder of an export older than this was left by a crash (younger: being written).
STALE_SECONDS = 60.0
#: Rows of an input example kept (MLflow keeps a few as documentation).
EXAMPLE_ROWS = 5


def export_mlflow(ws: Workspace, ref: str, path: str | os.PathLike | None = None, *,
                  overwrite: bool = False, within_root: bool = False,
                  input_example: Any = None) -> ExportedModel:
    """Write the version ``ref`` names as an MLflow model directory at ``path``.

    Args:
        ws: The workspace.
        ref: ``name``, ``name@alias`` or ``name@<version>``.
        path: The directory; relative paths are under the Jupyter root (default
            ``mlflow-models/<name>-v<version>``).
        overwrite: Replace a previous export (a directory holding an ``MLmodel``).
        within_root: Refuse a path outside the Jupyter root (REST sets it).
        input_example: Real rows (a DataFrame) to keep as MLflow's input example; checked
            against the signature. None: no example is written.

    Returns:
        The directory and its files.

    Raises:
        NotFoundError: No such model, alias or version; the published file is gone.
        BadRequestError: The path is outside the Jupyter root (with ``within_root``), or is
            the root, the workspace or inside it (400).
        ConflictError: The directory exists and is not empty (409; pass overwrite), or with
            overwrite, it is not a previous MLflow export.
        ModelTamperedError: The published file changed on disk (409: hash mismatch).
        UntrustedTypesError: The file holds types not on the trusted list.
        SignatureError: ``input_example`` does not fit the signature.
    """
    found = _read_version(ws, ref)
    target = _target(ws, found, path, within_root)
    _check_free(target, overwrite)
    example = None
    if input_example is not None:
        checked = check_frame(found.signature, input_example,
                              model=f"model '{found.name}' version {found.version}")
        example = checked.frame.head(EXAMPLE_ROWS)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep(target)
    temp = target.parent / f".{target.name}{TEMP_INFIX}{uuid.uuid4().hex[:12]}"
    temp.mkdir()
    try:
        files = _build(temp, found, example)
        _place(temp, target, overwrite)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return ExportedModel(name=found.name, version=found.version,
                         path=_shown(ws, target), files=files, sha256=found.sha256,
                         mlflow_uri_hint=serve_command(target))


def serve_command(target: Path) -> str:
    """The shell command that serves an export with MLflow, in the current environment
    (``--env-manager local``: the pinned environment would need mlworkbench from an index)."""
    return (f"MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true mlflow models serve -m "
            f"{shlex.quote(str(target))} --env-manager local")


# --- finding the version and the target -----------------------------------------------------

def _read_version(ws: Workspace, ref: str) -> ExportedVersion:
    with ws.store.read() as session:
        model, row = resolve(session, parse_ref(ref))
        return ExportedVersion(
            name=model.name, version=row.version, path=ws.path / row.path, sha256=row.sha256,
            signature=Signature.from_dict(json.loads(row.signature)), task=row.task,
            target=row.target,
            classes=None if row.classes is None else json.loads(row.classes),
            run_id=row.run_id, card=row.card)


def _target(ws: Workspace, found: ExportedVersion, path: str | os.PathLike | None,
            within_root: bool) -> Path:
    root = Path(ws.root_dir).resolve()
    if path is None or not str(path).strip():
        path = Path(DEFAULT_FOLDER) / f"{found.name}-v{found.version}"
    given = Path(path).expanduser()
    target = (given if given.is_absolute() else root / given).resolve()
    if within_root and not target.is_relative_to(root):
        raise BadRequestError("path", f"The export path '{path}' is outside the Jupyter root "
                                      f"({root}); give a folder under it, like "
                                      f"'{DEFAULT_FOLDER}/{found.name}-v{found.version}'.",
                              path=str(path))
    workspace = Path(ws.path).resolve()
    if target == root or root.is_relative_to(target) or target.is_relative_to(workspace) \
            or workspace.is_relative_to(target):
        raise BadRequestError("path", f"The export path '{path}' is the Jupyter root, the "
                                      "workspace or holds one of them; give a new folder, like "
                                      f"'{DEFAULT_FOLDER}/{found.name}-v{found.version}'.",
                              path=str(path))
    return target


def _check_free(target: Path, overwrite: bool) -> None:
    """Refuse a target that is a file, or a non-empty directory unless ``overwrite`` and it is
    a previous export (so overwrite never deletes a folder of other things)."""
    if not target.exists():
        return
    if not target.is_dir():
        raise ConflictError(f"'{target}' is a file; choose a new folder for the export.",
                            path=str(target))
    if not any(target.iterdir()):
        return
    if not overwrite:
        raise ConflictError(f"The folder '{target}' exists and is not empty; choose a new "
                            "folder, or pass overwrite to replace a previous export.",
                            path=str(target))
    if not (target / MLMODEL).is_file():
        raise ConflictError(f"The folder '{target}' is not an MLflow model directory (it has "
                            "no MLmodel file), so overwrite does not replace it; choose a new "
                            "folder.", path=str(target))


def _shown(ws: Workspace, target: Path) -> str:
    root = Path(ws.root_dir).resolve()
    return target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)


def _sweep(target: Path) -> None:
    """Remove temp folders that crashed exports to ``target`` left; put back a previous export
    a crash left aside (where the atomic exchange is not available) when the target is gone."""
    cutoff = time.time() - STALE_SECONDS
    for left in sorted(target.parent.glob(f".{target.name}{TEMP_INFIX}*")):
        try:
            if left.name.startswith(f".{target.name}{TEMP_INFIX}old-") and not target.exists():
                os.replace(left, target)
            elif left.stat().st_mtime < cutoff:
                shutil.rmtree(left, ignore_errors=True)
        except FileNotFoundError:
            pass


def _place(temp: Path, target: Path, overwrite: bool) -> None:
    """Put the built folder at ``target``. A previous export is swapped out atomically
    (``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere renamed aside first and put back by
    the next export after a crash) and removed once the new one is in place."""
    old = None
    if target.exists() and any(target.iterdir()):
        _check_free(target, overwrite)  # again: another export may have landed meanwhile
        if _exchange(temp, target):
            old = temp  # the swap left the previous export in the temp folder
        else:
            old = target.parent / f".{target.name}{TEMP_INFIX}old-{uuid.uuid4().hex[:12]}"
            os.replace(target, old)
    if old is not temp:
        try:
            os.replace(temp, target)
        except OSError as e:
            if old is not None and not target.exists():
                os.replace(old, target)
            raise ConflictError(f"The folder '{target}' was written by someone else "
                                "meanwhile; export again (with overwrite to replace it).",
                                path=str(target)) from e
    _fsync(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(b))


# --- writing the directory ------------------------------------------------------------------

def _build(folder: Path, found: ExportedVersion, example: Any) -> list[str]:
    """Write every file of the export into ``folder`` (fsynced); their names, sorted."""
    size = _copy_checked(found, folder / MODEL_FILE)
    trusted = _trusted_types(folder / MODEL_FILE, found)
    versions = installed_versions()
    texts: dict[str, str] = {
        "requirements.txt": requirements_txt(versions),
        "python_env.yaml": to_yaml(python_env()),
        "conda.yaml": to_yaml(conda_env(versions)),
        "README.md": readme(found, versions),
    }
    if example is not None:
        split = json.loads(example.to_json(orient="split", index=False, date_format="iso"))
        texts["input_example.json"] = json.dumps(split)
        texts["serving_input_example.json"] = json.dumps({"dataframe_split": split}, indent=2)
    size += sum(len(t.encode()) for t in texts.values())
    texts[MLMODEL] = to_yaml(mlmodel(found, trusted, versions, size, example is not None))
    for name, text in texts.items():
        _write_text(folder / name, text)
    _fsync(folder)
    return sorted([MODEL_FILE, *texts])


def _copy_checked(found: ExportedVersion, out_path: Path) -> int:
    """Copy the published file, hashing as it goes. Returns its size.

    Raises:
        NotFoundError: It is gone.
        ModelTamperedError: Its hash is not the published one.
    """
    digest, size = hashlib.sha256(), 0
    what = f"Model '{found.name}' version {found.version}"
    try:
        with open(found.path, "rb") as source, open(out_path, "wb") as out:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except FileNotFoundError:
        raise NotFoundError("file", str(found.path), f"{what}: its file {found.path} is "
                                                     "missing; publish it again.") from None
    if digest.hexdigest() != found.sha256:
        raise ModelTamperedError(what, found.path, found.sha256, digest.hexdigest())
    return size


def _trusted_types(path: Path, found: ExportedVersion) -> list[str]:
    """The types skops lists for the file, each on the registry's trusted list.

    Raises:
        UntrustedTypesError: Some are not (nothing is exported).
    """
    import skops.io as sio

    listed = sorted(sio.get_untrusted_types(file=path))
    refused = [t for t in listed if not trusted_by_default(t)]
    if refused:
        raise UntrustedTypesError(f"Model '{found.name}' version {found.version}", refused)
    return listed


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


