"""What the notebook (``mlwb.train``) and the command line (``mlworkbench train``) share about a
training run: its budget and data read from what a person types, waiting for it with Ctrl-C as
Stop, and how it reads: leaderboard and metrics as rows, charts as one Vega-Lite spec, summary as
HTML or plain text.

Imports neither IPython nor pandas at module level.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from typing import Any

from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.errors import InvalidRequestError

VEGALITE = "application/vnd.vegalite.v5+json"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: Chart order in the composed spec (others follow in their own order).
CHART_ORDER = ("confusion_matrix", "roc", "pr", "calibration", "residuals", "predicted_vs_actual",
               "importance", "slices")
#: Seconds between progress reports while waiting, at most.
TICK_S = 0.5
LEADERBOARD_COLUMNS = ("rank", "model", "score", "score_std", "rows", "folds", "fit_time_s",
                       "status", "params")
_UNITS = {"": 1, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
          "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
          "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600}
_PART = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)", re.IGNORECASE)
_SEARCHING = ("baseline", "search")
_NAME = re.compile(r"^[A-Za-z_][\w.]*$")
_SQL_START = re.compile(r"^(select|with|from|values|table)\b", re.IGNORECASE)


def parse_budget(budget: Any) -> float:
    """Seconds from a budget: a number of seconds, or text such as ``"60s"``, ``"2m"``,
    ``"1h"``, ``"1m30s"`` or ``"90"``.

    >>> parse_budget("2m"), parse_budget("1m30s"), parse_budget(45), parse_budget("0.5h")
    (120.0, 90.0, 45.0, 1800.0)

    Raises:
        InvalidRequestError: Not a duration, or a negative one.
    """
    hint = ("Give the budget in seconds (60) or as text with a unit: '90s', '2m', '1h', "
            "'1m30s'.")
    if isinstance(budget, bool):
        raise InvalidRequestError("budget", f"The budget {budget!r} is not a duration. {hint}")
    if isinstance(budget, (int, float)):
        seconds = float(budget)
    elif isinstance(budget, str) and budget.strip().startswith("-"):
        seconds = -1.0
    elif isinstance(budget, str) and budget.strip():
        seconds, position, text = 0.0, 0, budget.strip()
        while position < len(text):
            match = _PART.match(text, position)
            unit = match.group(2).lower() if match else None
            if match is None or unit not in _UNITS:
                raise InvalidRequestError("budget",
                                          f"The budget '{budget}' is not a duration. {hint}")
            seconds += float(match.group(1)) * _UNITS[unit]
            position = match.end()
    else:
        raise InvalidRequestError("budget", f"The budget {budget!r} is not a duration. {hint}")
    if not math.isfinite(seconds) or seconds < 0:
        raise InvalidRequestError("budget", f"The budget must be 0 or more seconds, not "
                                            f"{budget!r}. {hint}")
    return seconds


def train_request(**fields: Any) -> Any:
    """A ``TrainModelRequest`` of ``fields`` (``None`` values left to their defaults).

    Raises:
        InvalidRequestError: A field is out of range (the message names it as the user typed
            it: ``budget`` for ``budget_s``).
    """
    from pydantic import ValidationError

    from mlworkbench.schemas.training import TrainModelRequest

    try:
        return TrainModelRequest(**{k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:
        first = error.errors(include_url=False, include_context=False, include_input=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "request"
        shown = {"budget_s": "budget"}.get(field, field)
        raise InvalidRequestError(shown, f"Invalid {shown}: {first['msg']}.") from None


def text_sql(text: str) -> str:
    """The SELECT for what a person typed: a table or source name reads the whole table; any
    other text is taken as SQL.

    >>> text_sql("orders"), text_sql("SELECT 1")
    ('SELECT * FROM "orders"', 'SELECT 1')
    """
    text = text.strip()
    if not text:
        raise InvalidRequestError("sql", "Give the training data: a SELECT or a table name.")
    if _NAME.match(text) and not _SQL_START.match(text):
        return f"SELECT * FROM {quote(text) if '.' not in text else text}"
    return text


def follow(training: Any, run_id: int, on_progress: Callable[[Any], None] | None = None, *,
           on_stop: Callable[[], None] | None = None) -> Any:
    """Wait for a run to end, reporting its progress (at least every ``TICK_S``, so a display
    can count down between reports). The first interrupt (Ctrl-C, a kernel interrupt) asks the
    run to stop and waits for it to save its best model; a second one raises, leaving the run
    to stop in its own process.

    Returns:
        The run as it ended (``DescribeTrainingRun``).
    """
    def until_ended() -> Any:
        while True:
            try:
                return training.wait(run_id, on_progress=on_progress, timeout=TICK_S,
                                     stop_on_interrupt=False)
            except TimeoutError:
                continue  # the next wait reports the latest progress again: a tick

    # A run read as dead is read again by the experiment store (its process may have ended
    # the run just before exiting), so the ended run is taken as it reads.
    try:
        return until_ended()
    except KeyboardInterrupt:
        training.stop(run_id)
        if on_stop is not None:
            on_stop()
        return until_ended()


def error_text(error: Any) -> str | None:
    """The message of a run's error (an ``ErrorResponse``, a mapping or text)."""
    if error is None or isinstance(error, str):
        return error
    return _get(error, "message") or str(error)


