"""The mlworkbench command, run as a user runs it, on a real workspace."""

import json

import duckdb
import pytest
from click.testing import CliRunner

from mlworkbench.cli import main


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MLWORKBENCH_HOME", raising=False)
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT i AS id, i % 3 AS k FROM range(10) t(i)) TO 'items.parquet' (FORMAT parquet)"
    )
    con.close()
    return tmp_path


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_register_query_and_save_from_the_shell(root):
    assert run("sources", "add", "items.parquet").exit_code == 0
    listed = run("sources", "list")
    assert "items" in listed.output and "10 rows" in listed.output

    result = run("sql", "SELECT k, count(*) AS n FROM items GROUP BY k ORDER BY k", "--format",
                 "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == [{"k": 0, "n": 4}, {"k": 1, "n": 3}, {"k": 2, "n": 3}]

    saved = run("sql", "SELECT * FROM items WHERE id > $min", "-p", "min=6", "--save", "big")
    assert saved.exit_code == 0, saved.output
    again = run("sql", "SELECT 1", "--save", "big")
    assert again.exit_code == 2 and "overwrite" in again.output
    assert run("sql", "SELECT 1 AS one", "--save", "big", "--overwrite").exit_code == 0
    versions = run("tables", "versions", "big")
    assert versions.output.splitlines()[0].startswith("v2")
    assert "big\tv2\t1 rows" in run("tables", "list").output


def test_bad_sql_prints_the_line_and_exits_non_zero(root):
    result = run("sql", "SELECT 1;\nSELEC 2")
    assert result.exit_code == 2
    assert "line 2" in result.output


def test_a_missing_file_names_the_path(root):
    result = run("sources", "add", "nope.csv")
    assert result.exit_code == 2
    assert "nope.csv" in result.output
