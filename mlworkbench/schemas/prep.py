"""Data preparation: column profiles, join key suggestions and previews, transform SQL, and
the cost preview of a query.

Table names in these requests are written as the catalog lists them (``DescribeTable.name``:
``orders``, ``shop.customers``, ``"order items"``); a plain name that needs quoting
(``order items``) is accepted too.
"""

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from mlworkbench.schemas._base import Model
from mlworkbench.schemas.catalog import ColumnInfo
from mlworkbench.schemas.queries import Cell

# -- profiles -------------------------------------------------------------------------------


class ProfileRequest(Model):
    """Profile a table, a result session or a SELECT: give exactly one of the three."""

    table: str | None = Field(default=None, description="A source or workspace table name")
    session_id: str | None = Field(default=None, description="A result session (the whole result)")
    sql: str | None = Field(default=None, description="One SELECT-like statement")
    columns: list[str] | None = Field(
        default=None, description="Profile only these columns (default: all)"
    )
    sample_threshold: int = Field(
        default=5_000_000, ge=1, description="Inputs with more rows than this are sampled"
    )
    sample_rows: int = Field(default=1_000_000, ge=1_000, description="Rows in the sample")
    exact_distinct_rows: int = Field(
        default=1_000_000,
        ge=0,
        description="Distinct counts are exact up to this many rows, approximate (HyperLogLog) above",
    )
    top_k: int = Field(default=10, ge=1, le=100, description="Top values per column")
    bins: int = Field(default=20, ge=1, le=200, description="Histogram bins of numeric columns")
    charts: bool = Field(default=True, description="Include a Vega-Lite v5 spec per column")

    @model_validator(mode="after")
    def _one_input(self) -> "ProfileRequest":
        given = [n for n in ("table", "session_id", "sql") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'table', 'session_id' or 'sql'")
        return self


class ColumnKind(str, Enum):
    """How a column is profiled: its statistics and its chart depend on it."""

    numeric = "numeric"
    temporal = "temporal"
    text = "text"
    boolean = "boolean"
    other = "other"  # nested or unsupported: listed, not profiled


class ValueCount(Model):
    """One of a column's most frequent values (as text; None for NULL) and its count."""

    value: str | None
    count: int


class HistogramBin(Model):
    """One bar of a histogram: ``[start, end)`` (numbers, or ISO dates for temporal columns)."""

    start: float | str
    end: float | str
    count: int


class ColumnProfile(Model):
    """Statistics of one column (over the sample when the profile is sampled)."""

    name: str
    type: str = Field(description="DuckDB's type")
    kind: ColumnKind
    profiled: bool = True
    reason: str | None = Field(default=None, description="Why the column was not profiled")
    count: int = Field(default=0, description="Non-null values")
    null_count: int = 0
    null_share: float = Field(default=0.0, description="Share of rows that are NULL (0-1)")
    distinct: int | None = None
    distinct_approximate: bool = False
    min: Cell = None
    max: Cell = None
    mean: float | None = None
    std: float | None = None
    quantiles: dict[str, float] | None = Field(
        default=None, description="Numeric columns: p25, p50 and p75 (approximate)"
    )
    top_values: list[ValueCount] = []
    histogram: list[HistogramBin] = []
    histogram_unit: str | None = Field(
        default=None, description="Temporal columns: the period of each bar (day, month, ...)"
    )
    chart: dict[str, Any] | None = Field(default=None, description="A Vega-Lite v5 spec")


class DescribeProfile(Model):
    """A profile of every column of a table, result or query."""

    source: str = Field(description="What was profiled, as SQL (a name or a subquery)")
    total_rows: int
    sampled: bool
    sample_rows: int | None = Field(default=None, description="Rows in the sample, when sampled")
    columns: list[ColumnProfile]
    elapsed_ms: float


# -- joins ----------------------------------------------------------------------------------


class Cardinality(str, Enum):
    one_to_one = "one-to-one"
    many_to_one = "many-to-one"
    one_to_many = "one-to-many"
    many_to_many = "many-to-many"


class SuggestJoinsRequest(Model):
    """Suggest join keys between two or more tables."""

    tables: list[str] = Field(min_length=2, max_length=8)
    sample_rows: int = Field(
        default=100_000, ge=100, description="Left keys sampled to measure the match rate"
    )
    limit: int = Field(default=10, ge=1, le=100)


class JoinSuggestion(Model):
    """A candidate key pair, ranked by ``score``."""

    left_table: str
    left_column: str
    left_type: str
    right_table: str
    right_column: str
    right_type: str
    reason: str = Field(description="Why the names match, in words")
    match_rate: float | None = Field(
        default=None, description="Share of (sampled) left keys found on the right (0-1)"
    )
    left_unique: bool | None = None
    right_unique: bool | None = None
    cardinality: Cardinality | None = None
    compatible: bool = Field(description="Whether the types compare without a CAST")
    score: float
    condition: str = Field(description="The ON condition, as SQL")


class JoinSuggestions(Model):
    suggestions: list[JoinSuggestion]
    elapsed_ms: float


class JoinType(str, Enum):
    inner = "inner"
    left = "left"
    right = "right"
    full = "full"


class JoinKeyPair(Model):
    """``<left_table>.<left_column> = <this join's table>.<right_column>``."""

    left_table: str = Field(description="A table joined earlier (or the base table)")
    left_column: str
    right_column: str


class JoinClause(Model):
    table: str
    how: JoinType = JoinType.inner
    on: list[JoinKeyPair] = Field(min_length=1)


class SelectedColumn(Model):
    table: str
    column: str
    alias: str | None = None


class JoinSpec(Model):
    """The base table, the tables joined to it in order, and the columns to keep (default:
    every column, names that clash prefixed with their table)."""

    base: str
    joins: list[JoinClause] = Field(min_length=1)
    columns: list[SelectedColumn] = []


class PreviewJoinRequest(Model):
    spec: JoinSpec
    limit: int = Field(default=20, ge=0, le=1_000)
    exact_count_rows: int = Field(
        default=5_000_000, ge=0, description="Count exactly when the inputs hold fewer rows"
    )


class JoinPreview(Model):
    """The join's SQL, its first rows and how many rows it would give."""

    sql: str
    columns: list[ColumnInfo]
    rows: list[list[Cell]]
    estimated_rows: int | None = Field(description="DuckDB's estimate (EXPLAIN)")
    exact_rows: int | None = Field(default=None, description="Counted, when the inputs are small")
    warnings: list[str] = []
    elapsed_ms: float


# -- transforms -----------------------------------------------------------------------------

FilterOp = Literal["=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "is null",
                   "is not null", "between"]


class FilterTransform(Model):
    """Keep rows where ``column op value`` (or where the raw ``expression`` holds)."""

    kind: Literal["filter"] = "filter"
    column: str | None = None
    op: FilterOp = "="
    value: Cell | list[Cell] = None
    expression: str | None = Field(default=None, description="A SQL condition, used as is")


class DeriveTransform(Model):
    """Add (or replace) a column computed by a SQL expression."""

    kind: Literal["derive"] = "derive"
    name: str = Field(min_length=1)
    expression: str = Field(min_length=1)
    replace: bool = Field(default=False, description="Replace the column of that name")


class CastTransform(Model):
    kind: Literal["cast"] = "cast"
    column: str
    to_type: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_ ,()\[\]]*$", description="A DuckDB type")
    try_cast: bool = Field(default=False, description="NULL instead of an error on bad values")


