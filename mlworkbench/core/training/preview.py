"""What training on a query would see, read cheaply: ``preview()`` for the panel's form, and
``check_request()``, the checks a training request passes before its process is started.

Both bind the query once (a SQL error names its line and column) and count its rows in SQL;
the feature report reads at most ``sample_rows`` rows, a reservoir sample taken by DuckDB when
the query has more, so a preview of a 100-million-row table reads a few thousand rows.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, get_args

import pandas as pd

from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.data.relations import Relation, resolve_sql
from mlworkbench.core.errors import (
    ColumnTypeError,
    InvalidRequestError,
    SingleClassError,
    TargetMissingError,
    TrainingDataError,
)
from mlworkbench.schemas.training import (
    DescribeTrainingPreview,
    MetricChoice,
    PreviewTrainingRequest,
    TrainModelRequest,
    TaskKind,
    TrainingColumn,
)

#: Rows of the target read to infer the task when starting a run.
TARGET_SAMPLE = 5000


@dataclass
class _Source:
    """A bound query: its FROM item, its columns and its row count."""

    relation: Relation
    rows: int

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.relation.columns]


def _bind(cursor: Any, sql: str) -> _Source:
    relation = resolve_sql(cursor, sql)
    rows = cursor.execute(f"SELECT count(*) FROM {relation.sql}").fetchone()[0]
    return _Source(relation, int(rows))


def _sample(cursor: Any, source: _Source, rows: int, where: str = "",
            columns: str = "*") -> pd.DataFrame:
    """At most ``rows`` rows of the query (a repeatable reservoir sample when it has more),
    of those that pass ``where``."""
    sample = (f" USING SAMPLE reservoir({int(rows)} ROWS) REPEATABLE (0)"
              if source.rows > rows else "")
    query = f"SELECT {columns} FROM {source.relation.sql}"
    if where and sample:  # DuckDB samples the FROM item before WHERE: filter first
        query = f"SELECT * FROM ({query}{where}) AS mlwb_known"
    elif where:
        query += where
    return cursor.execute(query + sample).df()


def _did_you_mean(name: str, names: list[str]) -> str:
    near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f" Did you mean '{near[0]}'?" if near else ""


def _check_target(source: _Source, target: str) -> None:
    if target not in source.names:
        hint = _did_you_mean(target, source.names)
        raise TargetMissingError(target, f"The query has no column '{target}' to use as the "
                                         f"target.{hint} Pick one of its columns.",
                                 columns=source.names[:50])


def _known_targets(cursor: Any, source: _Source, target: str, rows: int) -> pd.Series:
    """A sample of the target's non-null values."""
    column = quote(target)
    frame = _sample(cursor, source, rows, where=f" WHERE {column} IS NOT NULL",
                    columns=column)
    return frame[target]


def _check_values(cursor: Any, source: _Source, target: str, features: list[str]) -> None:
    """Refuse a target or chosen feature whose values cannot be trained on (lists, structs,
    maps: DuckDB types them, so a few rows tell)."""
    from mlworkbench.core.training.features import value_problem

    columns = [target, *features]
    frame = _sample(cursor, source, 200, columns=", ".join(quote(c) for c in columns))
    for name in columns:
        problem = value_problem(frame[name])
        if problem:
            field = "target" if name == target else "features"
            what = "The target" if name == target else "Column"
            raise ColumnTypeError(name, f"{what} '{name}' {problem}.", field=field)


def _target_counts(cursor: Any, source: _Source, target: str) -> tuple[int, int]:
    """Rows with a target, and its distinct values, over the whole query."""
    column = quote(target)
    known, distinct = cursor.execute(
        f"SELECT count({column}), count(DISTINCT {column}) FROM {source.relation.sql}"
    ).fetchone()
    return int(known), int(distinct)


def _all_null(target: str, rows: int) -> str:
    return (f"The target '{target}' is null in all {rows:,} rows; pick a column with values, "
            "or label some rows first.")


def _one_value(target: str, known: int) -> str:
    return (f"The target '{target}' has one value only (in all {known:,} rows with a target): "
            "a model needs at least two. Add rows of another class, or pick another target.")


def _metric_choices(task: str | None) -> list[MetricChoice]:
    from mlworkbench.core.training.metrics import METRICS

    return [MetricChoice(name=m.name, label=m.label, greater_is_better=m.greater_is_better)
            for m in METRICS.values() if task is None or task in m.tasks]


def _metrics_by_task() -> dict[str, list[MetricChoice]]:
    return {task: _metric_choices(task) for task in get_args(TaskKind)}


