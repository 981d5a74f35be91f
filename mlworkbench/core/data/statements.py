"""Split submitted SQL into statements that know where they start and what they bind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.errors import InvalidRequestError

Parameters = dict[str, Any] | list[Any] | None


@dataclass
class Statement:
    """One statement of the submitted text.

    Attributes:
        text: Exactly as in the submitted text (leading blanks, trailing ``;`` and comments).
        start: Offset of ``text`` in the whole submitted text.
        kind: DuckDB's statement type.
        parameter_names: Names (``$name``) or positions (``1``, ``2``) it binds.
    """

    text: str
    start: int
    kind: duckdb.StatementType
    parameter_names: set[str] = field(default_factory=set)

    @property
    def is_select(self) -> bool:
        """SELECT, FROM-first, VALUES, WITH, DESCRIBE, SHOW, SUMMARIZE: can be a subquery."""
        return self.kind == duckdb.StatementType.SELECT

    @property
    def body(self) -> str:
        """The text with its terminating semicolons blanked out, so it can go inside ``(...)``
        (blanked, not removed, so offsets into it stay those of ``text``)."""
        # tokenize() gives byte offsets into the UTF-8 text.
        data = bytearray(self.text.encode())
        for position, token in reversed(duckdb.tokenize(self.text)):
            if token == duckdb.token_type.comment:
                continue
            if token == duckdb.token_type.operator and data[position : position + 1] == b";":
                data[position : position + 1] = b" "
                continue
            break
        return data.decode()

    def error(self, error: Exception, sql: str) -> Exception:
        """The WorkbenchError for ``error`` raised running :attr:`text` as is.

        Args:
            error: What DuckDB raised.
            sql: The whole submitted text (the position is moved into it).
        """
        return translate(
            error, sql=sql, executed=self.text, start=self.start, length=len(self.text)
        )

    def bind(self, parameters: Parameters) -> Parameters:
        """The part of the request's parameters this statement uses.

        Args:
            parameters: The request's parameters, for the whole text.

        Returns:
            A dict of the names it uses, the list (cut to the positions it uses), or None.
        """
        if not parameters or not self.parameter_names:
            return None
        if isinstance(parameters, dict):
            return {k: v for k, v in parameters.items() if k in self.parameter_names}
        positions = [int(p) for p in self.parameter_names if p.isdigit()]
        return list(parameters[: max(positions)]) if positions else list(parameters)


def tokens(text: str) -> list[tuple[int, duckdb.token_type, str]]:
    """DuckDB's tokens of ``text`` as (character offset, type, token text).

    Args:
        text: SQL text.

    Returns:
        The tokens in order; ``duckdb.tokenize`` counts bytes, these count characters.
    """
    data = text.encode()
    raw = duckdb.tokenize(text)
    out = []
    for i, (start, kind) in enumerate(raw):
        end = raw[i + 1][0] if i + 1 < len(raw) else len(data)
        offset = len(data[:start].decode(errors="ignore"))
        out.append((offset, kind, data[start:end].decode(errors="ignore").rstrip()))
    return out


def split(sql: str) -> list[Statement]:
    """Parse ``sql`` into statements.

    Args:
        sql: One or several statements.

    Returns:
        The statements in order.

    Raises:
        QueryError: The text does not parse; line and column point into ``sql``.
        InvalidRequestError: There is no statement (only blanks or comments).
    """
    try:
        parsed = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise translate(error, sql=sql) from None
    statements, position = [], 0
    for item in parsed:
        found = sql.find(item.query, position)
        start = found if found >= 0 else position
        statements.append(Statement(item.query, start, item.type, set(item.named_parameters)))
        position = start + len(item.query)
    if not statements:
        raise InvalidRequestError("sql", "The SQL has no statement to run (only comments?).")
    return statements
