"""Rules for the names of sources and workspace tables, which share one namespace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mlworkbench.core.data.identifiers import name_key
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.workspace.store import LabelSetRow, SourceRow, TableRow

MAX_LENGTH = 128
# DuckDB's own catalog names: a database source cannot be attached under them.
RESERVED_NAMES = {"memory", "system", "temp", "main", "mlwb_results", "information_schema"}


def check_name(name: str) -> None:
    """Refuse a name SQL could not use plainly once quoted.

    Args:
        name: A source or table name. Spaces, quotes and unicode are fine.

    Raises:
        InvalidRequestError: Empty, too long, padded with spaces, holds control characters,
            or one of DuckDB's own catalog names.
    """
    if not name or not name.strip():
        raise InvalidRequestError("name", "The name is empty.")
    if len(name) > MAX_LENGTH:
        raise InvalidRequestError("name", f"The name is longer than {MAX_LENGTH} characters.")
    if name != name.strip():
        raise InvalidRequestError("name", f"The name '{name}' starts or ends with a space.")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise InvalidRequestError("name", "The name holds control characters.")
    if name_key(name) in RESERVED_NAMES:
        raise InvalidRequestError("name", f"'{name}' is reserved by DuckDB; choose another name.")


def owner(session: Session, name: str) -> str | None:
    """What already has this name, compared the way DuckDB compares names.

    Returns:
        'source', 'label set' (a table that holds a label set), 'table' or None.
    """
    key = name_key(name)
    if session.scalar(select(SourceRow.id).where(SourceRow.name_key == key)) is not None:
        return "source"
    if session.scalar(select(LabelSetRow.id).where(LabelSetRow.name_key == key)) is not None:
        return "label set"
    if session.scalar(select(TableRow.id).where(TableRow.name_key == key)) is not None:
        return "table"
    return None
