"""Notebook widgets over the core. ``mlwb.label(...)`` opens :class:`Labeler` on a label set.

anywidget (and so ipywidgets) is imported only when a widget is made, never by
``%load_ext mlworkbench``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import NotFoundError
from mlworkbench.core.labeling.annotators import local_annotator

if TYPE_CHECKING:
    from mlworkbench.core import Workspace
    from mlworkbench.widgets.labeler import Labeler

__all__ = ["Labeler", "open_labeler"]

KEY_NAMES = ("id", "key", "item_key", "item_id")


def __getattr__(name: str) -> Any:
    if name == "Labeler":
        from mlworkbench.widgets.labeler import Labeler

        return Labeler
    raise AttributeError(name)


def open_labeler(
    ws: Workspace,
    sql: str | None,
    choices: list[str] | None,
    *,
    into: str,
    key: str | None = None,
    show: list[str] | None = None,
    multi: bool = False,
    kind: str | None = None,
    filter: str = "unlabeled",
    annotator: str | None = None,
    overwrite: bool = False,
    page_size: int = 50,
) -> Labeler:
    """Create or reopen the label set ``into`` and return its labeler widget.

    Args:
        ws: The workspace.
        sql: A SELECT (or a table name) of the items; None reopens an existing label set.
        choices: The labels; None reopens.
        into: The label set's name (its SQL table).
        key: The item key column (default: a column named id, key, item_key or item_id).
        show: Columns to show (default: all).
        multi: Several labels per item.
        kind: 'text', 'image' or 'record' (default: inferred from the shown columns).
        filter: The items to walk first: unlabeled, all, disagreements or uncertain.
        annotator: Who labels (default: the JupyterHub user, else the operating-system user).
        overwrite: Change the definition of an existing label set (its labels stay).
        page_size: Items fetched from the workspace at a time.

    Returns:
        The widget (display it, or leave it last in the cell).

    Raises:
        ValueError: The label set exists with another query or choices, or no key column.
        WorkbenchError: What the core refuses (a key that repeats, a column not in the query).
    """
    from mlworkbench.core.data.relations import table_sql
    from mlworkbench.notebook_prep import is_query
    from mlworkbench.widgets.labeler import Labeler

    if sql is not None and not is_query(sql):  # a table name, as mlwb.profile takes one
        sql = f"SELECT * FROM {table_sql(sql)}"
    try:
        existing = ws.labels.get(into)
    except NotFoundError:
        existing = None
    if existing is not None and not overwrite:
        _check_same(existing, sql, choices, multi)
        label_set = existing
    else:
        if sql is None or not choices:
            raise ValueError(
                f"There is no label set '{into}' yet: pass the items' SELECT and the choices, "
                f"e.g. mlwb.label('SELECT * FROM reviews', choices=['pos', 'neg'], into='{into}')."
            )
        label_set = ws.labels.create(
            into, sql, key=key or _guess_key(ws, sql), choices=choices, multi=multi,
            show=show, kind=kind, overwrite=overwrite,
        )
    return Labeler(label_set, annotator=annotator or local_annotator(), filter=filter,
                   page_size=page_size)


def _check_same(existing: Any, sql: str | None, choices: list[str] | None, multi: bool) -> None:
    differs = []
    if sql is not None and sql.strip() != existing.sql.strip():
        differs.append(f"its query is {existing.sql!r}")
    if choices is not None and list(choices) != list(existing.choices):
        differs.append(f"its choices are {existing.choices}")
    if sql is not None and multi != existing.multi:
        differs.append("it is " + ("multi-label" if existing.multi else "single-label"))
    if differs:
        raise ValueError(
            f"Label set '{existing.name}' already exists and {'; '.join(differs)}. Reopen it "
            f"with mlwb.label(into='{existing.name}'), pass overwrite=True to change it (its "
            "labels stay), or label into another name."
        )


def _guess_key(ws: Workspace, sql: str) -> str:
    columns = list(ws.query(f"DESCRIBE {sql.strip().rstrip(';')}")["column_name"])
    for name in KEY_NAMES:
        if name in columns:
            return name
    raise ValueError(
        f"Which column identifies an item? Pass key=... (one of {', '.join(columns)}); "
        "no column is named " + ", ".join(KEY_NAMES) + "."
    )
