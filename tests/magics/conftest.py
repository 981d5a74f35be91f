"""A real IPython shell with the extension loaded, on a temp workspace."""

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython

import mlworkbench.notebook as notebook


@pytest.fixture
def ip(tmp_path, monkeypatch):
    """The shell; each test gets a fresh workspace and a fresh kernel SQL state."""
    monkeypatch.setenv("MLWORKBENCH_HOME", str(tmp_path / "ws"))
    monkeypatch.chdir(tmp_path)
    shell = start_ipython() or get_ipython()  # started once per process
    shell.run_line_magic("load_ext", "mlworkbench")
    notebook._runner = None
    yield shell
    if notebook._runner is not None and notebook._runner._ws is not None:
        notebook._runner._ws.close()
    notebook._runner = None
    for name in [n for n in shell.user_ns if not n.startswith("_")]:
        shell.user_ns.pop(name, None)


def fails(ip, cell, line=""):
    """The one line a failing cell shows."""
    from mlworkbench.magics.errors import CellError

    with pytest.raises(CellError) as info:
        ip.run_cell_magic("sql", line, cell)
    return info.value._render_traceback_()
