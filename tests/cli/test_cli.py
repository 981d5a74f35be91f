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


def test_a_query_prints_a_table_with_nulls_named(root):
    result = run("sql", "SELECT 1 AS id, NULL AS note, 'x' AS s")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == ["id | note | s", "---+------+--", "1  | NULL | x"]


def test_bad_sql_prints_the_line_and_exits_non_zero(root):
    result = run("sql", "SELECT 1;\nSELEC 2")
    assert result.exit_code == 2
    assert "line 2" in result.output


def test_a_missing_file_names_the_path(root):
    result = run("sources", "add", "nope.csv")
    assert result.exit_code == 2
    assert "nope.csv" in result.output


def test_a_query_run_from_the_shell_is_in_the_history_as_cli(root):
    from mlworkbench.core import Workspace

    assert run("sql", "SELECT 41 + 1 AS answer").exit_code == 0
    with Workspace.open(root / ".mlworkbench", root_dir=root) as ws:
        entry = ws.history.list().entries[0]
    assert (entry.sql, entry.source.value, entry.status.value, entry.rows) == (
        "SELECT 41 + 1 AS answer", "cli", "ok", 1
    )


def test_saved_queries_from_the_shell(root):
    (root / "report.sql").write_text("SELECT count(*) FROM items")
    saved = run("queries", "save", "report", "-f", "report.sql", "--title", "Items")
    assert saved.exit_code == 0, saved.output
    assert run("queries", "list").output == "report\tItems\n"
    assert run("queries", "show", "report").output == "-- title: Items\nSELECT count(*) FROM items"
    again = run("queries", "save", "report", "SELECT 1")
    assert again.exit_code == 2 and "overwrite" in again.output
    bad = run("queries", "save", "../escape", "SELECT 1")
    assert bad.exit_code == 2 and "letters, digits" in bad.output
    assert run("queries", "delete", "report").exit_code == 0
    assert run("queries", "list").output == ""


def test_import_a_file_from_the_shell(root):
    (root / "people.csv").write_text("id,name\n1,ann\n2,bob\n")
    done = run("import", "people.csv", "--table", "folks")
    assert done.exit_code == 0, done.output
    assert "table 'folks' version 1 (2 rows, 2 columns)" in done.output
    assert "folks\tv1\t2 rows" in run("tables", "list").output
    (root / "ragged.csv").write_text("a,b\n1,2\n3\n")
    failed = run("import", "ragged.csv")
    assert failed.exit_code == 2 and "Line 3" in failed.output
    skipped = run("import", "ragged.csv", "--ignore-errors")
    assert skipped.exit_code == 0 and "Skipped 1 lines" in skipped.output


def test_profile_a_table_from_the_shell(root):
    assert run("sources", "add", "items.parquet").exit_code == 0
    result = run("profile", "items")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Profile of items: 10 rows")
    assert "distinct 3" in result.output
    as_json = run("profile", "items", "--column", "k", "--json")
    assert json.loads(as_json.output)["columns"][0]["name"] == "k"
    missing = CliRunner().invoke(main, ["profile", "itemz"])
    assert missing.exit_code == 2 and "Did you mean 'items'?" in missing.output


CUSTOMERS = """SELECT i AS customer_id, (i * 37 % 100) / 10.0 AS tenure, i * 53 % 17 AS calls,
       (i * 37 % 100) / 10.0 - (i * 53 % 17) / 2.0 < 2 AS churned FROM range(200) t(i)"""


def test_train_from_the_shell_prints_the_leaderboard_and_lists_the_run(root):
    assert run("sql", CUSTOMERS, "--save", "customers").exit_code == 0
    done = run("train", "customers", "--target", "churned", "--budget", "1s",
               "--experiment", "churn")
    assert done.exit_code == 0, done.output
    out = done.stdout
    assert out.startswith("Training run 1: finished · binary on 'churned'")
    assert "Leaderboard (roc_auc" in out and "Held-out metrics" in out and "roc_auc" in out
    assert "run 1" in done.stderr  # the progress bar

    listed = run("runs")
    assert listed.exit_code == 0
    row = listed.stdout.splitlines()[2].split(" | ")
    assert [c.strip() for c in row[:3]] == ["1", "churn", "finished"]
    assert json.loads(run("runs", "--json").stdout)["runs"][0]["status"] == "finished"
    shown = run("runs", "show", "1", "--json")
    assert json.loads(shown.stdout)["result"]["leaderboard"]


def test_train_as_json(root):
    assert run("sql", CUSTOMERS, "--save", "customers").exit_code == 0
    done = run("train", "SELECT tenure, calls, churned FROM customers", "--target", "churned",
               "--budget", "0", "--features", "tenure,calls", "--json")
    assert done.exit_code == 0, done.output
    described = json.loads(done.stdout)
    assert described["status"] == "finished"
    assert described["result"]["features"] == ["tenure", "calls"]
    assert {"roc", "confusion_matrix"} <= set(described["result"]["charts"])


def test_train_refit_all_refits_the_best_on_every_row(root):
    assert run("sql", CUSTOMERS, "--save", "customers").exit_code == 0
    done = run("train", "customers", "--target", "churned", "--budget", "0", "--refit-all")
    assert done.exit_code == 0, done.output
    assert "refitted on all 200 rows" in done.stdout
    described = json.loads(run("runs", "show", "1", "--json").stdout)
    assert described["params"]["refit_all"] is True
    assert described["result"]["refit_all"] is True
    assert described["result"]["rows"]["refit"] == 200


def test_train_with_bad_input_says_what_to_fix_and_exits_2(root):
    assert run("sql", CUSTOMERS, "--save", "customers").exit_code == 0
    budget = run("train", "customers", "--target", "churned", "--budget", "soon")
    assert budget.exit_code == 2 and "'soon' is not a duration" in budget.output
    target = run("train", "customers", "--target", "churnd", "--budget", "1s")
    assert target.exit_code == 2 and "churnd" in target.output
    missing = run("runs", "show", "7")
    assert missing.exit_code == 2 and "No run with id 7" in missing.output
    one_row_class = ("SELECT tenure, CASE WHEN customer_id = 0 THEN 'rare' "
                     "ELSE churned::VARCHAR END AS churned FROM customers")
    refused = run("train", one_row_class, "--target", "churned", "--budget", "1")
    assert refused.exit_code == 2
    assert "Training run 1: failed" in refused.stderr
    assert "Class 'rare' of the target 'churned' has only 1 row" in refused.stderr


def test_ctrl_c_stops_training_and_keeps_the_best_model(root):
    import signal
    import subprocess
    import sys

    assert run("sql", CUSTOMERS, "--save", "customers").exit_code == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "mlworkbench.cli", "train", "customers", "--target", "churned",
         "--budget", "10m"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    progress = []
    for line in process.stderr:  # a line per change of phase, trials or best score
        progress.append(line)
        if "1 trial" in line:
            process.send_signal(signal.SIGINT)
            break
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert progress[0].startswith("run 1: ")
    assert "Stopping: keeping the best model" in err
    assert out.startswith("Training run 1: stopped")
    assert "Leaderboard" in out and "Held-out metrics" in out
