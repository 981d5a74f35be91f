"""Score a query into a new version of a workspace table (ws.scoring), over the models the
predict() tests train and publish. Nothing here asserts a time."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from mlworkbench.core.errors import InvalidRequestError, NotFoundError, QueryError
from mlworkbench.core.registry import SignatureError
from mlworkbench.core.serving import scoring

from . import test_serving_sql_predict as predicting

expected = predicting.expected
ws = predicting.ws  # the workspace with the published models, as a fixture of this module


def test_score_writes_rows_and_predictions_as_a_new_version_with_lineage(ws, monkeypatch):
    # Small batches: 5,000 rows are several batches, each predicted and written in turn.
    monkeypatch.setattr(scoring, "BATCH_ROWS", 1024)
    monkeypatch.setattr(scoring, "PROGRESS_AFTER_SECONDS", 0.0)
    told = []
    first = ws.scoring.score("SELECT * FROM customers WHERE id < 10", "churn@production",
                             into="scored")
    result = ws.scoring.score("SELECT * FROM customers ORDER BY id", "churn@production",
                              into="scored", progress=lambda done, total: told.append(
                                  (done, total)))
    assert first.table.version == 1 and result.table.version == 2
    assert (result.model, result.version, result.rows) == ("churn", 1, 5000)
    assert told[-1] == (5000, 5000) and len(told) >= 5, "one report per batch"
    got = ws.query("SELECT * FROM scored ORDER BY id")
    assert list(got.columns) == ["id", "plan", "tenure", "usage", "prediction"]
    assert got["prediction"].tolist() == expected(ws, "churn@production")
    versions = ws.tables.describe("scored").versions
    lineage = versions[0].sql
    assert f"sha256 {result.sha256}" in lineage and "version 1" in lineage
    # The lineage is a query giving the same rows through predict() with that exact version.
    again = ws.query(lineage + " ORDER BY id")
    assert again["prediction"].tolist() == got["prediction"].tolist()
    meta = pq.read_schema(ws.tables.path("scored")).metadata[scoring.METADATA_KEY]
    assert json.loads(meta)["sha256"] == result.sha256
    # The first version is still there, as written.
    assert ws.query("SELECT count(*) AS n FROM read_parquet($p)",
                    {"p": str(ws.tables.path("scored", 1))})["n"].tolist() == [10]


def test_probabilities_and_a_regressor(ws):
    result = ws.scoring.score("SELECT * FROM customers", "churn", into="scored_p",
                              column="churn", probabilities=True)
    got = ws.query("SELECT * FROM scored_p ORDER BY id")
    assert {"churn", "churn_no", "churn_yes"} <= set(got.columns)
    assert ((got["churn_no"] + got["churn_yes"]) - 1).abs().max() < 1e-9
    assert result.rows == 5000
    ws.scoring.score("SELECT id, usage, tenure, plan FROM customers", "spend", into="spent",
                     column="spend")
    spent = ws.query("SELECT spend FROM spent ORDER BY id")["spend"].tolist()
    assert spent == pytest.approx(expected(ws, "spend"))


def test_bad_input_says_what_to_fix_and_writes_nothing(ws):
    with pytest.raises(NotFoundError):
        ws.scoring.score("SELECT * FROM customers", "nope", into="never")
    with pytest.raises(SignatureError) as caught:
        ws.scoring.score("SELECT id, plan FROM customers", "churn", into="never")
    assert caught.value.status == 422 and set(caught.value.missing) == {"usage", "tenure"}
    with pytest.raises(InvalidRequestError, match="already has a column 'plan'"):
        ws.scoring.score("SELECT * FROM customers", "churn", into="never", column="plan")
    with pytest.raises(InvalidRequestError, match="one SELECT"):
        ws.scoring.score("SELECT 1; SELECT * FROM customers", "churn", into="never")
    assert "never" not in ws.tables.names()


def test_the_query_runs_once_and_progress_ends_exact(ws, monkeypatch):
    """The query is not run a second time to count its rows: a function with a side effect in
    it is called once per row. Progress totals are the planner's estimate until the last call,
    which gives the exact count."""
    calls = []

    def counted(value: int) -> int:
        calls.append(value)
        return value

    ws.engine._con.create_function("counted", counted, ["BIGINT"], "BIGINT", side_effects=True)
    monkeypatch.setattr(scoring, "PROGRESS_AFTER_SECONDS", 0.0)
    told = []
    result = ws.scoring.score(
        "SELECT id, plan, tenure, usage FROM customers WHERE counted(id) % 2 = 0",
        "churn", into="scored_once", progress=lambda done, total: told.append((done, total)))
    assert result.rows == 2500
    assert sorted(calls) == list(range(5000)), "each row filtered once"
    assert told[-1] == (2500, 2500) and all(done <= total for done, total in told)


def test_a_bad_query_names_its_line_and_column(ws):
    sql = "SELECT *\nFROM customers\nWHERE nope > 1"
    with pytest.raises(QueryError) as caught:
        ws.scoring.score(sql, "churn", into="never_bad")
    assert (caught.value.line, caught.value.column) == (3, 7) and "nope" in caught.value.message
    assert "never_bad" not in ws.tables.names()
