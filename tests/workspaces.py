"""Workspaces with real training runs, built once per test session and copied per test.

A training run is a real fit in its own process (10-30 s on a busy CI machine). Many tests need
one only as a starting point (to publish, serve, score), so each kind is trained once per
session into a template workspace, closed, and then copied as a directory into each test's own
temp folder: a workspace is one relocatable directory (ARCHITECTURE.md section 2), so the copy
is a separate workspace with the same tables, runs and artifacts, and tests never share state.

    def test_x(workspace_templates, tmp_path):
        run_id = workspace_templates.copy("churn", tmp_path / ".mlworkbench")["run_id"]
        ws = Workspace.open(tmp_path / ".mlworkbench", root_dir=tmp_path)

The templates hold saved queries and runs only, no source registered by file path, so a copy
opened with another Jupyter root reads them all.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from mlworkbench.core import Workspace

#: A small binary problem: two informative numbers and a category; the target is text.
CHURN = """
    SELECT (i * 37 % 101) / 10.0 AS usage, (i * 53 % 97) AS tenure,
           ['basic', 'plus', 'pro'][i % 3 + 1] AS plan,
           CASE WHEN (i * 37 % 101) + (i * 53 % 97) > 100 THEN 'yes' ELSE 'no' END AS churned
    FROM range(240) t(i)
"""
ROWS = pd.DataFrame({"plan": ["pro", "basic"], "usage": [9.5, 0.5], "tenure": [90, 3]})
#: The churn problem with a numeric target too. usage in [0, 10], tenure in [0, 96]: a model
#: handed one for the other predicts differently.
SPEND_CHURN = """
    SELECT (i * 37 % 101) / 10.0 AS usage, (i * 53 % 97) AS tenure,
           ['basic', 'plus', 'pro'][i % 3 + 1] AS plan,
           CASE WHEN (i * 37 % 101) + (i * 53 % 97) > 100 THEN 'yes' ELSE 'no' END AS churned,
           (i * 37 % 101) / 5.0 + (i * 53 % 97) AS spend
    FROM range(240) t(i)
"""
FEATURES = ["usage", "tenure", "plan"]
#: Scoring rows: the columns in another order than the signature's, and one more.
CUSTOMERS = """
    SELECT i AS id, ['basic', 'plus', 'pro'][i % 3 + 1] AS plan, (i * 7 % 97) AS tenure,
           (i * 13 % 101) / 10.0 AS usage
    FROM range(5000) t(i)
"""


def train(ws: Workspace, sql: str, target: str, experiment: str) -> int:
    """A finished training run (budget 1 s, two trials) of ``sql``: its id."""
    run_id = ws.training.start(sql=sql, target=target, budget_s=1, max_trials=2,
                               experiment=experiment)
    described = ws.training.wait(run_id)
    assert described.status == "finished", described.error
    return run_id


def train_churn(ws: Workspace) -> int:
    """A finished training run on a 'churn' table (saved when missing): its id."""
    if "churn" not in {t.name for t in ws.catalog.describe().tables}:
        ws.tables.save_query("churn", CHURN)
    return train(ws, "SELECT * FROM churn", "churned", "churn")


def build_churn(ws: Workspace) -> dict[str, Any]:
    """Template 'churn': the churn table and one finished run on it (``run_id``)."""
    return {"run_id": train_churn(ws)}


def build_predicting(ws: Workspace) -> dict[str, Any]:
    """Template 'predicting': a classifier 'churn' (aliased production) and a regressor 'spend'
    published from runs on a 'churn' table, and a 'customers' table to score (see
    tests/core/test_serving_sql_predict.py)."""
    ws.tables.save_query("churn", SPEND_CHURN)
    ws.tables.save_query("customers", CUSTOMERS)
    for target, name in (("churned", "churn"), ("spend", "spend")):
        run_id = train(ws, f"SELECT {', '.join(FEATURES)}, {target} FROM churn", target, name)
        ws.registry.publish(run_id, name)
    ws.registry.set_alias("churn", "production", 1)
    return {}


#: Template builders by name: each gets an open, empty workspace and returns the facts the
#: tests need (JSON-safe), kept beside the template.
BUILDERS: dict[str, Callable[[Workspace], dict[str, Any]]] = {"churn": build_churn,
                                                                 "predicting": build_predicting}


class WorkspaceTemplates:
    """Template workspaces under ``folder``, each built on first use (once per session)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def copy(self, name: str, target: Path) -> dict[str, Any]:
        """Copy template ``name`` (built now if it is the first use) to the workspace directory
        ``target`` (created; may exist empty). Returns the builder's facts."""
        template, facts = self._built(name)
        shutil.copytree(template, target, dirs_exist_ok=True)
        return facts

    def facts(self, name: str) -> dict[str, Any]:
        """The builder's facts of template ``name`` (built now if it is the first use)."""
        return self._built(name)[1]

    def _built(self, name: str) -> tuple[Path, dict[str, Any]]:
        root = self.folder / name
        path, facts_file = root / ".mlworkbench", root / "facts.json"
        with self._lock:
            if not facts_file.exists():
                shutil.rmtree(root, ignore_errors=True)
                root.mkdir(parents=True)
                with Workspace.open(path, root_dir=root, memory_limit="1GB") as ws:
                    facts = BUILDERS[name](ws)
                facts_file.write_text(json.dumps(facts))
        return path, json.loads(facts_file.read_text())
