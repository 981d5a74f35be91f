"""The model card written when a version is published: markdown the user edits afterwards.

It says what the model was trained on (the query, each table at its version with its rows, each
file with its hash), how it scored (a metrics table), which charts the run made, and leaves
"Intended use" and "Limitations" for the user to fill in.
"""

from __future__ import annotations

from typing import Any

from mlworkbench.training_view import score_text as _cell

PLACEHOLDER = "_To be written: "


def model_card(name: str, version: int, *, task: str | None, target: str | None,
               signature: dict[str, Any], lineage: dict[str, Any], metrics: dict[str, Any],
               charts: list[str], description: str | None = None) -> str:
    """The card's markdown.

    Args:
        name: The model's name.
        version: The version published.
        task: 'binary', 'multiclass' or 'regression'.
        target: The column it predicts.
        signature: ``Signature.to_dict()``.
        lineage: The run and what it read (see ``publish.lineage``).
        metrics: Held-out and cross-validated metrics.
        charts: Names of the run's charts.
        description: What the publisher said about it.

    >>> print(model_card("churn", 1, task="binary", target="churned", signature={"columns": []},
    ...                  lineage={"run_id": 3}, metrics={"roc_auc": 0.91}, charts=[])
    ...       .splitlines()[2])
    Predicts `churned` (binary); trained by run 3.
    """
    lines = [f"# {name}, version {version}", ""]
    lines.append(f"Predicts `{target}` ({task or 'task unknown'}); trained by run "
                 f"{lineage.get('run_id')}"
                 + (f" of experiment '{lineage['experiment']}'" if lineage.get("experiment")
                    else "") + ".")
    if description:
        lines += ["", description]
    lines += ["", "## Data", ""]
    sql = lineage.get("sql")
    lines += ["```sql", sql.strip(), "```", ""] if sql else ["The run was given data directly.",
                                                            ""]
    inputs = lineage.get("inputs") or []
    if inputs:
        lines += ["| Input | Kind | Version | Rows | sha256 |", "|---|---|---|---|---|"]
        for item in inputs:
            sha = item.get("sha256")
            lines.append(f"| {item.get('name') or item.get('path')} | {item.get('kind')} | "
                         f"{_cell(item.get('version'))} | {_cell(item.get('row_count'))} | "
                         f"{sha[:12] + '…' if sha else ''} |")
        lines.append("")
    rows = lineage.get("rows")
    if isinstance(rows, dict) and rows:
        lines += [", ".join(f"{k}: {v} rows" for k, v in rows.items()) + ".", ""]
    columns = signature.get("columns", [])
    if columns:
        lines += ["Input columns: " + ", ".join(f"`{c['name']}` ({c['type']})"
                                                for c in columns) + ".", ""]
    lines += ["## Metrics", ""]
    shown = {k: v for k, v in metrics.items() if v is None or isinstance(v, (int, float))}
    if shown:
        lines += ["| Metric | Value |", "|---|---|"]
        lines += [f"| {k} | {_cell(v)} |" for k, v in shown.items()]
    else:
        lines.append("No metrics were recorded.")
    lines += ["", "## Charts", ""]
    lines += [f"- {c}" for c in charts] if charts else ["The run made no charts."]
    lines += ["", "## Intended use", "", f"{PLACEHOLDER}who should use this model, for what "
              "decisions, and what it must not be used for._",
              "", "## Limitations", "", f"{PLACEHOLDER}where the data is thin or biased, known "
              "failure cases, and when to retrain._", ""]
    return "\n".join(lines)

