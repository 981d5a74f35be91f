"""One execution of a notebook by papermill, in the runner's own process (``runner.py``).

papermill (and the kernel it starts) runs in the runner, so a run pays for one Python start-up;
the runner's watchdog thread enforces a timeout or a stop by killing the kernel's process tree,
which makes papermill return. The executed notebook is written to a temporary name next to
``output`` and renamed when papermill is done (a crash mid-run leaves the previous output, if
any, intact). A cell that raises comes back as its index, exception and traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TextIO

# An ANSI colour escape, which tracebacks from IPython are full of.
_ANSI = __import__("re").compile(r"\x1b\[[0-9;]*m")


class _IsoText(str):
    """A date or datetime as ISO text: papermill keeps parameters in the notebook's JSON
    metadata, so it must stay text there; the translator writes it as a date in the code."""

    kind = "date"


def _typed(declared, values: dict[str, Any]) -> dict[str, Any]:
    kinds = {p.name: p.type for p in declared}
    out = dict(values)
    for name, value in values.items():
        if kinds.get(name) in ("date", "datetime") and isinstance(value, str):
            out[name] = _IsoText(value)
            out[name].kind = kinds[name]
    return out


def _register_date_translator() -> None:
    """Dates reach the notebook as ``datetime.date(...)`` objects, not as text."""
    from papermill.translators import PythonTranslator, papermill_translators

    class _Translator(PythonTranslator):
        @classmethod
        def translate(cls, val):
            if isinstance(val, _IsoText):
                return f"__import__('datetime').{val.kind}.fromisoformat({str(val)!r})"
            return super().translate(val)

    papermill_translators.register("python", _Translator)


def execute(source: Path, output: Path, kernel: str, cwd: str, values: dict[str, Any],
            log: TextIO) -> dict[str, Any] | None:
    """Run ``source`` with the parameter ``values`` on ``kernel`` into ``output``; the
    notebook's stdout and stderr go to ``log``.

    Returns:
        None when every cell ran, else the failure: ``cell`` (its index in the user's notebook,
        or None when the kernel died or would not start), ``ename``, ``evalue``, ``traceback``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from mlworkbench.core.jobs.parameters import inspect

    _register_date_translator()
    parameters = _typed(inspect(source, kernel), values)
    tmp = output.with_name(f".{output.stem}.running.ipynb")
    failure: dict[str, Any] | None = None
    try:
        papermill.execute_notebook(
            str(source), str(tmp), parameters=parameters, kernel_name=kernel, cwd=cwd,
            progress_bar=False, stdout_file=log, stderr_file=log,
        )
    except PapermillExecutionError as e:
        failure = {"cell": e.cell_index, "exec_count": e.exec_count, "ename": e.ename,
                   "evalue": e.evalue, "traceback": _ANSI.sub("", "\n".join(e.traceback))}
    except Exception as e:  # noqa: BLE001 (the kernel died, would not start, ...)
        failure = {"cell": None, "ename": type(e).__name__, "evalue": str(e),
                   "traceback": _ANSI.sub("", f"{type(e).__name__}: {e}")}
    if tmp.exists():
        if failure is not None and failure.get("exec_count") is not None:
            failure["cell"] = _source_index(tmp, failure["exec_count"], failure["cell"])
        os.replace(tmp, output)
    if failure is not None:
        print(f"Failed: {failure['ename']}: {failure['evalue']}", file=log, flush=True)
    return failure


def _source_index(executed: Path, exec_count: int, fallback: int) -> int:
    """The failing cell's index in the user's notebook: papermill's index counts the cell it
    injected with the parameters, and its output notebook also has its error banner cells."""
    import nbformat

    skip = {"injected-parameters", "papermill-error-cell-tag"}
    try:
        cells = [c for c in nbformat.read(executed, as_version=4).cells
                 if not skip & set(c.get("metadata", {}).get("tags", []))]
    except Exception:  # noqa: BLE001 (an unreadable notebook: papermill's index)
        return fallback
    return next((i for i, c in enumerate(cells) if c.get("execution_count") == exec_count),
                fallback)
