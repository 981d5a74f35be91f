"""A notebook's parameters cell read by papermill's inspection; values parsed by declared type."""

import datetime as dt

import nbformat
import pytest

from mlworkbench.core.errors import NotFoundError
from mlworkbench.core.jobs import JobParameterError
from mlworkbench.core.jobs.parameters import inspect, parse, revive

pytest.importorskip("papermill")

CELL = """from datetime import date
since = "2020-01-01"  # first day
n = 3
rate: float = 0.5
verbose = False
cols = ["a", "b"]
day: date = date(2026, 1, 1)
anything = None"""


@pytest.fixture
def declared(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(CELL)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("print(since)")]
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, path)
    return inspect(path)


def test_the_parameters_cell_gives_names_types_defaults_and_help(declared):
    by_name = {p.name: p for p in declared}
    assert [p.name for p in declared] == ["since", "n", "rate", "verbose", "cols", "day",
                                         "anything"]
    assert by_name["since"].type == "str" and by_name["since"].help == "first day"
    assert by_name["since"].default == '"2020-01-01"'
    assert (by_name["n"].type, by_name["rate"].type, by_name["verbose"].type) == \
        ("int", "float", "bool")
    assert (by_name["cols"].type, by_name["day"].type, by_name["anything"].type) == \
        ("list", "date", "any")


def test_text_values_are_parsed_by_the_declared_type_without_quotes(declared):
    values = parse(declared, {"since": "2026-01-01", "n": "5", "rate": "2", "verbose": "yes",
                              "cols": '["x"]', "day": "2026-02-03", "anything": "7"})
    assert values == {"since": "2026-01-01", "n": 5, "rate": 2.0, "verbose": True,
                      "cols": ["x"], "day": "2026-02-03", "anything": 7}
    assert revive(declared, values)["day"] == dt.date(2026, 2, 3)


def test_python_values_are_checked_by_the_declared_type(declared):
    values = parse(declared, {"n": 4, "rate": 1, "day": dt.date(2026, 5, 1), "cols": ("p",)})
    assert values == {"n": 4, "rate": 1.0, "day": "2026-05-01", "cols": ["p"]}
    with pytest.raises(JobParameterError, match="'since' expects text"):
        parse(declared, {"since": 5})


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("n", "5.5", "a whole number"),
    ("n", True, "a whole number"),
    ("rate", "fast", "a number"),
    ("verbose", "maybe", "true or false"),
    ("cols", "x", "a list"),
    ("day", "tomorrow", "a date like 2026-01-01"),
])
def test_a_value_of_the_wrong_type_names_the_parameter_and_what_was_expected(
        declared, name, value, expected):
    with pytest.raises(JobParameterError) as raised:
        parse(declared, {name: value})
    assert f"'{name}' expects {expected}" in raised.value.message
    assert raised.value.status == 400 and raised.value.detail["parameter"] == name


def test_an_unknown_name_lists_the_notebooks_parameters(declared):
    with pytest.raises(JobParameterError, match="no parameter 'sinse'.*since, n, rate"):
        parse(declared, {"sinse": "2026-01-01"})


def test_a_missing_notebook_is_not_found(tmp_path):
    with pytest.raises(NotFoundError):
        inspect(tmp_path / "nope.ipynb")
