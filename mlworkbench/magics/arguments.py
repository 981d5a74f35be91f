"""The ``%sql`` / ``%%sql`` arguments, parsed into a pydantic model before anything runs."""

from __future__ import annotations

import argparse
import functools
import shlex
from typing import Any

from pydantic import BaseModel, Field, field_validator

from mlworkbench.magics.errors import CellError


class SqlArguments(BaseModel):
    """What one ``%sql`` line or ``%%sql`` cell asks for.

    Attributes:
        sql: The SQL (the cell body, or the rest of the line for ``%sql``).
        out: Assign the result to this Python variable.
        output: ``pandas`` (default), ``polars`` or ``arrow`` for ``out``.
        save_table: Save the result as a new version of this workspace table.
        overwrite: Allow ``save_table`` to write a new version of an existing table.
        name: Keep this query under a name later cells can use like a table.
        params: Explicit ``$name`` values (``-p name=value``), taking precedence over variables.
        workspace: Open this workspace directory from now on.
    """

    sql: str = ""
    out: str | None = None
    output: str = Field(default="pandas", pattern="^(pandas|polars|arrow)$")
    save_table: str | None = None
    overwrite: bool = False
    name: str | None = None
    params: dict[str, Any] = {}
    workspace: str | None = None

    @field_validator("out", "name")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        if value is not None and not value.isidentifier():
            raise ValueError(f"'{value}' is not a valid name")
        return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would sys.exit(2) the kernel's magic
        raise CellError("UsageError", f"%sql: {message}")


@functools.cache  # built once: a new parser per cell cost more than the rest of the parse
def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="%sql", add_help=False)
    parser.add_argument("-o", "--out")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--polars", action="store_const", const="polars", dest="output")
    kind.add_argument("--arrow", action="store_const", const="arrow", dest="output")
    parser.add_argument("--save-table", dest="save_table")
    parser.add_argument("--overwrite", action="store_true")
    parser.add_argument("--name")
    parser.add_argument("-p", "--param", action="append", default=[], dest="params")
    parser.add_argument("--workspace")
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def parse(line: str, cell: str | None = None) -> SqlArguments:
    """Parse a magic's line (and cell body) into :class:`SqlArguments`.

    Args:
        line: The text after ``%sql`` / ``%%sql``.
        cell: The cell body for ``%%sql``; None for the line magic, whose SQL is what follows
            the options.

    Returns:
        The validated arguments.

    Raises:
        CellError: An unknown option, a bad ``-p`` pair or an invalid name.
    """
    if not line.lstrip().startswith("-"):  # no options: the usual cell, and no parser to run
        if cell is not None and line.strip():
            raise CellError("UsageError", f"%%sql: unexpected text on the magic line: {line.strip()!r}")
        return SqlArguments(sql=cell if cell is not None else line.strip())
    # Only the leading options are shell-split: the SQL after them keeps its own quoting.
    words, position = [], 0
    lexer = shlex.shlex(line, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    try:
        for word in lexer:
            if not word.startswith("-") and not (words and _takes_value(words[-1])):
                break
            words.append(word)
            position = lexer.instream.tell()
    except ValueError as error:
        raise CellError("UsageError", f"%sql: {error}") from None
    rest = line[position:].strip() if cell is None else line[position:].strip()
    namespace = _parser().parse_args(words)
    if cell is not None and rest:
        raise CellError("UsageError", f"%%sql: unexpected text on the magic line: {rest!r}")
    params = {}
    for pair in namespace.params:
        key, sep, value = pair.partition("=")
        if not sep or not key.isidentifier():
            raise CellError("UsageError", f"%sql: -p wants name=value, not {pair!r}")
        params[key] = value
    try:
        return SqlArguments(
            sql=cell if cell is not None else rest,
            out=namespace.out,
            output=namespace.output or "pandas",
            save_table=namespace.save_table,
            overwrite=namespace.overwrite,
            name=namespace.name,
            params=params,
            workspace=namespace.workspace,
        )
    except ValueError as error:
        first = error.errors()[0] if hasattr(error, "errors") else {"msg": str(error)}
        raise CellError("UsageError", f"%sql: {first['msg']}") from None


def _takes_value(option: str) -> bool:
    return option in {"-o", "--out", "--save-table", "--name", "-p", "--param", "--workspace"}
