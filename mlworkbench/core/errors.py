"""The one root error and its subclasses.

Each subclass carries its data and its HTTP status; the server's base handler maps any
``WorkbenchError`` to ``{"message", "code", "detail"}`` once, so no handler formats errors itself.
Messages name the thing and the fix.
"""

from __future__ import annotations

from typing import Any


class WorkbenchError(Exception):
    """Root of every error mlworkbench raises on purpose."""

    status: int = 400
    code: str = "workbench_error"

    def __init__(self, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail: dict[str, Any] = {k: v for k, v in detail.items() if v is not None}


class QueryError(WorkbenchError):
    """DuckDB refused a statement. ``line`` and ``column`` are 1-based, relative to the whole
    text the user sent (not to the one statement)."""

    status = 400
    code = "query_error"

    def __init__(
        self, message: str, *, sql: str, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message, sql=sql, line=line, column=column)
        self.sql = sql
        self.line = line
        self.column = column


class QueryCancelledError(WorkbenchError):
    """The user stopped the query."""

    status = 409
    code = "cancelled"


class NotFoundError(WorkbenchError):
    """A named thing (a table, a source, a file, a result) does not exist."""

    status = 404
    code = "not_found"

    def __init__(self, kind: str, name: str, message: str | None = None, **detail: Any) -> None:
        super().__init__(message or f"No {kind} named '{name}'.", kind=kind, name=name, **detail)
        self.kind = kind
        self.name = name


class InvalidRequestError(WorkbenchError):
    """A request field is wrong; ``field`` names it and the message says what would be right."""

    status = 422
    code = "invalid_request"

    def __init__(self, field: str, reason: str, **detail: Any) -> None:
        super().__init__(reason, field=field, **detail)
        self.field = field


class BadRequestError(InvalidRequestError):
    """A request that cannot be understood as sent: a name with a path in it, a file type
    nobody reads. ``field`` names it and the message says what is accepted."""

    status = 400
    code = "bad_request"


class UnsupportedError(WorkbenchError):
    """Something mlworkbench cannot do here (a file type, a DuckDB extension not in the wheel)."""

    status = 415
    code = "unsupported"


class ForbiddenPathError(WorkbenchError):
    """A path outside the directories the workbench may read."""

    status = 403
    code = "forbidden_path"


class ConflictError(WorkbenchError):
    """The name is taken; pass ``overwrite`` to write a new version instead."""

    status = 409
    code = "conflict"


class LimitError(WorkbenchError):
    """A configured limit (open results, memory) was reached."""

    status = 429
    code = "limit_reached"


class IncompatibleKeysError(InvalidRequestError):
    """Two join keys whose types do not compare; the message suggests the CAST that would."""

    code = "incompatible_types"


class LabelStudioError(WorkbenchError):
    """Label Studio answered a call with an error (the call and its status in the message)."""

    status = 502
    code = "labelstudio_error"


class StudioUnreachableError(LabelStudioError):
    """Label Studio did not answer (down, wrong URL, network)."""

    code = "labelstudio_unreachable"


class StudioKeyRefusedError(LabelStudioError):
    """Label Studio refused the API key."""

    code = "labelstudio_key_refused"


class TrainingDataError(InvalidRequestError):
    """The data cannot be trained on as given; ``field`` names the request field to change
    (``target``, ``features``, ``folds``) and the message says how."""

    code = "invalid_training_data"


class TargetMissingError(TrainingDataError):
    """The target column is not in the data, or every row of it is null."""

    code = "target_missing"

    def __init__(self, target: str, reason: str, **detail: Any) -> None:
        super().__init__("target", reason, target=target, **detail)
        self.target = target


class SingleClassError(TrainingDataError):
    """A classification target with one distinct value: there is nothing to tell apart."""

    code = "single_class"

    def __init__(self, target: str, value: Any, reason: str) -> None:
        super().__init__("target", reason, target=target, value=value)
        self.target = target
        self.value = value


class RareClassError(TrainingDataError):
    """A class with too few rows to appear in both the training and the held-out split."""

    code = "rare_class"

    def __init__(self, target: str, value: Any, rows: int, reason: str) -> None:
        super().__init__("target", reason, target=target, value=value, rows=rows)
        self.target = target
        self.value = value
        self.rows = rows


class TooFewRowsError(TrainingDataError):
    """Fewer training rows than cross-validation folds."""

    code = "too_few_rows"

    def __init__(self, rows: int, folds: int, reason: str) -> None:
        super().__init__("folds", reason, rows=rows, folds=folds)
        self.rows = rows
        self.folds = folds


class ColumnTypeError(TrainingDataError):
    """A column whose values cannot be trained on: unhashable (lists, dicts) or of mixed
    Python types; ``column`` names it."""

    code = "unsupported_column_type"

    def __init__(self, column: str, reason: str, *, field: str = "features", **detail: Any) -> None:
        super().__init__(field, reason, column=column, **detail)
        self.column = column
