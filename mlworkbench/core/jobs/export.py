"""The HTML copy of a run's executed notebook, made when someone first asks for it.

A run does not pay for the export (nbconvert and its templates take a second or more to load):
``Jobs.html`` calls ``export_html`` on demand and keeps the result next to the notebook, so the
next request reads the file. The file is written to a temporary name and renamed, so a reader
never sees half of it, and two requests at once each write their own temporary file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mlworkbench.core.errors import WorkbenchError


class HtmlExportError(WorkbenchError):
    """nbconvert could not export the executed notebook (the notebook itself is kept)."""

    status = 422
    code = "html_export_failed"


def export_html(notebook: Path, html: Path) -> Path:
    """Write ``notebook`` (an executed .ipynb) as HTML to ``html``, atomically.

    Returns:
        ``html``.

    Raises:
        HtmlExportError: nbconvert failed (the message says why; the .ipynb is still there).
    """
    try:
        import nbformat
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nbformat.read(notebook, as_version=4))
    except Exception as e:  # noqa: BLE001 (nbconvert raises many kinds; all mean the same here)
        raise HtmlExportError(f"The executed notebook '{notebook.name}' could not be exported to "
                              f"HTML ({type(e).__name__}: {e}); open the .ipynb instead.",
                              notebook=str(notebook)) from None
    write_atomically(html, body.encode("utf-8"))
    return html


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a unique temporary file beside ``path``, fsync it, rename it over."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
