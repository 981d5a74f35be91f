"""Join key suggestions, the join's SQL and preview, and the transforms' SQL."""

import duckdb
import pytest

from mlworkbench.core.data.transforms import transform_sql
from mlworkbench.core.errors import IncompatibleKeysError, InvalidRequestError, NotFoundError
from mlworkbench.demo.star_schema import star_schema
from mlworkbench.schemas import (
    CastTransform,
    DeriveTransform,
    DropDuplicatesTransform,
    FillNullsTransform,
    FilterTransform,
    PreviewJoinRequest,
    RegisterSourceRequest,
    SuggestJoinsRequest,
    TransformSqlRequest,
)
from tests.core.conftest import write_parquet


@pytest.fixture
def demo(ws, root):
    for path in star_schema(root / "data", scale=0.05):
        ws.catalog.register_source(RegisterSourceRequest(path=str(path)))
    return ws


def register(ws, root, name, sql):
    path = write_parquet(root / "data" / f"{name}.parquet", sql)
    ws.catalog.register_source(RegisterSourceRequest(path=str(path)))


def spec(base, table, pairs, how="inner", columns=()):
    return {"base": base, "joins": [{"table": table, "how": how, "on": [
        {"left_table": base, "left_column": a, "right_column": b} for a, b in pairs]}],
        "columns": list(columns)}


def test_orders_join_customers_on_customer_id_first(demo):
    found = demo.prep.suggest_joins(SuggestJoinsRequest(tables=["orders", "customers"]))
    top = found.suggestions[0]
    assert top.condition == "orders.customer_id = customers.customer_id"
    assert top.match_rate == 1.0 and top.cardinality == "many-to-one"
    assert top.right_unique and not top.left_unique and top.compatible
    assert top.score > max(s.score for s in found.suggestions[1:]) if found.suggestions[1:] else True


def test_order_items_find_both_of_their_parents(demo):
    found = demo.prep.suggest_joins(
        SuggestJoinsRequest(tables=["order_items", "orders", "products"])
    )
    conditions = [s.condition for s in found.suggestions[:2]]
    assert set(conditions) == {"order_items.order_id = orders.order_id",
                               "order_items.product_id = products.product_id"}


def test_an_id_column_matches_the_key_named_after_its_table(ws, root):
    register(ws, root, "customers", "SELECT i AS id, 'c' || i AS name FROM range(100) t(i)")
    register(ws, root, "orders", "SELECT i AS id, i % 50 AS customer_id FROM range(1000) t(i)")
    found = ws.prep.suggest_joins(SuggestJoinsRequest(tables=["orders", "customers"]))
    top = found.suggestions[0]
    assert (top.left_column, top.right_column) == ("customer_id", "id")
    assert "names the id of customers" in top.reason
    assert top.match_rate == 1.0 and top.cardinality == "many-to-one"
    same_id = next(s for s in found.suggestions if s.left_column == s.right_column == "id")
    assert same_id.score < top.score


def test_the_match_rate_is_measured_on_a_sample_of_the_left_keys(ws, root):
    register(ws, root, "facts", "SELECT i % 200 AS key_id FROM range(100000) t(i)")
    register(ws, root, "dims", "SELECT i AS key_id FROM range(50) t(i)")
    found = ws.prep.suggest_joins(SuggestJoinsRequest(tables=["facts", "dims"], sample_rows=5000))
    assert found.suggestions[0].match_rate == pytest.approx(0.25, abs=0.05)


def test_keys_of_incompatible_types_are_suggested_with_a_cast(ws, root):
    register(ws, root, "a", "SELECT i::VARCHAR AS code_id FROM range(10) t(i)")
    register(ws, root, "b", "SELECT i AS code_id FROM range(10) t(i)")
    top = ws.prep.suggest_joins(SuggestJoinsRequest(tables=["a", "b"])).suggestions[0]
    assert not top.compatible and top.match_rate is None
    assert top.condition == "a.code_id = CAST(b.code_id AS VARCHAR)"


def test_a_preview_shows_sql_rows_and_counts(demo):
    preview = demo.prep.preview_join(PreviewJoinRequest.model_validate({
        "spec": spec("orders", "customers", [("customer_id", "customer_id")], how="left"),
        "limit": 5}))
    assert "LEFT JOIN customers ON orders.\"customer_id\" = customers.\"customer_id\"" in preview.sql
    names = [c.name for c in preview.columns]
    assert "customer_id" in names and "customers_customer_id" in names
    assert len(names) == len(set(names))
    assert len(preview.rows) == 5
    orders = demo.query("SELECT count(*) AS n FROM orders")["n"][0]
    assert preview.exact_rows == orders and preview.estimated_rows > 0
    assert preview.warnings == []
    assert len(demo.query(preview.sql)) == orders  # the SQL runs as it is shown