def preview(engine: Engine, request: PreviewTrainingRequest) -> DescribeTrainingPreview:
    """The columns of ``request.sql`` as training would see them.

    Args:
        engine: The process's DuckDB.
        request: The query, the target (optional) and the sample size.

    Returns:
        Column kinds and flags with reasons, the default features, the inferred task, the
        metrics valid for it and its default (and those of every task, for an override), the
        query's row count; ``problem`` says why
        training would be refused as it is (on a sample, only what the sample can tell).

    Raises:
        QueryError: The query does not bind (line and column point into it).
        InvalidRequestError: Not one SELECT.
        TargetMissingError: The target is not a column of the query.
    """
    from mlworkbench.core.training.features import report_features
    from mlworkbench.core.training.metrics import DEFAULT_METRIC
    from mlworkbench.core.training.task import infer_task, validate

    cursor = engine.cursor()
    try:
        source = _bind(cursor, request.sql)
        target = request.target
        if target is not None:
            _check_target(source, target)
        frame = _sample(cursor, source, request.sample_rows)
        sampled = source.rows > len(frame)
        report = report_features(frame, target or "")
        task, problem, distinct = request.task, None, None
        if target is not None:
            known, distinct = _target_counts(cursor, source, target)
            if known == 0:
                problem = _all_null(target, source.rows)
            else:
                y = _known_targets(cursor, source, target, request.sample_rows)
                task = task or infer_task(y)
                if distinct == 1:
                    problem = _one_value(target, known)
                elif not sampled:
                    problem = _problem(validate, frame, target, report.features, task)
    finally:
        cursor.close()
    note = (f"Column kinds and flags are from a random sample of {len(frame):,} of the "
            f"{source.rows:,} rows." if sampled else None)
    return DescribeTrainingPreview(
        sql=request.sql, target=target, rows=source.rows, sampled=sampled,
        sample_rows=len(frame), note=note, all_columns=source.names,
        columns=[TrainingColumn.model_validate(c.to_dict()) for c in report.columns],
        features=report.features, task=task, metrics=_metric_choices(task),
        default_metric=DEFAULT_METRIC.get(task) if task else None, problem=problem,
        target_distinct=distinct, metrics_by_task=_metrics_by_task(),
        default_metric_by_task=dict(DEFAULT_METRIC),
    )


def _problem(validate: Any, frame: pd.DataFrame, target: str, features: list[str],
             task: str | None) -> str | None:
    try:
        validate(frame, target, features, task=task)
    except InvalidRequestError as error:  # TrainingDataError included
        return error.message
    return None


def check_request(engine: Engine, request: TrainModelRequest) -> str:
    """Refuse a training request that cannot run, before its process starts: a query that does
    not bind, an unknown target, feature or slice column, a target or chosen feature of lists
    or structs, a target null in every row or with one value only, an unknown metric or one
    that does not fit the task. What only the whole data shows when read (a class of one row)
    fails the run with the reason.

    Returns:
        The task the run will have (given, or inferred from a sample of the target).

    Raises:
        QueryError: The query does not bind (line and column point into it).
        InvalidRequestError: A field names something the query does not have, or a metric
            that does not apply; ``field`` says which.
        TargetMissingError: The target is not a column, or is null in every row.
        SingleClassError: The target has one value only.
        ColumnTypeError: The target or a chosen feature holds lists, structs or maps.
    """
    from mlworkbench.core.training.metrics import METRICS, resolve_metric
    from mlworkbench.core.training.task import infer_task

    cursor = engine.cursor()
    try:
        source = _bind(cursor, request.sql)
        names = source.names
        _check_target(source, request.target)
        for field, columns in (("features", request.features or []),
                               ("slice_by", [request.slice_by] if request.slice_by else [])):
            missing = [c for c in columns if c not in names]
            if missing:
                hint = _did_you_mean(missing[0], names)
                raise InvalidRequestError(field, f"The query has no column '{missing[0]}'."
                                                 f"{hint} Pick columns of the query.",
                                          missing=missing)
        if request.features is not None:
            if not request.features:
                raise InvalidRequestError("features", "No feature columns: pick at least one "
                                                      "column besides the target.")
            if request.target in request.features:
                raise InvalidRequestError("features", f"The target '{request.target}' cannot "
                                                      "also be a feature; remove it.")
        _check_values(cursor, source, request.target, request.features or [])
        known, distinct = _target_counts(cursor, source, request.target)
        if known == 0:
            raise TargetMissingError(request.target, _all_null(request.target, source.rows))
        if distinct == 1:
            value = cursor.execute(f"SELECT any_value({quote(request.target)}) "
                                   f"FROM {source.relation.sql}").fetchone()[0]
            raise SingleClassError(request.target, value, _one_value(request.target, known))
        y = _known_targets(cursor, source, request.target, TARGET_SAMPLE)
    finally:
        cursor.close()
    try:
        task = request.task or infer_task(y)
    except TypeError as error:  # unhashable values: the training process says which
        raise TrainingDataError("target", f"The target '{request.target}' cannot be a "
                                          f"target: {error}.") from None
    if request.metric is not None:
        if request.metric not in METRICS:
            raise InvalidRequestError("metric", f"Unknown metric '{request.metric}'; use one of "
                                                f"{', '.join(METRICS)}.")
        resolve_metric(request.metric, task)
    return task
