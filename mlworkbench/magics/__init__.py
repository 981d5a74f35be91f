"""IPython magics: ``%load_ext mlworkbench`` registers ``%sql`` and ``%%sql``.

Loading is cheap: the workspace (and DuckDB's views of it) opens on the first SQL cell.
"""

from __future__ import annotations

from typing import Any


def load_ipython_extension(ipython: Any) -> None:
    """Register the SQL magics on ``ipython``.

    Args:
        ipython: The running InteractiveShell.
    """
    from mlworkbench.magics.sql import SqlMagics

    ipython.register_magics(SqlMagics(ipython))
    from mlworkbench.magics.complete import register_completer  # SQL cells' Tab
    register_completer(ipython)
    from mlworkbench.magics.comm import register_comm_target  # the grid's paging
    register_comm_target(ipython)
