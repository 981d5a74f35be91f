"""A page of a label set's items, in key order (or by uncertainty), with their labels.

Pages are read by position in the key index (``index.py``): a page far into a million items
is a range read plus a join fetching only its rows from the source; no filter sorts all items
and nothing loads them into Python.
"""

from __future__ import annotations

from datetime import timezone
from pathlib import Path

import duckdb

from mlworkbench.core.data.cells import CellReader
from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.errors import ConflictError
from mlworkbench.core.labeling.images import image, is_image
from mlworkbench.core.labeling.index import KeyIndex
from mlworkbench.core.labeling.source import ITEM_KEY, ItemSource
from mlworkbench.core.labeling.views import active_skips_sql
from mlworkbench.schemas import ColumnInfo
from mlworkbench.schemas.labeling import ItemLabel, ItemPage, LabelItem

UNCERTAINTY = "mlwb_uncertainty"
POSITION = "mlwb_pos"


def excluded_sql(table: str, skips: str, annotator: str | None) -> str:
    """Keys that are not 'unlabeled': labeled by anyone, or skipped by ``$annotator``."""
    labeled = f"SELECT item_key FROM {table}"
    if annotator is None:
        return labeled
    return f"{labeled} UNION SELECT item_key FROM {skips} WHERE annotator = $annotator"


def disagreements_sql(table: str) -> str:
    """Keys whose labels differ between annotators or sources."""
    return (
        f"SELECT item_key FROM {table} GROUP BY item_key "
        "HAVING count(DISTINCT list_sort(labels)) > 1"
    )


def _page_sql(
    cursor: duckdb.DuckDBPyConnection,
    filter: str,
    index: KeyIndex,
    *,
    name: str,
    skips: str,
    annotator: str | None,
    offset: int,
    limit: int,
) -> tuple[str, int]:
    """(SELECT of the page's positions and typed keys, the filter's total)."""
    table, idx = quote(name), index.table
    params = {"annotator": annotator} if annotator is not None else None
    positions = f"SELECT pos AS {POSITION}, native AS mlwb_native FROM {idx}"
    if filter == "all":
        return f"{positions} WHERE pos >= {offset} AND pos < {offset + limit}", index.total
    excluded = excluded_sql(table, skips, annotator)
    if filter == "unlabeled":
        # The offset-th unlabeled item is at position offset + m, m being the number of
        # excluded positions e_i (ascending, rank i) with e_i - i <= offset: a sort of the
        # excluded keys, then a range read of the index, instead of a sort of all items.
        start, count = cursor.execute(
            f"""WITH ex AS (SELECT pos FROM {idx} WHERE item_key IN ({excluded})),
                ranked AS (SELECT pos, row_number() OVER (ORDER BY pos) - 1 AS r FROM ex)
                SELECT {offset} + count(*) FILTER (WHERE pos - r <= {offset}), count(*)
                FROM ranked""",
            params,
        ).fetchall()[0]
        page = (
            f"{positions} WHERE pos >= {start} AND pos < {start + limit + count} "
            f"AND item_key NOT IN ({excluded}) ORDER BY pos LIMIT {limit}"
        )
        return page, index.total - count
    if filter == "disagreements":
        where = f"item_key IN ({disagreements_sql(table)})"
        total = cursor.execute(f"SELECT count(*) FROM {idx} WHERE {where}").fetchall()[0][0]
        return f"{positions} WHERE {where} ORDER BY pos LIMIT {limit} OFFSET {offset}", total
    body = (
        f"FROM {quote(name + '_queue')} AS q JOIN {idx} AS i USING (item_key) "
        f"WHERE item_key NOT IN ({excluded})"
    )
    total = cursor.execute(f"SELECT count(*) {body}", params).fetchall()[0][0]
    page = (
        f"SELECT i.pos AS {POSITION}, i.native AS mlwb_native, q.uncertainty AS {UNCERTAINTY} "
        f"{body} ORDER BY q.uncertainty DESC, i.pos LIMIT {limit} OFFSET {offset}"
    )
    return page, total


def items(
    source: ItemSource,
    *,
    index: KeyIndex,
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
    if filter == "uncertain" and not queue_exists:
        raise ConflictError(
            f"Label set '{name}' has no active-learning queue yet: train the queue model "
            "first (LabelSet.refresh_queue, or 'Refresh queue' in the labeler).",
            name=name,
        )
    table = quote(name)
    skips = active_skips_sql(label_set_id)
    by_name = {c.name: c for c in columns}
    shown = [by_name[c] for c in show if c in by_name]
    uncertain = filter == "uncertain"
    reader_columns = [
        ColumnInfo(name=ITEM_KEY, type="VARCHAR"),
        *shown,
        ColumnInfo(name=POSITION, type="BIGINT"),
    ]
    if uncertain:
        reader_columns.append(ColumnInfo(name=UNCERTAINTY, type="DOUBLE"))
    reader = CellReader(reader_columns)
    with source.cursor() as cursor:
        page_sql, total = _page_sql(
            cursor,
            filter,
            index,
            name=name,
            skips=skips,
            annotator=annotator,
            offset=offset,
            limit=limit,
        )
        order = f"{UNCERTAINTY} DESC, {POSITION}" if uncertain else POSITION
        extra = f", page.{UNCERTAINTY}" if uncertain else ""
        rows_sql = (
            f", page AS ({page_sql})\n"
            f"SELECT {reader.select_list} FROM (SELECT src.*, page.{POSITION}{extra} "
            f"FROM page JOIN src ON src.{quote(source.key)} = page.mlwb_native) ORDER BY {order}"
        )
        params = {"annotator": annotator} if "$annotator" in page_sql else None
        rows = reader.rows(source.execute(cursor, rows_sql, params))
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
        if filter == "all":
            position = row[1 + len(shown)]
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
                uncertainty=row[-1] if uncertain else None,
            )
        )
    return ItemPage(items=page, total=total, offset=offset)
