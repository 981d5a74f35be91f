"""A page of a label set's items: DuckDB pages the source query in key order (LIMIT/OFFSET),
so a page of a million items costs one sorted scan, never loading the items into Python."""

from __future__ import annotations

from datetime import timezone
from pathlib import Path
from typing import Any

from mlworkbench.core.data.cells import CellReader
from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.errors import ConflictError
from mlworkbench.core.labeling.images import image, is_image
from mlworkbench.core.labeling.source import ITEM_KEY, ItemSource
from mlworkbench.core.labeling.views import active_skips_sql
from mlworkbench.schemas import ColumnInfo
from mlworkbench.schemas.labeling import ItemLabel, ItemPage, LabelItem

UNCERTAINTY = "mlwb_uncertainty"


def filter_sql(filter: str, table: str, skips: str, annotator: str | None) -> str:
    """The WHERE condition on ``src`` for a filter (``$annotator`` bound when given)."""
    labeled = f"SELECT item_key FROM {table}"
    if filter in ("unlabeled", "uncertain"):
        condition = f"{ITEM_KEY} NOT IN ({labeled})"
        if annotator is not None:
            condition += (
                f" AND {ITEM_KEY} NOT IN (SELECT item_key FROM {skips} "
                "WHERE annotator = $annotator)"
            )
        return condition
    if filter == "disagreements":
        return (
            f"{ITEM_KEY} IN ({labeled} GROUP BY item_key "
            "HAVING count(DISTINCT list_sort(labels)) > 1)"
        )
    return "TRUE"


def items(
    source: ItemSource,
    *,
    name: str,
    label_set_id: int,
    columns: list[ColumnInfo],
    show: list[str],
    root: Path,
    filter: str = "all",
    offset: int = 0,
    limit: int = 50,
    annotator: str | None = None,
    queue_exists: bool = False,
) -> ItemPage:
    """A page of items with their labels.

    Raises:
        ConflictError: 'uncertain' before the active-learning queue exists.
        QueryError: The source query fails now (a table it reads was removed).
    """
    table = quote(name)
    skips = active_skips_sql(label_set_id)
    where = filter_sql(filter, table, skips, annotator)
    params: dict[str, Any] = {"annotator": annotator} if annotator is not None and "$annotator" in where else {}
    by_type = {c.name: c for c in columns}
    shown = [by_type[c] for c in show if c in by_type]
    reader_columns = [ColumnInfo(name=ITEM_KEY, type="VARCHAR"), *shown]
    if filter == "uncertain":
        if not queue_exists:
            raise ConflictError(
                f"Label set '{name}' has no active-learning queue yet: train the queue model "
                "first (LabelSet.refresh_queue, or 'Refresh queue' in the labeler).",
                name=name,
            )
        queue = quote(f"{name}_queue")
        body = (
            f"FROM src JOIN {queue} AS mlwb_queue ON mlwb_queue.item_key = src.{ITEM_KEY} "
            f"WHERE {where}"
        )
        order = f"mlwb_queue.uncertainty DESC, src.{quote(source.key)}"
        reader_columns.append(ColumnInfo(name=UNCERTAINTY, type="DOUBLE"))
        extra = f", mlwb_queue.uncertainty AS {UNCERTAINTY}"
    else:
        body = f"FROM src WHERE {where}"
        order = quote(source.key)
        extra = ""
    reader = CellReader(reader_columns)
    with source.cursor() as cursor:
        total = source.execute(cursor, f"SELECT count(*) {body}", params or None).fetchone()[0]
        page_sql = (
            f"SELECT {reader.select_list} FROM (SELECT src.*{extra} {body} "
            f"ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)})"
        )
        rows = reader.rows(source.execute(cursor, page_sql, params or None))
        keys = [row[0] for row in rows]
        labels: dict[str, list[ItemLabel]] = {k: [] for k in keys}
        skipped: set[str] = set()
        if keys:
            found = cursor.execute(
                "SELECT item_key, labels, annotator, source, status, labeled_at, score, "
                f"model_version FROM {table} WHERE item_key IN (SELECT unnest($keys)) "
                "ORDER BY labeled_at, annotator, source",
                {"keys": keys},
            ).fetchall()
            for key, values, who, origin, status, at, score, version in found:
                labels[key].append(
                    ItemLabel(
                        labels=values,
                        annotator=who,
                        source=origin,
                        status=status,
                        labeled_at=at.replace(tzinfo=timezone.utc) if at else None,
                        score=score,
                        model_version=version,
                    )
                )
            if annotator is not None:
                skipped = {
                    r[0]
                    for r in cursor.execute(
                        f"SELECT item_key FROM {skips} WHERE annotator = $a "
                        "AND item_key IN (SELECT unnest($keys))",
                        {"a": annotator, "keys": keys},
                    ).fetchall()
                }
    page = []
    for position, row in enumerate(rows, start=offset):
        key = row[0]
        fields = dict(zip([c.name for c in shown], row[1 : 1 + len(shown)], strict=True))
        images = {
            column: image(value, root=root, name=name, key=key, column=column)
            for column, value in fields.items()
            if is_image(value)
        }
        own = [x for x in labels[key] if annotator is not None and x.annotator == annotator]
        mine = next((x.labels for x in own if x.source == "builtin"), None)
        if mine is None and own:
            mine = own[0].labels
        distinct = {tuple(sorted(x.labels)) for x in labels[key]}
        page.append(
            LabelItem(
                key=key,
                position=position,
                fields=fields,
                images=images,
                labels=labels[key],
                mine=mine,
                skipped=key in skipped,
                disagreement=len(distinct) > 1,
                uncertainty=row[-1] if filter == "uncertain" else None,
            )
        )
    return ItemPage(items=page, total=total, offset=offset)