def format_seconds(seconds: float | None) -> str:
    """``"45 s"``, ``"2 min 5 s"``, ``"1 h 2 min"``."""
    if seconds is None:
        return "?"
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def score_text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def progress_text(progress: Any, *, time_left: bool = True) -> str:
    """One line for the latest progress of a run: phase, trials, best score, time left (not
    once Stop was asked for: the search ends at its next check)."""
    if progress is None:
        return "starting"
    parts = [_get(progress, "phase") or "running"]
    trials = _get(progress, "trials_done")
    if trials:
        parts.append(f"{trials} trial{'s' if trials != 1 else ''}")
    best = _get(progress, "best_score")
    if best is not None:
        metric = _get(progress, "metric") or "score"
        model = _get(progress, "best_candidate")
        parts.append(f"best {metric} {score_text(best)}" + (f" ({model})" if model else ""))
    _, left = _clock(progress)
    if time_left and left is not None and _get(progress, "phase") in _SEARCHING:
        parts.append(f"{format_seconds(left)} left")
    return " · ".join(parts)


def progress_fraction(progress: Any, budget_s: float) -> float:
    """How far the run is, 0 to 1: elapsed over elapsed plus time left (else the budget)."""
    if progress is None:
        return 0.0
    if _get(progress, "phase") == "done":
        return 1.0
    elapsed, left = _clock(progress)
    total = elapsed + left if left is not None else float(budget_s or 0)
    return min(1.0, elapsed / total) if total > 0 else 0.0


def _clock(progress: Any) -> tuple[float, float | None]:
    """Seconds elapsed and left now: a report written during the search ages until the next
    one (after a trial), so the bar and the time left move between reports."""
    from datetime import datetime, timezone

    elapsed = float(_get(progress, "elapsed_s") or 0.0)
    left = _get(progress, "time_left_s")
    updated = _get(progress, "updated_at")
    if updated is not None and _get(progress, "phase") in _SEARCHING:
        if isinstance(updated, str):
            updated = datetime.fromisoformat(updated)
        age = max(0.0, (datetime.now(timezone.utc) - updated).total_seconds())
        elapsed += age
        left = None if left is None else max(0.0, float(left) - age)
    return elapsed, None if left is None else float(left)


