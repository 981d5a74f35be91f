"""Column profiles of real tables: statistics, sampling, edge cases, charts."""

import json

import duckdb
import pytest

from mlworkbench.core.errors import NotFoundError, QueryError
from mlworkbench.schemas import ProfileRequest, RegisterSourceRequest
from tests.core.conftest import run, write_csv, write_parquet

MIXED = """SELECT i AS id,
                  CASE WHEN i % 4 = 0 THEN NULL ELSE i / 2 END AS price,
                  ['red', 'green', 'blue'][1 + i % 3] AS colour,
                  DATE '2024-01-01' + i::INTEGER AS day,
                  i % 2 = 0 AS even,
                  [i, i + 1] AS pair,
                  NULL::INTEGER AS nothing
           FROM range(100) t(i)"""


def register(ws, path, name=None):
    return ws.catalog.register_source(RegisterSourceRequest(path=str(path), name=name))


def by_name(profile):
    return {c.name: c for c in profile.columns}


def test_a_profile_describes_each_column_by_its_kind(ws, root):
    register(ws, write_parquet(root / "data" / "mixed.parquet", MIXED))
    profile = ws.prep.profile(ProfileRequest(table="mixed"))
    assert profile.total_rows == 100 and not profile.sampled and profile.sample_rows is None
    cols = by_name(profile)

    price = cols["price"]
    assert price.kind == "numeric" and price.null_count == 25 and price.null_share == 0.25
    assert price.distinct == 75 and not price.distinct_approximate
    assert price.min == 0.5 and price.max == 49.5
    assert price.mean == pytest.approx(sum(i / 2 for i in range(100) if i % 4) / 75)
    assert price.std > 0 and set(price.quantiles) == {"p25", "p50", "p75"}
    assert sum(b.count for b in price.histogram) == 75 and len(price.histogram) == 20

    colour = cols["colour"]
    assert colour.kind == "text" and colour.distinct == 3
    assert [v.value for v in colour.top_values] == ["red", "blue", "green"]
    assert [v.count for v in colour.top_values] == [34, 33, 33]

    day = cols["day"]
    assert day.kind == "temporal" and day.min == "2024-01-01" and day.max == "2024-04-09"
    assert day.histogram_unit == "week" and sum(b.count for b in day.histogram) == 100
    assert day.histogram[0].start.startswith("2024-01-01")

    even = cols["even"]
    assert even.kind == "boolean" and even.mean == 0.5 and len(even.top_values) == 2

    assert cols["id"].top_values == []  # unique values: no telling top values
    assert cols["id"].histogram and cols["id"].chart is not None


def test_small_integer_ranges_get_one_bar_per_value(ws):
    profile = ws.prep.profile(ProfileRequest(sql="SELECT i % 5 AS k FROM range(1000) t(i)"))
    k = profile.columns[0]
    assert [(b.start, b.end, b.count) for b in k.histogram] == [
        (float(v), float(v + 1), 200) for v in range(5)
    ]


def test_nested_types_are_listed_but_not_profiled(ws, root):
    register(ws, write_parquet(root / "data" / "mixed.parquet", MIXED))
    pair = by_name(ws.prep.profile(ProfileRequest(table="mixed")))["pair"]
    assert pair.kind == "other" and not pair.profiled
    assert "BIGINT[]" in pair.reason and pair.count == 100 and pair.chart is None


def test_an_all_null_column_has_a_null_share_of_one_and_no_chart(ws, root):
    register(ws, write_parquet(root / "data" / "mixed.parquet", MIXED))
    nothing = by_name(ws.prep.profile(ProfileRequest(table="mixed")))["nothing"]
    assert nothing.null_share == 1.0 and nothing.count == 0 and nothing.distinct == 0
    assert nothing.min is None and nothing.histogram == [] and nothing.top_values == []
    assert nothing.chart is None


def test_an_empty_table_profiles_to_zero_rows(ws, root):
    register(ws, write_parquet(root / "data" / "empty.parquet", f"SELECT * FROM ({MIXED}) LIMIT 0"))
    profile = ws.prep.profile(ProfileRequest(table="empty"))
    assert profile.total_rows == 0 and not profile.sampled
    assert len(profile.columns) == 7
    assert all(c.count == 0 and c.null_share == 0.0 and c.chart is None for c in profile.columns)


def test_a_big_parquet_table_is_sampled_by_row_groups_and_says_so(ws, root):
    path = root / "data" / "big.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT i AS id, i % 7 AS k FROM range(200000) t(i)) TO '{path}' "
        "(FORMAT parquet, ROW_GROUP_SIZE 2048)"
    )
    register(ws, path)
    profile = ws.prep.profile(
        ProfileRequest(table="big", sample_threshold=50_000, sample_rows=20_000)
    )
    assert profile.sampled and profile.total_rows == 200_000
    assert 10_000 <= profile.sample_rows <= 40_000
    k = by_name(profile)["k"]
    assert k.count == profile.sample_rows and k.distinct == 7 and k.distinct_approximate
    # Spread over the file, not its first rows.
    assert by_name(profile)["id"].max > 150_000


