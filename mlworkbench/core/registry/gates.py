"""Alias gates: SQL boolean checks over a model version's evaluation metrics
(``"roc_auc >= 0.85"``, ``"balanced_accuracy > 0.7 AND f1 > 0.6"``).

Each check is evaluated by DuckDB over a one-row relation whose columns are the version's
numeric metrics, their values bound as parameters; one statement per check, so a failing
check is named on its own. The connection is a private in-memory DuckDB with external access
off: a check sees the metrics and nothing else (no files, no workspace tables). A metric that
is null (NaN when measured) makes a check that reads it unknown, which fails.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.errors import ConflictError, InvalidRequestError

MAX_CHECK = 1000


@dataclass(frozen=True)
class GateResult:
    """One check: ``passed`` (None: unknown, a metric it reads is null)."""

    check: str
    passed: bool | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class GateFailedError(ConflictError):
    """A gate refused an alias move; ``failed`` lists the checks, ``metrics`` the values."""

    code = "gate_failed"

    def __init__(self, what: str, results: list[GateResult], metrics: dict[str, Any]) -> None:
        failed = [r.check for r in results if not r.passed]
        read = {k: v for k, v in metrics.items() if any(k in c for c in failed)}
        values = ", ".join(f"{k} = {v}" for k, v in read.items()) or "no metric it names"
        super().__init__(
            f"{what}: the gate{'s' if len(failed) > 1 else ''} "
            + ", ".join(f"'{c}'" for c in failed) + f" failed ({values}); the alias did not move.",
            failed=failed, results=[r.to_dict() for r in results], metrics=metrics)
        self.failed = failed


def check_gates(checks: list[str]) -> list[str]:
    """The checks, stripped; refuses an empty or overlong one, or one that is several
    statements.

    Raises:
        InvalidRequestError: The check to fix and why.
    """
    out = []
    for check in checks:
        text = check.strip() if isinstance(check, str) else ""
        if not text or len(text) > MAX_CHECK:
            raise InvalidRequestError(
                "gates", f"A gate is a SQL condition on metrics (e.g. 'roc_auc >= 0.85') of at "
                         f"most {MAX_CHECK} characters, not {check!r}.")
        if ";" in text:
            raise InvalidRequestError("gates", f"A gate is one condition, without ';': {text!r}.")
        out.append(text)
    return out


def evaluate_gates(checks: list[str], metrics: dict[str, Any]) -> list[GateResult]:
    """Evaluate each check over the metrics.

    Args:
        checks: SQL boolean expressions naming metrics as columns.
        metrics: The version's metrics; values that are not numbers are left out.

    Returns:
        One result per check, in order.

    Raises:
        InvalidRequestError: A check DuckDB refuses (an unknown metric, a syntax error, not a
            boolean): DuckDB's message, with the metric names.
    """
    import duckdb

    numbers = {k: (None if v is None else float(v)) for k, v in metrics.items()
               if v is None or isinstance(v, (int, float))}
    names = list(numbers)
    columns = ", ".join(f"${i + 1}::DOUBLE AS {quote(n)}" for i, n in enumerate(names))
    relation = f"(SELECT {columns or '1 AS no_metrics'}) AS metrics"
    con = duckdb.connect(":memory:", config={"enable_external_access": False})
    try:
        results = []
        for check in check_gates(checks):
            try:
                row = con.execute(f"SELECT CAST(({check}) AS BOOLEAN) FROM {relation}",
                                  [numbers[n] for n in names]).fetchone()
            except duckdb.Error as error:
                raise InvalidRequestError(
                    "gates", f"The gate '{check}' is not a condition on the metrics: {error}. "
                             f"Metrics: {', '.join(names) or 'none'}.",
                    gate=check, metrics=names) from None
            results.append(GateResult(check, None if row[0] is None else bool(row[0])))
        return results
    finally:
        con.close()