def leaderboard_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The leaderboard as rows of :data:`LEADERBOARD_COLUMNS`, best first."""
    return [{
        "rank": rank,
        "model": trial.get("label") or trial.get("candidate"),
        "score": trial.get("score"),
        "score_std": trial.get("score_std"),
        "rows": trial.get("rows"),
        "folds": trial.get("folds_done"),
        "fit_time_s": trial.get("fit_time_s"),
        "status": trial.get("status"),
        "params": trial.get("params") or {},
    } for rank, trial in enumerate(result.get("leaderboard") or [], start=1)]


def charts_of(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every chart of a result by name, the per-slice chart included as ``slices``."""
    charts = dict(result.get("charts") or {})
    slices = result.get("slices") or {}
    if slices.get("chart") and "slices" not in charts:
        charts["slices"] = slices["chart"]
    order = {name: i for i, name in enumerate(CHART_ORDER)}
    return dict(sorted(charts.items(), key=lambda item: order.get(item[0], len(order))))


def composed_chart(charts: dict[str, dict[str, Any]], *, columns: int = 2,
                   title: str | None = None) -> dict[str, Any] | None:
    """The charts as one wrapped Vega-Lite concatenation (one output shows them all), each
    keeping its own data, scales and legends. None when there is no chart."""
    if not charts:
        return None
    parts = [{k: v for k, v in spec.items() if k != "$schema"} for spec in charts.values()]
    spec: dict[str, Any] = {
        "$schema": SCHEMA, "concat": parts, "columns": columns,
        "resolve": {"scale": {"x": "independent", "y": "independent",
                              "color": "independent"},
                    "legend": {"color": "independent"}},
        "spacing": 30,
    }
    if title:
        spec["title"] = title
    return spec


def summary_lines(run_id: Any, status: str, result: dict[str, Any] | None,
                  error: str | None = None) -> list[str]:
    """The run in a few plain-text lines (what the CLI prints and ``text/plain`` shows)."""
    lines = [f"Training run {run_id}: {status}"]
    if result:
        best = result.get("best") or {}
        lines[0] += (f" · {result.get('task')} on '{result.get('target')}' · best "
                     f"{best.get('label') or best.get('candidate')} ({result.get('metric')} "
                     f"{score_text(best.get('score'))} cross-validated)")
        if result.get("message"):
            lines.append(result["message"])
    error = error_text(error)
    if error and status != "finished" and error != (result or {}).get("message"):
        lines.append(error)
    return lines


def text_table(names: list[str], rows: list[list[Any]], *, width: int = 40,
               null: str = "") -> list[str]:
    """A plain-text table, columns cut at ``width`` (``mlworkbench sql`` prints its results
    with it too, ``null="NULL"``)."""
    cells = [[null if v is None else str(v) for v in row] for row in rows]
    widths = [min(width, max([len(n)] + [len(r[i]) for r in cells])) for i, n in enumerate(names)]
    out = [" | ".join(n[:w].ljust(w) for n, w in zip(names, widths)),
           "-+-".join("-" * w for w in widths)]
    out += [" | ".join(v[:w].ljust(w) for v, w in zip(row, widths)) for row in cells]
    return out


def result_text(run_id: Any, status: str, result: dict[str, Any] | None,
                error: str | None = None, *, top: int = 10) -> str:
    """Summary, leaderboard and held-out metrics as plain text."""
    lines = summary_lines(run_id, status, result, error)
    if result:
        board = leaderboard_rows(result)[:top]
        if board:
            lines += ["", f"Leaderboard ({result.get('metric')}, {result.get('folds')}-fold "
                          "cross-validation on the training split):"]
            lines += text_table(
                ["#", "model", "score", "± std", "fit time"],
                [[r["rank"], r["model"], score_text(r["score"]), score_text(r["score_std"]),
                  format_seconds(r["fit_time_s"])] for r in board])
        metrics = result.get("metrics") or {}
        if metrics:
            holdout = (result.get("rows") or {}).get("holdout")
            where = f" ({holdout} rows)" if holdout else ""
            lines += ["", f"Held-out metrics{where}:"]
            lines += text_table(["metric", "value"],
                                [[k, score_text(v)] for k, v in metrics.items() if k != "rows"])
        slices = result.get("slices") or {}
        if slices.get("rows"):
            metric = slices.get("metric")
            lines += ["", f"Held-out {metric} per {slices.get('column')}:"]
            lines += text_table(["slice", "rows", metric],
                                [[r.get("slice"), r.get("rows"), score_text(r.get(metric))]
                                 for r in slices["rows"]])
    return "\n".join(lines)


