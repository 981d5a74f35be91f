"""The pure-Python core of mlworkbench: workspace, catalog, SQL and results.

Importing this package is cheap: ``Workspace`` (and with it DuckDB, SQLAlchemy and Alembic) is
imported on first use, so ``%load_ext mlworkbench`` and the CLI start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlworkbench.core.workspace.workspace import Workspace

__all__ = ["Workspace"]


def __getattr__(name: str) -> Any:
    if name == "Workspace":
        from mlworkbench.core.workspace.workspace import Workspace

        return Workspace
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
