"""How far a label set is: counts over its SQL table, restricted to the items of its source."""

from __future__ import annotations

from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.labeling.index import KeyIndex, KeyIndexes
from mlworkbench.core.labeling.source import ItemSource
from mlworkbench.core.labeling.views import active_skips_sql, overlay_table, skips_table
from mlworkbench.schemas.labeling import LabelProgress


def progress(
    source: ItemSource,
    *,
    index: KeyIndex,
    indexes: KeyIndexes,
    name: str,
    label_set_id: int,
    annotator: str | None,
) -> LabelProgress:
    """Counts of labeled, skipped and disagreeing items, and of labels not in the choices.

    Labels of keys no longer in the source do not count.

    Args:
        source: The items.
        index: Their key index.
        indexes: The process's key indexes (they keep the labeled keys that are not items).
        name: The label set (its SQL table).
        label_set_id: Its row id (names its in-memory skips).
        annotator: Also count the items this annotator labeled.
    """
    table = quote(name)
    skips = active_skips_sql(label_set_id)
    outside = indexes.outside(
        label_set_id,
        index,
        labels=table,
        skips=skips_table(label_set_id),
        overlay=overlay_table(label_set_id),
    )
    if outside is None:  # many labels are not items now: find them with a join
        items = f"item_key IN (SELECT item_key FROM {index.table})"
    else:
        items = "item_key NOT IN (SELECT unnest($outside::VARCHAR[]))"
    with source.cursor() as cursor:
        row = cursor.execute(
            f"""WITH lbl AS MATERIALIZED (
                SELECT item_key, labels, annotator, status FROM {table} WHERE {items}),
            per_item AS MATERIALIZED (
                SELECT item_key, count(DISTINCT list_sort(labels)) AS n,
                       bool_or(annotator = $annotator) AS mine
                FROM lbl GROUP BY item_key)
            SELECT (SELECT count(*) FROM per_item),
                   (SELECT count(*) FROM per_item WHERE n > 1),
                   (SELECT count(*) FROM lbl WHERE status = 'unknown_label'),
                   (SELECT count(DISTINCT item_key) FROM {skips} WHERE {items}
                    AND item_key NOT IN (SELECT item_key FROM per_item)),
                   (SELECT count(*) FROM per_item WHERE mine)""",
            {"annotator": annotator, **({"outside": outside} if outside is not None else {})},
        ).fetchall()[0]
    labeled, disagreements, unknown, skipped, mine = row
    return LabelProgress(
        total=index.total,
        labeled=labeled,
        skipped=skipped,
        disagreements=disagreements,
        unknown_labels=unknown,
        mine=mine if annotator is not None else None,
    )
