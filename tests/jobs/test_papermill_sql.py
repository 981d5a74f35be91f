"""A notebook with %%sql cells run headless by papermill on a real kernel."""

import nbformat
import pytest

papermill = pytest.importorskip("papermill")


def _notebook(path):
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("since = 0")
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell("%load_ext mlworkbench"),
        nbformat.v4.new_code_cell(
            "%%sql -o top\nSELECT count(*) AS n, min(range) AS lo FROM range(10) WHERE range >= $since"
        ),
        nbformat.v4.new_code_cell("print(f'n={top.n[0]} lo={top.lo[0]}')"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_a_parameters_value_is_bound_as_dollar_name(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWORKBENCH_HOME", str(tmp_path / "ws"))
    source, output = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    _notebook(source)
    papermill.execute_notebook(
        str(source), str(output), parameters={"since": 7}, kernel_name="python3",
        cwd=str(tmp_path), progress_bar=False,
    )
    nb = nbformat.read(output, as_version=4)
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert "n=3 lo=7" in printed
    sql_cell = next(c for c in nb.cells if c.source.startswith("%%sql"))
    bundle = sql_cell.outputs[0]["data"]
    assert bundle["application/vnd.mlworkbench.result+json"]["total_rows"] == 1
    assert "1 row" in bundle["text/plain"]