class DropDuplicatesTransform(Model):
    kind: Literal["drop_duplicates"] = "drop_duplicates"
    columns: list[str] = Field(default=[], description="Key columns (default: whole rows)")
    order_by: str | None = Field(default=None, description="Which row of a key to keep: first")
    descending: bool = False


class FillNullsTransform(Model):
    kind: Literal["fill_nulls"] = "fill_nulls"
    columns: list[str] = Field(min_length=1)
    strategy: Literal["value", "mean", "median", "mode"] = "value"
    value: Cell = None


Transform = Annotated[
    FilterTransform | DeriveTransform | CastTransform | DropDuplicatesTransform
    | FillNullsTransform,
    Field(discriminator="kind"),
]


class TransformSqlRequest(Model):
    """Write the SELECT that applies one transform to a table or to a query."""

    table: str | None = None
    sql: str | None = Field(default=None, description="A SELECT to transform (wrapped as a subquery)")
    transform: Transform

    @model_validator(mode="after")
    def _one_input(self) -> "TransformSqlRequest":
        if (self.table is None) == (self.sql is None):
            raise ValueError("give exactly one of 'table' or 'sql'")
        return self


class TransformSql(Model):
    sql: str


# -- cost preview ---------------------------------------------------------------------------


class EstimateQueryRequest(Model):
    """How many rows a SELECT would return, before running it."""

    sql: str = Field(min_length=1)
    parameters: dict[str, Any] | list[Any] | None = None
    threshold_rows: int = Field(default=10_000_000, ge=1, description="Warn above this many rows")
    limit_rows: int = Field(default=100_000, ge=1, description="The LIMIT the rewrite suggests")
    sample_rows: int = Field(default=1_000_000, ge=1, description="Rows the sample rewrite aims at")


class QueryEstimate(Model):
    estimated_rows: int | None = Field(description="DuckDB's estimate; None when it has none")
    large: bool = Field(description="Whether the estimate exceeds the threshold")
    threshold_rows: int
    warning: str | None = None
    limit_sql: str | None = Field(default=None, description="The query with a LIMIT")
    sample_sql: str | None = Field(default=None, description="The query over a sample")
    reason: str | None = Field(default=None, description="Why there is no estimate")
    elapsed_ms: float
