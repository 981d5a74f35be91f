"""The items a Label Studio push reads, in batches streamed from DuckDB (a million items never sit
in memory at once): the label set's source, ordered by the active-learning queue when it exists,
or the items a user's SELECT names (by their key), in its order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.errors import ConflictError, QueryError
from mlworkbench.core.labeling.active import queue_table

if TYPE_CHECKING:
    from mlworkbench.core.labeling.label_sets import LabelSet

QUEUE_COLUMNS = "q.predicted, q.predicted_labels, q.confidence, q.model_version"


TOTAL = "mlwb_total"


class ItemBatches:
    """Iterate (once) to get lists of row dicts (``item_key`` + columns); ``total`` counts
    them all once the first batch is read (None before)."""

    def __init__(self, label_set: LabelSet, query: str, batch_size: int, user_sql: str | None,
                 ordered: bool = False, first_size: int | None = None):
        self.ordered = ordered  # the order matters (queue rank, the user's ORDER BY)
        self.first_size = first_size  # a smaller first batch (the first import starts sooner)
        self.total: int | None = None
        self._label_set = label_set
        self._batch_size = batch_size
        self._user_sql = user_sql
        # The count comes along with the rows (a window over the ordered result, which is
        # whole before its first row anyway): one reading of the source, not two.
        self._cursor = label_set._engine.cursor()
        try:
            # bound now: a bad column fails here, before any import
            self._relation = self._reading(lambda: self._cursor.sql(
                f"SELECT *, count(*) OVER () AS {TOTAL} FROM ({query}) AS mlwb_items"))
        except BaseException:
            self._cursor.close()
            raise

    def _reading(self, read):
        """``read()``, a DuckDB error said as the items not read."""
        import duckdb

        try:
            return read()
        except duckdb.Error as e:
            raise QueryError(f"The items to push could not be read: {e}",
                             sql=self._user_sql or self._label_set.sql) from None

    def __iter__(self) -> Iterator[list[dict]]:
        first = min(self.first_size or self._batch_size, self._batch_size)
        try:
            reader = self._reading(lambda: self._relation.to_arrow_reader(first))
            rows: list[dict] = []
            size = first
            for batch in reader:
                if self.total is None and batch.num_rows:
                    self.total = int(batch.column(TOTAL)[0].as_py())
                rows += batch.drop_columns([TOTAL]).to_pylist()
                if len(rows) >= size:
                    yield rows[:size]
                    rows = rows[size:]
                    size = self._batch_size
            if rows:
                yield rows
            if self.total is None:
                self.total = 0
        finally:
            self._cursor.close()


def item_batches(label_set: LabelSet, sql: str | None, batch_size: int, *,
                 with_queue: bool = False, all_columns: bool = False,
                 first_size: int | None = None) -> ItemBatches:
    """The items to push.

    Args:
        label_set: Whose source to read.
        sql: A SELECT naming items by the label set's key column (its order is kept); None:
            every item, in queue rank order when the queue exists.
        batch_size: Rows per batch.
        with_queue: Add the queue's prediction columns (the queue must exist).
        all_columns: Every source column (for a model), not only the shown ones.
        first_size: Rows in the first batch, when fewer than ``batch_size``.

    Raises:
        ConflictError: ``with_queue`` and no queue yet.
        QueryError: ``sql`` fails or has no key column.
    """
    queue = label_set.has_queue()
    if with_queue and not queue:
        raise ConflictError(f"Label set '{label_set.name}' has no active-learning queue yet: "
                            "refresh the queue (train its model) first.")
    relation = label_set.source_relation_sql(all_columns=all_columns)
    select = "s.*"
    joins = ""
    order = "s.item_key"
    if queue and (with_queue or sql is None):
        joins += f" LEFT JOIN {quote(queue_table(label_set.name))} AS q USING (item_key)"
        order = "q.rank NULLS LAST, s.item_key"
        if with_queue:
            select += f", {QUEUE_COLUMNS}"
    if sql is not None:
        body = sql.strip().rstrip(";")
        joins = (f" JOIN (SELECT CAST({quote(label_set.key)} AS VARCHAR) AS item_key, "
                 f"row_number() OVER () AS mlwb_order FROM ({body}) AS u) AS w USING (item_key)"
                 + joins)
        order = "w.mlwb_order"
    query = f"SELECT {select} FROM ({relation}) AS s{joins} ORDER BY {order}"
    return ItemBatches(label_set, query, batch_size, sql, ordered=order != "s.item_key",
                       first_size=first_size)