def test_a_big_csv_source_is_sampled_with_duckdb(ws, root):
    lines = "\n".join(f"{i},{i % 3}" for i in range(30_000))
    register(ws, write_csv(root / "data" / "rows.csv", "id,k\n" + lines + "\n"))
    profile = ws.prep.profile(
        ProfileRequest(table="rows", sample_threshold=5_000, sample_rows=3_000)
    )
    assert profile.sampled and profile.total_rows == 30_000
    assert 1_000 < profile.sample_rows < 10_000


def test_a_very_wide_table_still_answers_with_every_column(ws, root):
    select = ", ".join(f"i * {n} AS c{n}" for n in range(300))
    register(ws, write_parquet(root / "data" / "wide.parquet", f"SELECT {select} FROM range(500) t(i)"))
    profile = ws.prep.profile(ProfileRequest(table="wide"))
    assert len(profile.columns) == 300
    assert profile.columns[299].name == "c299" and profile.columns[299].max == 499 * 299


def test_only_the_chosen_columns_are_profiled(ws, root):
    register(ws, write_parquet(root / "data" / "mixed.parquet", MIXED))
    profile = ws.prep.profile(ProfileRequest(table="mixed", columns=["colour", "DAY"]))
    assert [c.name for c in profile.columns] == ["colour", "day"]


def test_a_result_session_and_a_select_can_be_profiled(ws):
    result = run(ws, "SELECT i, i % 3 AS k FROM range(5000) t(i)", page_size=10)
    profile = ws.prep.profile(ProfileRequest(session_id=result.session_id))
    assert profile.total_rows == 5000 and by_name(profile)["k"].distinct == 3
    profile = ws.prep.profile(ProfileRequest(sql="SELECT 'a' AS x UNION ALL SELECT NULL"))
    assert profile.source == "query" and profile.columns[0].null_share == 0.5


def test_an_unknown_table_names_its_near_matches(ws, root):
    register(ws, write_parquet(root / "data" / "orders.parquet"))
    with pytest.raises(NotFoundError) as caught:
        ws.prep.profile(ProfileRequest(table="ordrs"))
    assert "Did you mean 'orders'?" in caught.value.message
    assert caught.value.detail["near"] == ["orders"]
    with pytest.raises(NotFoundError, match="no column 'idd'. Did you mean 'id'"):
        ws.prep.profile(ProfileRequest(table="orders", columns=["idd"]))


def test_bad_sql_points_at_its_line(ws):
    with pytest.raises(QueryError) as caught:
        ws.prep.profile(ProfileRequest(sql="SELECT 1 AS a,\n  nope FROM range(3)"))
    assert caught.value.line == 2


def test_a_table_name_that_needs_quotes_is_found_either_way(ws, root):
    register(ws, write_parquet(root / "data" / "x.parquet"), name="order items")
    assert ws.prep.profile(ProfileRequest(table="order items")).total_rows == 5
    assert ws.prep.profile(ProfileRequest(table='"order items"')).total_rows == 5


def test_charts_are_vega_lite_v5_and_set_no_colours(ws, root):
    register(ws, write_parquet(root / "data" / "mixed.parquet", MIXED))
    profile = ws.prep.profile(ProfileRequest(table="mixed"))
    charts = [c.chart for c in profile.columns if c.chart]
    assert len(charts) == 5
    for chart in charts:
        assert chart["$schema"].endswith("vega-lite/v5.json")
        assert chart["mark"]["type"] == "bar" and chart["data"]["values"]
    text = json.dumps(charts)
    assert "color" not in text and "background" not in text


@pytest.mark.parametrize("sql,check", [
    ("SELECT * FROM (VALUES ('nan'::DOUBLE), ('inf'::DOUBLE), (1.0), (NULL)) t(x)",
     lambda c: c.min == 1.0 and c.max == "nan" and len(c.histogram) == 1),
    ("SELECT * FROM (VALUES (DATE '9999-12-31'), (DATE '0001-01-01'), (DATE 'infinity')) t(d)",
     lambda c: c.max == "infinity" and c.histogram == []),
    ("SELECT TIMESTAMPTZ '2024-01-01 10:00:00+00' + INTERVAL (i) MINUTE AS t FROM range(300) t(i)",
     lambda c: c.histogram_unit == "hour" and [b.count for b in c.histogram] == [60] * 5),
    ("SELECT (170141183460469231731687303715884105727::HUGEINT - i) AS h FROM range(3) t(i)",
     lambda c: c.max == "170141183460469231731687303715884105727"),
    ("SELECT INTERVAL (i) DAY AS iv FROM range(3) t(i)", lambda c: c.kind == "text"),
    ("SELECT 'x'::BLOB AS b", lambda c: not c.profiled and c.count == 1),
])
def test_awkward_values_do_not_break_a_profile(ws, sql, check):
    column = ws.prep.profile(ProfileRequest(sql=sql)).columns[0]
    assert check(column), column
