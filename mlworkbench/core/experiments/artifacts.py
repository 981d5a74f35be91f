"""Fitted pipelines as skops files: written crash-safe, read back only when every type in the
file is trusted.

Writing: skops dumps to a temp name in the run's folder, the file is fsynced and renamed to its
final name (the folder fsynced too); the caller commits the metadata row after. A crash before
the commit leaves at most an unregistered file, which :func:`sweep` removes later.

Reading: the file is read once into memory, its sha256 compared with the recorded one (a file
altered on disk is refused), and skops lists the types it does not trust by itself. Classes of
scikit-learn, skrub, NumPy and SciPy are trusted, skrub's own functions (its column
selectors), ``functools.partial`` (skops lists what it wraps on its own) and the few library
functions fitted estimators hold (``TRUSTED_FUNCTIONS``); anything else (a class from a
notebook, a function such as ``builtins.eval``) must be named by the caller in ``trusted``,
else loading fails with the list. No pickle is ever loaded.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import shutil
import time
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlworkbench.core.errors import ConflictError, NotFoundError, WorkbenchError
from mlworkbench.core.workspace.tables import _fsync

TEMP_SUFFIX = ".tmp"
TRUSTED_PACKAGES = ("sklearn", "skrub", "numpy", "scipy")
FUNCTION_PACKAGES = ("skrub",)  # whose functions (column selectors, predicates) are trusted
#: Functions of other libraries that fitted estimators hold (a HistGradientBoosting model with
#: native categorical features keeps ``partial(check_array, ...)``). Named one by one: some
#: scikit-learn functions (test helpers) run code they are given.
TRUSTED_FUNCTIONS = ("sklearn.utils.validation.check_array",)
#: Wrappers whose contents skops lists on their own (a partial's function and arguments).
TRUSTED_WRAPPERS = ("functools.partial",)
STALE_SECONDS = 60.0


class UntrustedTypesError(WorkbenchError):
    """A model file holds types that are not trusted; ``types`` lists them."""

    status = 422
    code = "untrusted_types"

    def __init__(self, what: str, types: list[str]) -> None:
        super().__init__(
            f"{what} holds types that are not trusted: {', '.join(types)}. Load it with "
            "trusted=[...] naming them only if you trust where the file came from.",
            types=types,
        )
        self.types = types


class ArtifactAlteredError(ConflictError):
    """A model file's content is not what was written (its sha256 differs)."""

    code = "hash_mismatch"


@dataclass(frozen=True)
class WrittenArtifact:
    """A skops file in place (renamed, not yet registered).

    Attributes:
        path: Its final path.
        sha256: Content hash.
        size: Bytes.
        untrusted_types: The types skops does not trust by itself, as it lists them.
    """

    path: Path
    sha256: str
    size: int
    untrusted_types: list[str]


def file_stem(name: str) -> str:
    """A file-system-safe stem for an artifact name ('best model' -> 'best_model')."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._")[:48] or "artifact"


def write_artifact(folder: Path, name: str, obj: Any) -> WrittenArtifact:
    """Dump ``obj`` with skops into ``folder`` (temp name, fsync, rename, fsync the folder).

    Args:
        folder: The run's artifact folder (created if missing).
        name: The artifact's name (its file name derives from it).
        obj: A fitted estimator or pipeline.

    Returns:
        The file, ready to be registered.

    Raises:
        TypeError: skops cannot serialise something in ``obj``; nothing is left behind.
    """
    import skops.io as sio

    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{file_stem(name)}-{uuid.uuid4().hex[:12]}.skops"
    tmp, final = folder / f".{stem}{TEMP_SUFFIX}", folder / stem
    try:
        sio.dump(obj, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        digest, size = _digest(tmp)
        untrusted = sorted(sio.get_untrusted_types(file=tmp))
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        raise
    return WrittenArtifact(final, digest, size, untrusted)


def _digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def read_artifact(path: Path, sha256: str, what: str, trusted: Iterable[str | type] = ()) -> Any:
    """Load a skops file after checking its hash and the types it holds.

    Args:
        path: The file.
        sha256: The hash recorded when it was written.
        what: How messages name it ("The model 'best' of run 3").
        trusted: Further types to trust (fully qualified names or the types themselves).

    Returns:
        The loaded object.

    Raises:
        NotFoundError: The file is gone.
        ArtifactAlteredError: Its content changed since it was written.
        UntrustedTypesError: It holds types neither trusted by default nor in ``trusted``.
    """
    import skops.io as sio

    try:
        data = path.read_bytes()  # once: the bytes checked are the bytes loaded
    except FileNotFoundError:
        raise NotFoundError("file", str(path), f"{what}: its file {path} is missing.") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArtifactAlteredError(
            f"{what}: its file {path} was altered after it was written (sha256 differs); "
            "it is not loaded.",
            path=str(path),
        )
    extra = {t if isinstance(t, str) else f"{t.__module__}.{t.__qualname__}" for t in trusted}
    found = sio.get_untrusted_types(data=data)
    refused = sorted(t for t in found if t not in extra and not trusted_by_default(t))
    if refused:
        raise UntrustedTypesError(what, refused)
    return sio.loads(data, trusted=found)


def trusted_by_default(type_name: str) -> bool:
    """Whether a type skops lists is trusted without the caller naming it: a class of one of
    ``TRUSTED_PACKAGES``, a function of ``FUNCTION_PACKAGES``, one of ``TRUSTED_FUNCTIONS`` or
    ``TRUSTED_WRAPPERS``, or one of the training engine's own ``pipelines.TRUSTED_TYPES``.

    >>> trusted_by_default("sklearn.tree._tree.Tree"), trusted_by_default("builtins.eval")
    (True, False)
    """
    if type_name in TRUSTED_FUNCTIONS or type_name in TRUSTED_WRAPPERS:
        return True
    package = type_name.split(".", 1)[0]
    if package == "mlworkbench":  # the training engine's own functions, as it lists them
        from mlworkbench.core.training.pipelines import TRUSTED_TYPES

        return type_name in TRUSTED_TYPES
    if package not in TRUSTED_PACKAGES or "." not in type_name:
        return False
    module_name, attribute = type_name.rsplit(".", 1)
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return False
    if isinstance(found, type):
        return True
    return package in FUNCTION_PACKAGES and callable(found)


def sweep(runs_folder: Path, registered: dict[str, set[str]], older_than: float) -> list[Path]:
    """Remove what crashed writers left: temp files, files no row registers, folders of runs
    that no longer exist, once older than ``older_than`` seconds (younger ones may be being
    written right now).

    Args:
        runs_folder: ``<workspace>/experiments/runs``.
        registered: File names registered per run folder name (absent: the run is gone).
        older_than: Minimum age, by modification time.

    Returns:
        What was removed.
    """
    removed = sweep_folders(runs_folder, set(registered), older_than)
    cutoff = time.time() - older_than
    for name, names in registered.items():
        try:
            for file in (runs_folder / name).iterdir():
                if file.name not in names and file.stat().st_mtime < cutoff:
                    file.unlink()
                    removed.append(file)
        except FileNotFoundError:
            continue
    return removed


def sweep_folders(parent: Path, keep: set[str], older_than: float) -> list[Path]:
    """Remove the folders of ``parent`` not named in ``keep`` once older than ``older_than``
    seconds (the job folders of deleted runs).

    Returns:
        What was removed.
    """
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    cutoff = time.time() - older_than
    for folder in parent.iterdir():
        try:
            if folder.name not in keep and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except FileNotFoundError:
            continue
    return removed
