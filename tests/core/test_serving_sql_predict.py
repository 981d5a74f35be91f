"""predict() in DuckDB SQL, over models trained by the training engine (in its own process) and
published in the real registry. Nothing here asserts a time."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import BadRequestError, NotFoundError
from mlworkbench.core.registry import SignatureError
from mlworkbench.core.serving.sql_predict import find_calls, prepare_predict, result_type

from tests.workspaces import FEATURES


@pytest.fixture(scope="module")
def ws(tmp_path_factory, workspace_templates):
    """A workspace with a classifier 'churn' (aliased production) and a regressor 'spend',
    and a 'customers' table to score (tests/workspaces.py: trained once per session)."""
    root = tmp_path_factory.mktemp("serving")
    (root / "data").mkdir()
    workspace_templates.copy("predicting", root / ".mlworkbench")
    workspace = Workspace.open(root / ".mlworkbench", root_dir=root, memory_limit="1GB")
    yield workspace
    workspace.close()


class CountingLoads:
    """``ws.registry.load`` that counts its calls."""

    def __init__(self, ws: Workspace) -> None:
        self.ws, self.refs = ws, []

    def __call__(self, ref: str):
        self.refs.append(ref)
        return self.ws.registry.load(ref)


def query(ws: Workspace, sql: str, load=None, *, stream: bool = True,
          streamed: bool | None = None) -> pd.DataFrame:
    """Run ``sql`` with its predict() calls; ``streamed`` checks which way they ran."""
    cursor = ws.engine.cursor()
    try:
        with prepare_predict(cursor, sql, load or ws.registry.load, stream=stream) as prepared:
            assert streamed is None or prepared.streamed == streamed
            try:
                return cursor.execute(prepared.sql, prepared.parameters).df()
            except duckdb.Error as error:
                raise (prepared.translate(error) or error) from error
    finally:
        cursor.close()


def expected(ws: Workspace, ref: str) -> list:
    rows = ws.query(f"SELECT {', '.join(FEATURES)} FROM customers ORDER BY id")
    return ws.registry.load(ref).predict(rows).tolist()


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "per-vector"])
def test_star_hands_the_model_its_columns_by_name_whatever_the_table_order(ws, stream):
    loads = CountingLoads(ws)
    got = query(ws, "SELECT *, predict('churn@production', *) AS churned FROM customers "
                    "ORDER BY id", loads, stream=stream, streamed=stream)

    assert list(got.columns) == ["id", "plan", "tenure", "usage", "churned"]
    want = expected(ws, "churn@production")
    assert got["churned"].tolist() == want
    assert set(want) == {"no", "yes"}, "a model fed tenure as usage would not get these"
    # 5,000 rows are several Arrow batches: the model is still loaded once for the query.
    assert loads.refs == ["churn@production"]


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "per-vector"])
def test_named_columns_are_matched_by_name_and_others_by_position(ws, stream):
    want = expected(ws, "churn@1")
    by_name = query(ws, "SELECT predict('churn@1', plan, usage, tenure) AS p FROM customers "
                        "ORDER BY id", stream=stream, streamed=stream)
    positional = query(ws, "SELECT predict('churn@1', u, t, p) AS p FROM "
                           "(SELECT id, usage AS u, tenure AS t, plan AS p FROM customers) "
                           "ORDER BY id", stream=stream, streamed=stream)
    qualified = query(ws, "SELECT predict('churn@1', c.*) AS p FROM customers c "
                          "JOIN (SELECT 1 AS usage) other ON true ORDER BY c.id",
                      stream=stream, streamed=stream)
    assert by_name["p"].tolist() == want
    assert positional["p"].tolist() == want
    assert qualified["p"].tolist() == want


def test_one_load_per_model_per_query_and_nothing_left_registered(ws):
    loads = CountingLoads(ws)
    got = query(ws, "SELECT id, predict('churn', *) AS a, predict('churn', usage, tenure, plan) "
                    "AS b FROM customers WHERE predict('churn', *) = 'yes' ORDER BY id", loads,
                streamed=False)  # a predict() in WHERE: per vector
    assert loads.refs == ["churn"]
    assert len(got) > 0 and (got["a"] == "yes").all() and (got["b"] == "yes").all()
    left = ws.engine.cursor().execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name LIKE '__mlwb_predict%'"
    ).fetchall()
    assert left == [(0,)]


def test_the_result_has_the_label_type_or_double_for_a_regressor(ws):
    cursor = ws.engine.cursor()
    sql = ("SELECT predict('churn', *) AS label, predict('spend', *) AS spend "
           "FROM customers")
    with prepare_predict(cursor, sql, ws.registry.load) as prepared:
        types = [(name, kind) for name, kind, *_ in cursor.execute(
            f"DESCRIBE {prepared.sql}").fetchall()]
    assert types == [("label", "VARCHAR"), ("spend", "DOUBLE")]
    spend = query(ws, "SELECT predict('spend', *) AS s FROM customers ORDER BY id")
    assert spend["s"].tolist() == pytest.approx(expected(ws, "spend"))


def test_nulls_reach_the_model(ws):
    got = query(ws, "SELECT predict('churn', *) AS p FROM "
                    "(SELECT NULL::DOUBLE AS usage, 5 AS tenure, NULL AS plan)")
    assert got["p"].tolist() in (["yes"], ["no"])


def test_an_unknown_model_is_the_registrys_404(ws):
    with pytest.raises(NotFoundError) as caught:
        query(ws, "SELECT predict('nope@production', *) FROM customers")
    assert caught.value.status == 404
    assert "nope" in caught.value.message


def test_a_missing_column_is_the_422_naming_it(ws):
    with pytest.raises(SignatureError) as caught:
        query(ws, "SELECT predict('churn', *) FROM (SELECT id, plan, usage FROM customers)")
    assert caught.value.status == 422
    assert caught.value.missing == ["tenure"]
    assert "model 'churn' version 1" in caught.value.message


def test_a_mistyped_column_is_the_422_naming_it_with_both_types(ws):
    with pytest.raises(SignatureError) as caught:
        query(ws, "SELECT predict('churn', *) FROM "
                  "(SELECT plan, tenure, usage::VARCHAR AS usage FROM customers)", stream=False)
    assert [(m["column"], m["expected"], m["got"]) for m in caught.value.mistyped] == [
        ("usage", "float", "varchar")]


def test_a_streamed_query_coerces_like_rest_and_names_values_that_do_not_fit(ws):
    as_text = query(ws, "SELECT predict('churn', *) AS p FROM (SELECT id, plan, tenure, "
                        "usage::VARCHAR AS usage FROM customers) ORDER BY id", streamed=True)
    assert as_text["p"].tolist() == expected(ws, "churn")
    with pytest.raises(SignatureError) as caught:
        query(ws, "SELECT predict('churn', *) FROM "
                  "(SELECT plan, tenure, 'lots' AS usage FROM customers)")
    assert [(m["column"], m["expected"], m["example"]) for m in caught.value.mistyped] == [
        ("usage", "float", "lots")]


def test_a_streamed_query_binds_parameters_and_leaves_nothing_registered(ws):
    cursor = ws.engine.cursor()
    sql = "SELECT id, predict('churn', *) AS p FROM customers WHERE id < $n ORDER BY id"
    with prepare_predict(cursor, sql, ws.registry.load, {"n": 10}) as prepared:
        assert prepared.streamed and prepared.parameters is None
        got = cursor.execute(prepared.sql).df()
    assert got["id"].tolist() == list(range(10))
    assert got["p"].tolist() == expected(ws, "churn")[:10]
    with pytest.raises(duckdb.Error):
        cursor.execute(prepared.sql)


def test_too_few_arguments_name_the_missing_columns(ws):
    with pytest.raises(SignatureError) as caught:
        query(ws, "SELECT predict('churn', usage) FROM customers")
    assert caught.value.missing == ["tenure", "plan"]


def test_the_model_must_be_a_string_literal(ws):
    with pytest.raises(BadRequestError, match="string literal"):
        query(ws, "SELECT predict(plan, *) FROM customers")


def test_calls_in_strings_comments_and_other_schemas_are_left_alone():
    sql = ("SELECT 'predict(x)', s.predict(1), \"PREDICT\"('m', (a, b)), "
           "Predict('m', {'k': [1, 2]}) -- predict('c', *)\n/* predict( */")
    calls = find_calls(sql)
    assert [c.arguments for c in calls] == [["'m'", "(a, b)"], ["'m'", "{'k': [1, 2]}"]]
    assert [sql[c.start:c.end] for c in calls] == [
        "\"PREDICT\"('m', (a, b))", "Predict('m', {'k': [1, 2]})"]


def test_a_query_without_predict_is_left_as_written():
    connection = duckdb.connect()
    prepared = prepare_predict(connection, "SELECT 1 AS predict", lambda ref: None)
    assert prepared.sql == "SELECT 1 AS predict" and prepared.functions == {}


@pytest.mark.parametrize("classes, kind", [
    (["no", "yes"], "VARCHAR"), ([0, 1], "BIGINT"), ([0.5, 1.5], "DOUBLE"),
    ([False, True], "BOOLEAN"), ([1, "a"], "VARCHAR")])
def test_classifier_labels_keep_their_type(classes, kind):
    class Labels:
        task = "binary"

    model = Labels()
    model.classes = classes
    assert result_type(model) == kind


# -- through ws.sql: the query route's result sessions, %%sql, ws.query ----------------------


def run(ws: Workspace, sql: str, **kw):
    from mlworkbench.schemas import RunQueryRequest

    return ws.sql.run(RunQueryRequest(sql=sql, **kw))


def session_rows(ws: Workspace, result) -> list:
    session = ws.results.get(result.session_id)
    session.wait()
    return session.read(session.table, 0, None)


def test_ws_sql_runs_predict_into_a_result_session_paged_past_its_head(ws):
    result = run(ws, "SELECT *, predict('churn@production', *) AS churned FROM customers "
                     "ORDER BY id", page_size=10)
    assert [c.name for c in result.columns] == ["id", "plan", "tenure", "usage", "churned"]
    assert [row[4] for row in result.rows] == expected(ws, "churn@production")[:10]
    # The rest is materialised from the same predictions (the stream was read once).
    rows = session_rows(ws, result)
    assert len(rows) == 5000
    assert [row[4] for row in rows] == expected(ws, "churn@production")
    assert ws.query("SELECT count(*) AS n FROM duckdb_functions() "
                    "WHERE function_name LIKE '__mlwb_predict%'")["n"].tolist() == [0]


def results_tables(ws: Workspace) -> list[str]:
    return ws.query("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mlwb_results' "
                    "ORDER BY 1")["table_name"].tolist()


def test_predicted_rows_are_held_once_and_dropped_with_their_session(ws):
    from mlworkbench.schemas import ResultStatus

    before = results_tables(ws)
    result = run(ws, "SELECT *, predict('churn@production', *) AS churned FROM customers",
                 page_size=10)
    # The predicted rows were written once, whole, and the session keeps that table as its
    # result: no copy runs after the first page, so the count is known at once.
    assert (result.status, result.total_rows) == (ResultStatus.ready, 5000)
    added = [t for t in results_tables(ws) if t not in before]
    assert len(added) == 1 and ws.results.get(result.session_id).table.endswith(f'"{added[0]}"')
    ws.results.close(result.session_id)
    assert results_tables(ws) == before
    # Read whole (ws.query, %%sql -o): the table lives for the read only.
    assert len(ws.query("SELECT predict('churn', *) AS p FROM customers")) == 5000
    assert results_tables(ws) == before


def test_ws_sql_predict_after_earlier_statements_and_with_parameters(ws):
    result = run(ws, "CREATE TEMP TABLE few AS SELECT * FROM customers WHERE id < 30;\n"
                     "SELECT id, predict('churn', *) AS p FROM few WHERE id < $n ORDER BY id",
                 parameters={"n": 20})
    assert [row[1] for row in result.rows] == expected(ws, "churn")[:20]
    frame = ws.query("SELECT id, predict('spend', *) AS s FROM customers "
                     "WHERE id < $n ORDER BY id", {"n": 5})
    assert frame["s"].tolist() == pytest.approx(expected(ws, "spend")[:5])


def test_ws_sql_errors_are_the_registrys_and_point_into_the_users_text(ws):
    from mlworkbench.core.errors import QueryError

    with pytest.raises(NotFoundError):
        run(ws, "SELECT predict('nope@production', *) FROM customers")
    with pytest.raises(SignatureError) as caught:
        run(ws, "SELECT predict('churn', *) FROM (SELECT id, plan, usage FROM customers)")
    assert caught.value.status == 422 and caught.value.missing == ["tenure"]
    sql = ("SELECT 1;\nSELECT id,\n  predict('churn@production', *) AS p, nosuch\n"
           "FROM customers")
    with pytest.raises(QueryError) as caught:
        run(ws, sql)
    assert "nosuch" in caught.value.message and "__mlwb" not in caught.value.message
    assert (caught.value.line, caught.value.column) == (3, 40)
    assert sql.split("\n")[2][39:45] == "nosuch"


def test_calls_after_text_that_is_not_ascii_are_found_where_they_are():
    sql = "SELECT 'café ☕' AS c, predict('m', *) AS p FROM t"
    [call] = find_calls(sql)
    assert sql[call.start:call.end] == "predict('m', *)"


def test_ws_sql_predict_in_a_statement_that_is_not_a_select(ws):
    result = run(ws, "CREATE TEMP TABLE keep AS SELECT id FROM customers LIMIT 0;\n"
                     "INSERT INTO keep SELECT id FROM customers "
                     "WHERE predict('churn', *) = 'yes' AND id < 200")
    assert result.message == f"INSERT: {expected(ws, 'churn')[:200].count('yes')} rows changed"
