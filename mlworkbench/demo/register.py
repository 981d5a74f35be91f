"""Register the demo files as workspace sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlworkbench.core.errors import ConflictError
from mlworkbench.schemas import RegisterSourceRequest


def register(workspace: Any, files: list[Path]) -> list[str]:
    """Register each file as a source named after its stem, skipping names already taken.

    Registering twice is harmless: a name the catalog already has is left alone (whatever it
    points at), so a user's own ``orders`` source is never replaced by the demo's.

    Args:
        workspace: An open ``mlworkbench.core.Workspace``.
        files: Files to register; each becomes the source ``<stem>``.

    Returns:
        The names this call registered.
    """
    taken = {source.name for source in workspace.catalog.describe().sources}
    registered = []
    for path in files:
        if path.stem in taken:
            continue
        request = RegisterSourceRequest(path=_source_path(workspace, path), name=path.stem)
        try:
            workspace.catalog.register_source(request)
        except ConflictError:  # another process registered it since describe()
            continue
        registered.append(path.stem)
    return registered


def _source_path(workspace: Any, path: Path) -> str:
    """Relative to the workspace's root when inside it, so the metadata survives a moved tree."""
    root = getattr(workspace, "root_dir", None)
    path = path.resolve()
    if root is not None:
        try:
            return path.relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)
