"""Saved queries: plain ``.sql`` files in the workspace's ``queries/`` folder, so that they diff
and merge in git like any code.

A file may start with a header comment that gives it a title and a description::

    -- title: Monthly revenue
    -- description: Revenue per month since 2024

A save writes a temp file in the same folder, fsyncs it and renames it over the old one (the
folder fsynced too): a crash mid-write leaves the old file whole. Without ``overwrite`` the new
file is hard-linked into place, which fails atomically when the name was taken meanwhile.
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import datetime, timezone
from pathlib import Path

from mlworkbench.core.errors import BadRequestError, ConflictError, NotFoundError
from mlworkbench.schemas import (
    DescribeSavedQuery,
    ListSavedQueriesResponse,
    ReadSavedQueryResponse,
    RenameSavedQueryRequest,
    SaveQueryRequest,
)

SUFFIX = ".sql"
MAX_NAME = 100
_NAME = re.compile(r"[A-Za-z0-9_ -]+")
_HEADER = re.compile(r"^--\s*(title|description)\s*:\s*(.*?)\s*$", re.IGNORECASE)
TEMP_PREFIX = ".saving-"


def check_query_name(name: str) -> str:
    """The file stem for a saved query's name (``.sql`` dropped if given).

    Args:
        name: Letters, digits, ``_``, ``-`` and spaces, at most 100 characters.

    Returns:
        The name without ``.sql``.

    Raises:
        BadRequestError: Anything else, a path in particular (``../x``, ``a/b``).

    >>> check_query_name("monthly revenue.sql")
    'monthly revenue'
    """
    stem = name[: -len(SUFFIX)] if name.lower().endswith(SUFFIX) else name
    if not stem or len(stem) > MAX_NAME or not _NAME.fullmatch(stem) or stem != stem.strip():
        bad = sorted({c for c in stem if not _NAME.fullmatch(c)})
        shown = "".join(bad) if bad else ""
        why = f" It holds {shown!r}." if shown else ""
        raise BadRequestError(
            "name",
            f"'{name}' is not a saved query name.{why} Use 1 to {MAX_NAME} letters, digits, "
            "'_', '-' or inner spaces; '.sql' is added for you.",
            name=name,
        )
    return stem


def parse_header(text: str) -> tuple[str | None, str | None]:
    """The title and description of the leading ``-- title:`` / ``-- description:`` lines.

    >>> parse_header("-- title: Revenue\\n-- description: per month\\nSELECT 1")
    ('Revenue', 'per month')
    """
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            break
        found[match.group(1).lower()] = match.group(2)
    return found.get("title") or None, found.get("description") or None


def with_header(text: str, title: str | None, description: str | None) -> str:
    """``text`` with its header comment replaced by the given title and description."""
    lines = text.splitlines(keepends=True)
    while lines and _HEADER.match(lines[0].strip()):
        lines.pop(0)
    header = [f"-- title: {_one_line(title)}\n"] if title else []
    header += [f"-- description: {_one_line(description)}\n"] if description else []
    return "".join(header + lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class SavedQueries:
    """List, read, save, rename and delete saved queries.

    Args:
        workspace: The workspace directory; the files live in ``<workspace>/queries``.
    """

    def __init__(self, workspace: Path) -> None:
        self.folder = workspace / "queries"

    def _path(self, name: str) -> Path:
        return self.folder / f"{check_query_name(name)}{SUFFIX}"

    def _describe(self, path: Path, text: str | None = None) -> ReadSavedQueryResponse:
        try:
            if text is None:
                text = path.read_text(encoding="utf-8")
            stat = path.stat()
        except FileNotFoundError:
            raise NotFoundError("saved query", path.stem) from None
        title, description = parse_header(text)
        return ReadSavedQueryResponse(
            name=path.stem,
            title=title,
            description=description,
            modified_at=datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc),
            size_bytes=stat.st_size,
            sql=text,
        )

    def list(self) -> ListSavedQueriesResponse:
        """Every saved query, sorted by name (files whose names break the rules are skipped)."""
        out: list[DescribeSavedQuery] = []
        if self.folder.is_dir():
            for path in sorted(self.folder.glob(f"*{SUFFIX}"), key=lambda p: p.name.lower()):
                if not _NAME.fullmatch(path.stem) or not path.is_file():
                    continue
                try:
                    described = self._describe(path)
                except (NotFoundError, UnicodeDecodeError):
                    continue  # deleted meanwhile, or not text
                out.append(DescribeSavedQuery(**described.model_dump(exclude={"sql"})))
        return ListSavedQueriesResponse(queries=out)

    def read(self, name: str) -> ReadSavedQueryResponse:
        """One saved query with its text.

        Raises:
            BadRequestError: The name breaks the rules.
            NotFoundError: No saved query of this name.
        """
        return self._describe(self._path(name))

    def save(self, name: str, request: SaveQueryRequest) -> ReadSavedQueryResponse:
        """Write a saved query atomically (see the module docstring).

        Args:
            name: Its name (``.sql`` is added).
            request: The text, ``overwrite``, and an optional title and description that
                replace the file's header comment.

        Returns:
            The saved query as written.

        Raises:
            BadRequestError: The name breaks the rules.
            ConflictError: It exists and ``overwrite`` is false.
        """
        path = self._path(name)
        text = request.sql
        if request.title is not None or request.description is not None:
            title, description = parse_header(text)
            text = with_header(
                text,
                request.title if request.title is not None else title,
                request.description if request.description is not None else description,
            )
        if path.exists() and not request.overwrite:
            raise self._conflict(path.stem)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"{TEMP_PREFIX}{uuid.uuid4().hex}{SUFFIX}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            self._place(tmp, path, overwrite=request.overwrite)
        finally:
            tmp.unlink(missing_ok=True)
        return self._describe(path, text)

    def rename(self, name: str, request: RenameSavedQueryRequest) -> ReadSavedQueryResponse:
        """Give a saved query a new name.

        Raises:
            BadRequestError: Either name breaks the rules.
            NotFoundError: No saved query named ``name``.
            ConflictError: ``new_name`` is taken and ``overwrite`` is false.
        """
        source, target = self._path(name), self._path(request.new_name)
        if not source.is_file():
            raise NotFoundError("saved query", source.stem)
        if source == target:
            return self._describe(source)
        if target.exists() and not request.overwrite and not _same_file(source, target):
            raise self._conflict(target.stem)
        if _same_file(source, target):  # only the case differs, on a case-folding disk
            os.replace(source, target)
        else:
            self._place(source, target, overwrite=request.overwrite)
            source.unlink(missing_ok=True)
        _fsync_dir(self.folder)
        return self._describe(target)

    def delete(self, name: str) -> None:
        """Delete a saved query's file.

        Raises:
            BadRequestError: The name breaks the rules.
            NotFoundError: No saved query of this name.
        """
        path = self._path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            raise NotFoundError("saved query", path.stem) from None
        _fsync_dir(self.folder)

    def _place(self, file: Path, target: Path, *, overwrite: bool) -> None:
        """Move ``file`` to ``target``: replace it, or link only if ``target`` is still free."""
        if overwrite:
            os.replace(file, target)
        else:
            try:
                os.link(file, target)
            except FileExistsError:
                raise self._conflict(target.stem) from None
            except OSError:  # pragma: no cover - a file system without hard links
                if target.exists():
                    raise self._conflict(target.stem) from None
                os.replace(file, target)
        _fsync_dir(self.folder)

    @staticmethod
    def _conflict(stem: str) -> ConflictError:
        return ConflictError(
            f"A saved query named '{stem}' already exists; pass overwrite=true to replace it "
            "or choose another name.",
            name=stem,
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
