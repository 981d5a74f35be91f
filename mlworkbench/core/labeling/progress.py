"""How far a label set is: counts over its SQL table, restricted to the items of its source."""

from __future__ import annotations

from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.labeling.source import ITEM_KEY, ItemSource
from mlworkbench.core.labeling.views import active_skips_sql
from mlworkbench.schemas.labeling import LabelProgress


def progress(
    source: ItemSource, *, name: str, label_set_id: int, total: int, annotator: str | None
) -> LabelProgress:
    """Counts of labeled, skipped and disagreeing items, and of labels not in the choices.

    Args:
        source: The items.
        name: The label set (its SQL table).
        label_set_id: Its row id (names its in-memory skips).
        total: The number of items (counted once per data change by the caller).
        annotator: Also count the items this annotator labeled.
    """
    table = quote(name)
    skips = active_skips_sql(label_set_id)
    row = source.run(
        f""", lbl AS (SELECT * FROM {table} WHERE item_key IN (SELECT {ITEM_KEY} FROM src)),
        per_item AS (SELECT item_key, count(DISTINCT list_sort(labels)) AS n,
                            bool_or(annotator = $annotator) AS mine
                     FROM lbl GROUP BY item_key)
        SELECT (SELECT count(*) FROM per_item),
               (SELECT count(*) FROM per_item WHERE n > 1),
               (SELECT count(*) FROM lbl WHERE status = 'unknown_label'),
               (SELECT count(DISTINCT item_key) FROM {skips}
                WHERE item_key NOT IN (SELECT item_key FROM per_item)
                  AND item_key IN (SELECT {ITEM_KEY} FROM src)),
               (SELECT count(*) FROM per_item WHERE mine)""",
        {"annotator": annotator},
    )[0]
    labeled, disagreements, unknown, skipped, mine = row
    return LabelProgress(
        total=total,
        labeled=labeled,
        skipped=skipped,
        disagreements=disagreements,
        unknown_labels=unknown,
        mine=mine if annotator is not None else None,
    )