# -- HTML ------------------------------------------------------------------------------------
# Inline styles: JupyterLab drops <style> blocks from untrusted outputs (a reopened notebook)
# and right-aligns table cells unless a cell says otherwise.
_NOTE = ' style="color:var(--jp-ui-font-color2,#666)"'


def result_html(run_id: Any, status: str, result: dict[str, Any] | None,
                error: str | None = None, *, experiment: str | None = None,
                top: int = 10) -> str:
    """Summary, held-out metrics, leaderboard and flagged columns as one HTML block (the
    charts are displayed beside it as Vega-Lite)."""
    e = html.escape
    parts = ['<div class="mlwb-train">']
    where = f" · experiment {e(experiment)}" if experiment else ""
    parts.append(f"<div><b>Training run {e(str(run_id))}: {e(status)}</b>{where}</div>")
    error = error_text(error)
    if error and status != "finished" and error != (result or {}).get("message"):
        parts.append(f"<div{_NOTE}>{e(error)}</div>")
    if not result:
        parts.append("</div>")
        return "".join(parts)
    best = result.get("best") or {}
    rows = result.get("rows") or {}
    timings = result.get("timings") or {}
    parts.append(
        f"<div>{e(str(result.get('task')))} on <code>{e(str(result.get('target')))}</code> · "
        f"{len(result.get('features') or [])} features · {rows.get('train', '?')} training rows, "
        f"{rows.get('holdout', '?')} held out · best <b>{e(str(best.get('label')))}</b> "
        f"({e(str(result.get('metric')))} {e(score_text(best.get('score')))}) · "
        f"{e(format_seconds(timings.get('total_s')))}</div>")
    if result.get("message"):
        parts.append(f"<div{_NOTE}>{e(result['message'])}</div>")
    metrics = {k: v for k, v in (result.get("metrics") or {}).items() if k != "rows"}
    if metrics:
        parts.append("<h4>Held-out metrics</h4>")
        parts.append(_html_table(list(metrics), [[score_text(v) for v in metrics.values()]],
                                 numeric=set(range(len(metrics)))))
    board = leaderboard_rows(result)[:top]
    if board:
        parts.append(f"<h4>Leaderboard ({e(str(result.get('metric')))}, "
                     f"{result.get('folds')}-fold cross-validation)</h4>")
        parts.append(_html_table(
            ["#", "model", "score", "± std", "fit time", "params"],
            [[r["rank"], r["model"], score_text(r["score"]), score_text(r["score_std"]),
              format_seconds(r["fit_time_s"]), _params_text(r["params"])] for r in board],
            numeric={0, 2, 3, 4}))
    flagged = [c for c in (result.get("feature_report") or {}).get("columns", [])
               if c.get("flags") and c.get("name") not in (result.get("features") or [])]
    if flagged:
        parts.append("<h4>Columns left out</h4>")
        parts.append(_html_table(["column", "why"], [
            [c["name"], "; ".join(flag_reason(f) for f in c["flags"])] for c in flagged]))
    parts.append("</div>")
    return "".join(parts)


def _html_table(names: list[str], rows: list[list[Any]], numeric: set[int] = frozenset()) -> str:
    e = html.escape

    def align(i: int) -> str:
        return f' style="text-align:{"right" if i in numeric else "left"}"'

    head = "".join(f"<th{align(i)}>{e(str(n))}</th>" for i, n in enumerate(names))
    body = "".join(
        "<tr>" + "".join(f"<td{align(i)}>{e('' if v is None else str(v))}</td>"
                         for i, v in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _params_text(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={score_text(v)}" for k, v in params.items())


def flag_reason(flag: Any) -> str:
    """Why a column was left out, from one of its feature-report flags."""
    if isinstance(flag, dict):
        return str(flag.get("reason") or flag.get("code"))
    return str(flag)


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)
