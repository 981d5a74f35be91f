"""Quoting and naming rules, checked against DuckDB itself."""

from __future__ import annotations

import doctest

import duckdb
import pytest

from mlworkbench.core.data import identifiers, sql_errors
from mlworkbench.core.data.identifiers import RESERVED, quote, quote_if_needed, safe_name


def test_the_reserved_words_are_duckdbs():
    rows = duckdb.sql(
        "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'"
    ).fetchall()
    assert RESERVED == {r[0] for r in rows}


@pytest.mark.parametrize("name", ["plain", "with space", 'quo"te', "ünï 📦", "select", "Mixed"])
def test_any_name_round_trips_through_quoting(name):
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {quote(name)} (x INT)")
    assert con.execute(f"SELECT count(*) FROM {quote_if_needed(name)}").fetchall() == [(0,)]
    assert con.execute("SELECT table_name FROM duckdb_tables()").fetchall() == [(name,)]


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("Sales 2024", "sales_2024"),
        ("2024-data", "t_2024_data"),
        ("select", "select_"),
        ("ü", "data"),
    ],
)
def test_file_stems_become_plain_names(stem, name):
    assert safe_name(stem) == name


def test_the_doctests_hold():
    for module in (identifiers, sql_errors):
        assert doctest.testmod(module).failed == 0
