"""Loading a published model: ``ws.registry.load("churn@production")`` -> :class:`LoadedModel`.

A reference is ``name`` (its newest version), ``name@<alias>``, ``name@<version>`` or
``name@v<version>``. Loading re-hashes the model file and refuses one changed on disk since it
was published (:class:`ModelTamperedError`, 409); skops loads it with the explicit trusted-type
list only (``experiments/artifacts.py``), never a pickle.

Loaded pipelines are cached in the process per (name, version, sha256, file mtime and size), so
a server that loads a model for every request reads and hashes its file once; a file changed on
disk changes its mtime, misses the cache and is hashed (and refused) again.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.experiments.artifacts import ArtifactAlteredError, read_artifact
from mlworkbench.core.experiments.file_hash import sha256_file
from mlworkbench.core.registry.signature import CheckedFrame, Signature, check_frame

#: Models kept loaded per process (least recently used dropped first).
CACHE_SIZE = 16
_VERSION = re.compile(r"^v?(\d+)$")


class ModelTamperedError(ArtifactAlteredError):
    """The model file's sha256 is not the one recorded when it was published."""

    code = "model_tampered"

    def __init__(self, model: str, path: Path, expected: str, found: str) -> None:
        super().__init__(
            f"{model}: the model file was changed on disk since it was published: expected "
            f"sha256 {expected}, found {found}. It is not loaded; publish the model again.",
            path=str(path), expected=expected, found=found)


@dataclass(frozen=True)
class ModelRef:
    """A parsed reference: ``name`` and at most one of ``version`` and ``alias``."""

    name: str
    version: int | None = None
    alias: str | None = None

    def __str__(self) -> str:
        if self.alias is not None:
            return f"{self.name}@{self.alias}"
        return self.name if self.version is None else f"{self.name}@{self.version}"


def parse_ref(ref: str) -> ModelRef:
    """Split a model reference.

    >>> parse_ref("churn@v3")
    ModelRef(name='churn', version=3, alias=None)
    >>> parse_ref("churn@production").alias, parse_ref("churn@2").version, parse_ref("churn")
    ('production', 2, ModelRef(name='churn', version=None, alias=None))

    Raises:
        InvalidRequestError: Empty, or more than one '@'.
    """
    if not isinstance(ref, str) or not ref.strip() or ref.count("@") > 1:
        raise InvalidRequestError(
            "model", f"A model reference is 'name', 'name@alias' or 'name@<version>', "
                     f"not {ref!r}.")
    name, _, after = ref.strip().partition("@")
    if not after:
        return ModelRef(name)
    number = _VERSION.match(after)
    return ModelRef(name, version=int(number.group(1))) if number else ModelRef(name, alias=after)


@dataclass(repr=False)
class LoadedModel:
    """A published model version, loaded and ready to predict.

    Attributes:
        name: The model's name.
        version: Its version number.
        signature: The input columns it reads (checked on every call).
        task: 'binary', 'multiclass' or 'regression'.
        classes: The classes (classifiers), in the order of ``predict_proba``'s columns.
        sha256: The model file's hash.
        target: The column it predicts.
        pipeline: The fitted scikit-learn pipeline (takes the signature's columns).
    """

    name: str
    version: int
    signature: Signature
    task: str | None
    classes: list[Any] | None
    sha256: str
    target: str | None = None
    pipeline: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        columns = ", ".join(f"{c.name}: {c.type}" for c in self.signature.columns)
        return (f"LoadedModel({self.name!r}, version={self.version}, task={self.task!r}, "
                f"input=({columns}))")

    @property
    def label(self) -> str:
        """How messages name it: "model 'churn' version 2"."""
        return f"model '{self.name}' version {self.version}"

    def check(self, frame: Any) -> CheckedFrame:
        """``frame`` fitted to the signature (reordered, coerced, extra columns dropped).

        Raises:
            SignatureError: Missing or mistyped columns (422, all of them listed).
        """
        if isinstance(frame, CheckedFrame):
            return frame
        return check_frame(self.signature, frame, model=self.label)

    def predict(self, frame: Any) -> Any:
        """Predictions for each row of ``frame`` (a DataFrame, or a :class:`CheckedFrame`).

        Returns:
            A NumPy array, one value per row.

        Raises:
            SignatureError: The frame does not fit the signature.
        """
        return self.pipeline.predict(self.check(frame).frame)

    def predict_proba(self, frame: Any) -> Any:
        """Class probabilities (one column per entry of ``classes``), or None when the model
        is not a classifier or gives no probabilities.

        Raises:
            SignatureError: The frame does not fit the signature.
        """
        if self.task == "regression" or not hasattr(self.pipeline, "predict_proba"):
            return None
        return self.pipeline.predict_proba(self.check(frame).frame)


class ModelCache:
    """Loaded pipelines of this process, by (name, version, sha256, mtime_ns, size)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._files: dict[tuple, tuple[Path, tuple]] = {}  # (name, version, sha256) -> file
        self._lock = threading.Lock()

    def unchanged(self, name: str, version: int, sha256: str) -> bool:
        """Whether the file this cache loaded for (name, version, sha256) is still cached and
        unchanged on disk (one ``stat``): a caller holding the loaded model may keep using it;
        otherwise it loads again (and a changed file is hashed and refused)."""
        known = self._files.get((name, version, sha256))
        if known is None:
            return False
        path, key = known
        try:
            stat = path.stat()
        except OSError:
            return False
        return key == (name, version, sha256, stat.st_mtime_ns, stat.st_size) and \
            key in self._items

    def load(self, name: str, version: int, path: Path, sha256: str) -> Any:
        """The pipeline in ``path``, from the cache when the file is unchanged.

        Raises:
            NotFoundError: The file is gone.
            ModelTamperedError: Its content is not the published one.
            UntrustedTypesError: It holds types that are not trusted.
        """
        try:
            stat = path.stat()
            key = (name, version, sha256, stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            key = None  # read_artifact says the file is missing
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        what = f"Model '{name}' version {version}"
        try:
            pipeline = read_artifact(path, sha256, what)
        except ArtifactAlteredError:
            raise ModelTamperedError(what, path, sha256, sha256_file(path)) from None
        if key is not None:
            with self._lock:
                self._items[key] = pipeline
                self._files[(name, version, sha256)] = (path, key)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return pipeline

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._files.clear()

