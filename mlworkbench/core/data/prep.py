"""Data preparation over the workspace: profiles, join keys and previews, transform SQL and the
cost preview of a query. The panel, the notebook API and the CLI all call these methods.

Blocking by design, like :class:`~mlworkbench.core.data.sql.Sql`: the server calls them from its
thread pool; each call uses a cursor of its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from mlworkbench.core.data import estimate as cost
from mlworkbench.core.data import joins
from mlworkbench.core.data.catalog import Catalog
from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.profile import profile as profile_relation
from mlworkbench.core.data.relations import Relation, describe, resolve_sql, resolve_table
from mlworkbench.core.data.results import Results
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.data.transforms import transform_sql
from mlworkbench.core.errors import WorkbenchError
from mlworkbench.schemas.prep import (
    DescribeProfile,
    EstimateQueryRequest,
    JoinPreview,
    JoinSuggestions,
    PreviewJoinRequest,
    ProfileRequest,
    QueryEstimate,
    SuggestJoinsRequest,
    TransformSql,
    TransformSqlRequest,
)


class Prep:
    """Profiles, joins, transforms and estimates over the workspace's tables.

    Args:
        engine: The workspace's DuckDB.
        catalog: Where table names are looked up.
        results: Where result sessions are looked up.
    """

    def __init__(self, engine: Engine, catalog: Catalog, results: Results) -> None:
        self._engine = engine
        self._catalog = catalog
        self._results = results

    def profile(self, request: ProfileRequest) -> DescribeProfile:
        """Profile every column (or the chosen ones) of a table, a result session or a SELECT.

        Args:
            request: Exactly one of ``table``, ``session_id`` or ``sql``, and the options.

        Returns:
            Per column: type, null share, distinct count, min/max/mean/std/quantiles, top
            values, a histogram and its Vega-Lite chart; sampled on big inputs (it says so).

        Raises:
            NotFoundError: No such table, result session or column (near matches named).
            QueryError: The SQL does not bind.
            InvalidRequestError: The SQL is not one SELECT.
        """
        if request.session_id is not None:
            session = self._results.get(request.session_id)
            session.wait()
            with session.lock, self._cursor() as cursor:
                source = session.table or "(SELECT NULL AS empty WHERE false) AS mlwb_src"
                relation = Relation(source, f"result {session.id}", describe(cursor, source))
                return profile_relation(cursor, relation, request)
        with self._cursor() as cursor:
            if request.table is not None:
                relation = self.table(cursor, request.table)
            else:
                relation = resolve_sql(cursor, request.sql)
            return profile_relation(cursor, relation, request)

    def suggest_joins(self, request: SuggestJoinsRequest) -> JoinSuggestions:
        """Ranked join key candidates between the given tables (every pair, in the order given).

        Raises:
            NotFoundError: A table does not exist.
        """
        started = time.perf_counter()
        with self._cursor() as cursor:
            relations = [self.table(cursor, name) for name in request.tables]
            found = joins.suggest_joins(cursor, relations, request.sample_rows)
        return JoinSuggestions(
            suggestions=found[: request.limit], elapsed_ms=(time.perf_counter() - started) * 1000
        )

    def preview_join(self, request: PreviewJoinRequest) -> JoinPreview:
        """The join's SQL, first rows, estimated (and, when cheap, exact) row count, warnings.

        Raises:
            NotFoundError: A table or column does not exist.
            IncompatibleKeysError: A key pair's types cannot be compared (a CAST is suggested).
            InvalidRequestError: A key names a table not joined before it.
        """
        with self._cursor() as cursor:
            return joins.preview_join(cursor, request, lambda name: self.table(cursor, name))

    def transform_sql(self, request: TransformSqlRequest) -> TransformSql:
        """The SELECT applying one transform (filter, derive, cast, drop duplicates, fill nulls)
        to a table or a query; pure text, nothing runs.

        Raises:
            InvalidRequestError: The spec is incomplete (e.g. a filter with no column).
        """
        return TransformSql(sql=transform_sql(request))

    def estimate(self, request: EstimateQueryRequest) -> QueryEstimate:
        """DuckDB's estimate of a query's output rows, and a LIMIT and a sample rewrite when it
        is over the threshold. Nothing runs but EXPLAIN.

        Raises:
            QueryError: The SQL does not parse or bind.
        """
        with self._cursor() as cursor:
            return cost.estimate(cursor, request)

    def table(self, cursor: duckdb.DuckDBPyConnection, name: str) -> Relation:
        """A source or workspace table by name (see :func:`resolve_table`)."""
        return resolve_table(cursor, name, list(self._catalog.names()))

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self._engine.cursor()
        try:
            yield cursor
        except duckdb.Error as error:
            raise translate(error, sql="") from None
        except WorkbenchError:
            raise
        finally:
            cursor.close()
