"""What a registered source is on disk: its kind, where it resolves, how DuckDB reads it.

Paths are stored relative to the workspace directory when the file lies under the workspace's
parent (the Jupyter root in the default layout), so the metadata survives a moved tree and every
process resolves it the same way whatever its working directory; otherwise absolutely.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from mlworkbench.core.data.identifiers import literal, safe_name
from mlworkbench.core.errors import ForbiddenPathError, NotFoundError, UnsupportedError
from mlworkbench.schemas import SourceKind

# Longest suffixes first so that ".csv.gz" wins over ".gz".
EXTENSIONS: dict[str, SourceKind] = {
    ".csv.gz": SourceKind.csv,
    ".tsv.gz": SourceKind.csv,
    ".csv": SourceKind.csv,
    ".tsv": SourceKind.csv,
    ".parquet": SourceKind.parquet,
    ".pq": SourceKind.parquet,
    ".ndjson": SourceKind.json,
    ".jsonl": SourceKind.json,
    ".json": SourceKind.json,
    ".duckdb": SourceKind.duckdb,
    ".ddb": SourceKind.duckdb,
    ".db": SourceKind.duckdb,
}
SUPPORTED = (
    "CSV (.csv, .tsv, .csv.gz), Parquet (.parquet, .pq, or a folder of them), "
    "JSON (.json, .jsonl, .ndjson) and DuckDB databases (.duckdb, .db, .ddb)"
)
_MAGIC = set("*?[")


@dataclass(frozen=True)
class SourceLocation:
    """A resolved source path.

    Attributes:
        path: Absolute path, glob or folder.
        kind: How DuckDB reads it.
        is_folder: A folder read recursively (``**/*.parquet``, hive partitioning on).
    """

    path: str
    kind: SourceKind
    is_folder: bool = False

    @property
    def pattern(self) -> str:
        """What DuckDB's reader is given: the path, or the folder's recursive glob."""
        if not self.is_folder:
            return self.path
        suffix = {SourceKind.csv: "csv", SourceKind.json: "json"}.get(self.kind, "parquet")
        return os.path.join(self.path, "**", f"*.{suffix}")

    @property
    def is_glob(self) -> bool:
        return self.is_folder or bool(_MAGIC & set(self.path))

    def files(self) -> list[str]:
        """The files the source reads right now (empty when they have vanished)."""
        if self.is_glob:
            return sorted(glob.glob(self.pattern, recursive=True))
        return [self.path] if os.path.isfile(self.path) else []

    def signature(self) -> tuple:
        """(file, mtime, size) of every file: changes when the data may have changed."""
        out = []
        for name in self.files():
            try:
                st = os.stat(name)
            except OSError:
                continue
            out.append((name, st.st_mtime_ns, st.st_size))
        return tuple(out)

    def reader_sql(self) -> str:
        """A SELECT that reads the source (not for DuckDB databases, which are attached)."""
        many = ", union_by_name = true" if self.is_glob else ""
        pattern = literal(self.pattern)
        if self.kind is SourceKind.csv:
            return f"SELECT * FROM read_csv({pattern}{many})"
        if self.kind is SourceKind.json:
            return f"SELECT * FROM read_json({pattern}{many})"
        if self.kind is SourceKind.parquet:
            hive = ", hive_partitioning = true" if self.is_folder else ""
            return f"SELECT * FROM read_parquet({pattern}{many}{hive})"
        raise UnsupportedError(f"A {self.kind.value} source is attached, not read with a view.")


def infer_kind(path: str) -> SourceKind:
    """The kind a path's extension names.

    Args:
        path: A file name or glob.

    Returns:
        The source kind.

    Raises:
        UnsupportedError: The extension is not one DuckDB can read here; the message lists them.
    """
    lower = path.lower()
    for suffix, kind in EXTENSIONS.items():
        if lower.endswith(suffix):
            return kind
    raise UnsupportedError(
        f"Cannot read '{path}': unsupported file type. Supported: {SUPPORTED}.", path=path
    )


def resolve(
    text: str, kind: SourceKind | None, root_dir: Path, *, allow_outside_root: bool
) -> SourceLocation:
    """Resolve a user-given path against ``root_dir`` and check it exists and may be read.

    Args:
        text: A file, glob or folder, relative to ``root_dir`` or absolute (``~`` expanded).
        kind: The kind, or None to infer it from the extension (a folder means Parquet).
        root_dir: The Jupyter root.
        allow_outside_root: Whether paths outside ``root_dir`` are allowed.

    Returns:
        The resolved location.

    Raises:
        ForbiddenPathError: The path resolves outside ``root_dir``.
        NotFoundError: No such file, no file matches the glob, or it cannot be read.
        UnsupportedError: The file type is not supported.
    """
    raw = os.path.expanduser(text.strip())
    path = raw if os.path.isabs(raw) else os.path.join(root_dir, raw)
    magic = _MAGIC & set(path)
    # realpath of the part before the first wildcard, so symlinks and '..' cannot escape root.
    if magic:
        cut = min(path.index(c) for c in magic)
        head, tail = os.path.split(path[:cut])
        path = os.path.join(os.path.realpath(head), tail + path[cut:])
        anchor = os.path.realpath(head)
    else:
        path = os.path.realpath(path)
        anchor = path
    root = os.path.realpath(root_dir)
    if not allow_outside_root and os.path.commonpath([root, anchor]) != root:
        raise ForbiddenPathError(
            f"'{text}' is outside the Jupyter root {root}; only files under it can be registered.",
            path=text,
        )
    if not magic and os.path.isdir(path):
        location = SourceLocation(path, kind or SourceKind.parquet, is_folder=True)
        if location.kind is SourceKind.duckdb:
            raise UnsupportedError(f"'{text}' is a folder, not a DuckDB database file.", path=text)
    else:
        location = SourceLocation(path, kind or infer_kind(path))
    files = location.files()
    if not files:
        what = f"No {location.kind.value} files under" if location.is_glob else "No file"
        raise NotFoundError("file", text, f"{what} '{text}' (looked at {location.pattern}).")
    unreadable = next((f for f in files if not os.access(f, os.R_OK)), None)
    if unreadable:
        raise NotFoundError("file", text, f"Cannot read '{unreadable}': permission denied.")
    return location


def default_name(location: SourceLocation) -> str:
    """A SQL-safe name from the path: ``data/Sales 2024.csv.gz`` -> ``sales_2024``; a glob or
    folder is named after its folder (``data/*.csv`` -> ``data``).

    Args:
        location: The resolved source.

    Returns:
        A plain identifier.
    """
    parts = Path(location.path).parts
    stem = next((p for p in reversed(parts) if not (_MAGIC & set(p))), "data")
    if not location.is_folder and stem == parts[-1]:
        lower = stem.lower()
        for suffix in EXTENSIONS:
            if lower.endswith(suffix):
                stem = stem[: -len(suffix)]
                break
    return safe_name(stem)


def to_stored(location: SourceLocation, workspace: Path) -> str:
    """The path as the metadata keeps it (see the module docstring)."""
    base = os.path.realpath(workspace.parent)
    path = location.path
    if os.path.commonpath([base, path]) == base:
        path = os.path.relpath(path, os.path.realpath(workspace))
    # A trailing separator marks a folder, so a vanished folder is still known as one.
    return path + os.sep if location.is_folder else path


def from_stored(stored: str, kind: str, workspace: Path) -> SourceLocation:
    """Rebuild a location from a metadata row."""
    is_folder = stored.endswith(os.sep)
    path = stored.rstrip(os.sep) or os.sep
    if not os.path.isabs(path):
        path = os.path.normpath(os.path.join(os.path.realpath(workspace), path))
    return SourceLocation(path, SourceKind(kind), is_folder=is_folder)
