"""Faithful cells: every DuckDB type travels as JSON without rounding or [object Object]."""

from __future__ import annotations

import json

import pytest

from mlworkbench.schemas import FetchPageRequest, QueryResult

from .conftest import run


def cell(ws, expression: str):
    result = run(ws, f"SELECT {expression} AS v")
    json.dumps(result.rows)  # every cell must be plain JSON
    QueryResult.model_validate_json(result.model_dump_json())
    return result.rows[0][0]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("NULL", None),
        ("NULL::INTEGER", None),
        ("true", True),
        ("42::TINYINT", 42),
        ("(-7)::SMALLINT", -7),
        ("123::UINTEGER", 123),
        ("9007199254740992::BIGINT", 9007199254740992),
        ("(-9007199254740992)::BIGINT", -9007199254740992),
        ("9007199254740993::BIGINT", "9007199254740993"),
        ("(-9223372036854775808)::BIGINT", "-9223372036854775808"),
        ("18446744073709551615::UBIGINT", "18446744073709551615"),
        (f"{2**127 - 1}::HUGEINT", str(2**127 - 1)),
        ("12::HUGEINT", 12),
        (f"{2**128 - 1}::UHUGEINT", str(2**128 - 1)),
        ("1.5::DOUBLE", 1.5),
        ("0.1::FLOAT", 0.1),
        ("'nan'::DOUBLE", "nan"),
        ("'inf'::DOUBLE", "inf"),
        ("'-inf'::DOUBLE", "-inf"),
        ("'nan'::FLOAT", "nan"),
        ("'-inf'::FLOAT", "-inf"),
        ("123456789012345678.1234567891::DECIMAL(38,10)", "123456789012345678.1234567891"),
        ("1.50::DECIMAL(4,2)", "1.50"),
        ("'\\xAB\\x00ab'::BLOB", "\\xAB\\x00ab"),
        ("'0e8a9b1a-7c3d-4a2b-9f00-1234567890ab'::UUID", "0e8a9b1a-7c3d-4a2b-9f00-1234567890ab"),
        ("INTERVAL 3 DAY + INTERVAL 2 HOUR", "3 days 02:00:00"),
        ("DATE '2024-02-29'", "2024-02-29"),
        ("TIME '12:34:56.789'", "12:34:56.789"),
        ("TIMESTAMP '2024-01-02 03:04:05.123456'", "2024-01-02 03:04:05.123456"),
        ("TIMESTAMPTZ '2024-01-02 03:04:05+02'", "2024-01-02 01:04:05+00"),
        ("TIMESTAMP_NS '2024-01-02 03:04:05.123456789'", "2024-01-02 03:04:05.123456789"),
        ("'12:00:00+05'::TIMETZ", "12:00:00+05"),
        ("[1, 2, NULL]", "[1, 2, NULL]"),
        ("[1, 2]::INTEGER[2]", "[1, 2]"),
        ("{'a': 1, 'b': 'x'}", "{'a': 1, 'b': x}"),
        ("MAP {'k': 1}", "{k=1}"),
        ("union_value(n := 1)::UNION(n INTEGER, s VARCHAR)", "1"),
        ("'héllo 🌍'", "héllo 🌍"),
        ("'{\"a\": [1, 2]}'::JSON", '{"a": [1, 2]}'),
        ("'101'::BIT", "101"),
        ("123456789012345678901234567890::BIGNUM", "123456789012345678901234567890"),
        ("42::BIGNUM", 42),
    ],
)
def test_each_type_becomes_a_faithful_cell(ws, expression, expected):
    assert cell(ws, expression) == expected


def test_timestamptz_carries_the_offset_of_the_session_time_zone(ws):
    sql = "SET TimeZone = 'America/New_York'; SELECT TIMESTAMPTZ '2024-07-01 12:00:00+00' AS v"
    result = run(ws, sql)
    assert result.rows == [["2024-07-01 08:00:00-04"]]


def test_an_enum_is_its_label(ws):
    result = run(ws, "CREATE TYPE mood AS ENUM ('sad', 'ok'); SELECT 'ok'::mood AS v")
    assert result.rows == [["ok"]]


def test_column_types_are_duckdbs_own_names(ws):
    sql = "SELECT 1.5::DECIMAL(38,10) AS d, {'a': 1} AS s, [1] AS l, TIMESTAMPTZ '2024-01-01' AS t"
    result = run(ws, sql)
    assert [c.type for c in result.columns] == [
        "DECIMAL(38,10)",
        "STRUCT(a INTEGER)",
        "INTEGER[]",
        "TIMESTAMP WITH TIME ZONE",
    ]


def test_a_result_with_a_thousand_columns_pages(ws):
    columns = ", ".join(f"range + {i} AS c{i}" for i in range(1000))
    result = run(ws, f"SELECT {columns} FROM range(3)", page_size=2)
    assert len(result.columns) == 1000
    assert result.rows[1][:3] == [1, 2, 3] and len(result.rows[0]) == 1000
    page = ws.results.page(result.session_id, FetchPageRequest(offset=2, limit=5))
    assert page.rows[0][999] == 1001


def test_column_names_with_spaces_quotes_and_unicode_work_everywhere(ws):
    sql = 'SELECT 1 AS "order id", 2 AS "say ""hi""", 3 AS "größe 📦", 4 AS "select"'
    result = run(ws, sql)
    names = ["order id", 'say "hi"', "größe 📦", "select"]
    assert [c.name for c in result.columns] == names and result.rows == [[1, 2, 3, 4]]
    page = ws.results.page(
        result.session_id,
        FetchPageRequest(
            sort=[{"column": 'say "hi"', "descending": True}], filter='"größe 📦" = 3'
        ),
    )
    assert page.rows == [[1, 2, 3, 4]] and page.total_rows == 1


def test_duplicate_column_names_are_made_unique_like_duckdb_does(ws):
    result = run(ws, "SELECT 1 AS a, 2 AS a, 3 AS A", page_size=10)
    assert [c.name for c in result.columns] == ["a", "a_1", "A_2"]
    assert result.rows == [[1, 2, 3]]
    page = ws.results.page(result.session_id, FetchPageRequest(sort=[{"column": "a_1"}]))
    assert page.rows == [[1, 2, 3]]
