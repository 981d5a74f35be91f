"""Remove what crashed processes left in the workspace: temp files of unfinished table versions,
uploads and saved queries, and DuckDB temp folders of processes that are gone."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

STALE_SECONDS = 60.0
# An upload's temp file stays untouched while DuckDB imports it, which may take long.
STALE_UPLOAD_SECONDS = 6 * 3600.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def cleanup(
    workspace: Path,
    *,
    older_than: float = STALE_SECONDS,
    uploads_older_than: float = STALE_UPLOAD_SECONDS,
) -> list[Path]:
    """Delete leftovers older than ``older_than`` seconds.

    Young temp files are kept: another process may be writing them right now.

    Args:
        workspace: The workspace directory.
        older_than: Minimum age, by modification time.
        uploads_older_than: Minimum age of an upload's temp file.

    Returns:
        What was removed.
    """
    removed: list[Path] = []
    cutoff = time.time() - older_than
    upload_cutoff = time.time() - uploads_older_than
    for pattern, before in (
        ("tables/*/.*.tmp", cutoff),
        ("queries/.saving-*.tmp", cutoff),
        ("uploads/.upload-*.tmp", upload_cutoff),
    ):
        for tmp in workspace.glob(pattern):
            try:
                if tmp.stat().st_mtime < before:
                    tmp.unlink()
                    removed.append(tmp)
            except FileNotFoundError:
                continue
    duckdb_tmp = workspace / "tmp" / "duckdb"
    if duckdb_tmp.is_dir():
        for folder in duckdb_tmp.iterdir():
            pid = folder.name.split("-", 1)[0]
            try:
                stale = folder.stat().st_mtime < cutoff
            except FileNotFoundError:
                continue
            if pid.isdigit() and not _alive(int(pid)) and stale:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed
