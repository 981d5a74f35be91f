"""The cost preview: DuckDB's row estimate before a query runs, and the rewrites it offers."""

import pytest

from mlworkbench.core.data.estimate import plan_rows
from mlworkbench.core.errors import QueryError
from mlworkbench.schemas import EstimateQueryRequest, RegisterSourceRequest
from tests.core.conftest import write_parquet

CARD = "Estimated Cardinality"


@pytest.fixture
def big(ws, root):
    path = write_parquet(root / "data" / "big.parquet", "SELECT range AS id FROM range(100000)")
    ws.catalog.register_source(RegisterSourceRequest(path=str(path)))
    return ws


def test_a_small_query_is_estimated_without_a_warning(big):
    estimate = big.prep.estimate(EstimateQueryRequest(sql="SELECT * FROM big"))
    assert estimate.estimated_rows == 100_000
    assert not estimate.large and estimate.warning is None and estimate.limit_sql is None


def test_a_huge_result_is_warned_with_a_limit_and_a_sample_that_run(big):
    sql = "SELECT a.id, b.id AS other FROM big a CROSS JOIN big b;"
    estimate = big.prep.estimate(EstimateQueryRequest(sql=sql, threshold_rows=1_000_000))
    assert estimate.large and estimate.estimated_rows >= 10**9
    assert "about 10,000,000,000 rows" in estimate.warning
    assert estimate.limit_sql.endswith("LIMIT 100000")
    assert "USING SAMPLE" in estimate.sample_sql
    assert len(big.query(estimate.limit_sql)) == 100_000
    # The sample rewrite is valid SQL (EXPLAIN binds it without running the cross join).
    assert big.prep.estimate(EstimateQueryRequest(sql=estimate.sample_sql)).reason is None


def test_parameters_bind_and_several_statements_are_not_estimated(big):
    estimate = big.prep.estimate(
        EstimateQueryRequest(sql="SELECT * FROM big WHERE id < $n", parameters={"n": 10})
    )
    assert estimate.estimated_rows is not None
    several = big.prep.estimate(EstimateQueryRequest(sql="SELECT 1; SELECT 2"))
    assert several.estimated_rows is None and "single statement" in several.reason
    create = big.prep.estimate(EstimateQueryRequest(sql="CREATE TABLE x AS SELECT 1"))
    assert create.estimated_rows is None and "SELECT" in create.reason


def test_bad_sql_is_a_query_error_with_its_position(big):
    with pytest.raises(QueryError) as caught:
        big.prep.estimate(EstimateQueryRequest(sql="SELECT *\nFROM nowhere"))
    assert caught.value.line == 2


def test_the_estimate_is_found_below_operators_that_carry_none():
    plan = [{"name": "PROJECTION", "extra_info": {"Projections": "x"},
             "children": [{"name": "HASH_JOIN", "extra_info": {"Estimated Cardinality": "7"},
                           "children": []}]}]
    assert plan_rows(plan) == 7
    limited = {"name": "STREAMING_LIMIT", "extra_info": {"Limit": "5", CARD: "0"}}
    assert plan_rows([{**limited, "children": plan}]) == 5
    cross = {"name": "CROSS_PRODUCT", "extra_info": {}, "children": plan * 2}
    assert plan_rows(cross) == 49
    assert plan_rows([]) is None