def test_chosen_columns_and_aliases_are_kept(demo):
    body = spec("orders", "customers", [("customer_id", "customer_id")], columns=[
        {"table": "orders", "column": "order_id"},
        {"table": "customers", "column": "city", "alias": "customer city"}])
    preview = demo.prep.preview_join(PreviewJoinRequest.model_validate({"spec": body}))
    assert [c.name for c in preview.columns] == ["order_id", "customer city"]
    assert 'customers."city" AS "customer city"' in preview.sql


def test_incompatible_key_types_are_refused_with_a_cast_to_try(ws, root):
    register(ws, root, "a", "SELECT i::VARCHAR AS k FROM range(10) t(i)")
    register(ws, root, "b", "SELECT i AS k FROM range(10) t(i)")
    with pytest.raises(IncompatibleKeysError) as caught:
        ws.prep.preview_join(PreviewJoinRequest.model_validate({"spec": spec("a", "b", [("k", "k")])}))
    error = caught.value
    assert error.status == 422 and "VARCHAR" in error.message and "BIGINT" in error.message
    assert error.detail["suggestion"] == 'a."k" = CAST(b."k" AS VARCHAR)'


def test_a_many_to_many_join_is_warned_with_its_row_count(ws, root):
    register(ws, root, "a", "SELECT i % 10 AS k FROM range(1000) t(i)")
    register(ws, root, "b", "SELECT i % 10 AS k FROM range(500) t(i)")
    preview = ws.prep.preview_join(PreviewJoinRequest.model_validate({"spec": spec("a", "b", [("k", "k")])}))
    assert preview.exact_rows == 10 * 100 * 50
    assert len(preview.warnings) == 1
    assert "Many-to-many" in preview.warnings[0] and "50,000 rows" in preview.warnings[0]


def test_unknown_tables_columns_and_unjoined_keys_are_named(demo):
    with pytest.raises(NotFoundError, match="Did you mean 'customers'"):
        demo.prep.suggest_joins(SuggestJoinsRequest(tables=["orders", "customer"]))
    with pytest.raises(NotFoundError, match="no column 'cust_id'"):
        demo.prep.preview_join(PreviewJoinRequest.model_validate(
            {"spec": spec("orders", "customers", [("cust_id", "customer_id")])}))
    bad = spec("orders", "customers", [("customer_id", "customer_id")])
    bad["joins"][0]["on"][0]["left_table"] = "products"
    with pytest.raises(InvalidRequestError, match="not joined before"):
        demo.prep.preview_join(PreviewJoinRequest.model_validate({"spec": bad}))


# -- transforms -------------------------------------------------------------------------------

TRANSFORMS = [
    (FilterTransform(column="my col", op=">=", value=2), 'WHERE "my col" >= 2', 2),
    (FilterTransform(column="label", op="in", value=["a", "it's"]),
     "WHERE \"label\" IN ('a', 'it''s')", 2),
    (FilterTransform(column="label", op="is null"), 'WHERE "label" IS NULL', 1),
    (FilterTransform(column="my col", op="between", value=[1, 2]), "BETWEEN 1 AND 2", 2),
    (FilterTransform(expression='"my col" % 2 = 1'), 'WHERE "my col" % 2 = 1', 2),
    (DeriveTransform(name="double", expression='"my col" * 2'), 'SELECT *, "my col" * 2 AS "double"', 4),
    (CastTransform(column="my col", to_type="VARCHAR"),
     'SELECT * REPLACE (CAST("my col" AS VARCHAR) AS "my col")', 4),
    (CastTransform(column="label", to_type="INTEGER", try_cast=True), "TRY_CAST(", 4),
    (DropDuplicatesTransform(), "SELECT DISTINCT *", 4),
    (DropDuplicatesTransform(columns=["label"], order_by="my col", descending=True),
     'QUALIFY row_number() OVER (PARTITION BY "label" ORDER BY "my col" DESC) = 1', 3),
    (FillNullsTransform(columns=["label"], value="none"), "coalesce(\"label\", 'none') AS \"label\"", 4),
    (FillNullsTransform(columns=["my col"], strategy="mean"), 'avg("my col") OVER ()', 4),
]


@pytest.mark.parametrize("transform,expected,rows", TRANSFORMS, ids=lambda x: getattr(x, "kind", None))
def test_each_transform_writes_sql_that_runs(transform, expected, rows):
    con = duckdb.connect()
    con.execute("""CREATE TABLE "t 1" AS SELECT * FROM (VALUES (0, 'a'), (1, 'b'), (2, 'a'),
                   (3, NULL)) v("my col", label)""")
    for source in ({"table": "t 1"}, {"sql": 'SELECT * FROM "t 1";'}):
        text = transform_sql(TransformSqlRequest(**source, transform=transform))
        assert expected in text
        assert len(con.execute(text).fetchall()) == rows


def test_an_incomplete_transform_is_refused():
    with pytest.raises(InvalidRequestError, match="is null"):
        transform_sql(TransformSqlRequest(table="t", transform=FilterTransform(column="x")))
    with pytest.raises(InvalidRequestError, match="two values"):
        transform_sql(TransformSqlRequest(
            table="t", transform=FilterTransform(column="x", op="between", value=[1])))
