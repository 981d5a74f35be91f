"""Remove what crashed processes left in the workspace: temp files of unfinished table versions
and DuckDB temp folders of processes that are gone."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

STALE_SECONDS = 60.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def cleanup(workspace: Path, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Delete leftovers older than ``older_than`` seconds.

    Young temp files are kept: another process may be writing them right now.

    Args:
        workspace: The workspace directory.
        older_than: Minimum age, by modification time.

    Returns:
        What was removed.
    """
    removed: list[Path] = []
    cutoff = time.time() - older_than
    tables = workspace / "tables"
    if tables.is_dir():
        for tmp in tables.glob("*/.*.tmp"):
            try:
                if tmp.stat().st_mtime < cutoff:
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
