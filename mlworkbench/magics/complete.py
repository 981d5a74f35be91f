"""Completion in ``%%sql`` cells and ``%sql`` lines, served by the kernel's own completer.

One IPython matcher (API v2) offers what a SQL cell can name: workspace tables and views, named
queries, DataFrame variables, the columns of the tables the cell reads (``o.`` after
``FROM orders o`` offers only ``orders``' columns), ``$`` Python variables and SQL keywords. There
it replaces the Python/Jedi completions, which are noise in SQL; everywhere else it stays out of
the way. Registering costs nothing: the workspace (and DuckDB) open on the first SQL completion.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any, Callable, NamedTuple

from IPython.core.completer import (
    CompletionContext,
    SimpleCompletion,
    SimpleMatcherResult,
    context_matcher,
)

MATCHER_ID = "mlworkbench.sql"
RETRY_BROKEN_SECONDS = 5.0  # as often as the engine retries views of vanished files
# JupyterLab drops a completion reply slower than 1 s. Importing the core (DuckDB, SQLAlchemy,
# pydantic) takes longer than that on a cold kernel, so the first SQL completion starts it off
# the kernel's thread and waits only this long; until then workspace names are left out.
WARM_UP_WAIT_SECONDS = 0.3

KEYWORDS = (
    "SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "QUALIFY",
    "JOIN", "LEFT JOIN", "INNER JOIN", "FULL JOIN", "CROSS JOIN", "ON", "USING", "AS",
    "DISTINCT", "UNION", "UNION ALL", "EXCEPT", "INTERSECT", "WITH", "AND", "OR", "NOT", "IN",
    "IS", "NULL", "LIKE", "ILIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST",
    "ASC", "DESC", "OVER", "PARTITION BY", "EXCLUDE", "REPLACE", "DESCRIBE", "SUMMARIZE",
    "PIVOT", "UNPIVOT", "CREATE", "TABLE", "VIEW", "INSERT INTO", "VALUES", "COUNT", "SUM",
    "AVG", "MIN", "MAX", "TRUE", "FALSE",
)
_KEYWORD_KEYS = {k.lower() for k in KEYWORDS} | {
    "left", "right", "inner", "outer", "full", "cross", "natural", "where", "group", "order",
    "limit", "on", "using", "join", "union", "window", "qualify", "having", "select", "as",
}

_IDENT = r'"[^"\n]+"|[A-Za-z_][\w$]*'
_NAME = rf"(?:{_IDENT})(?:\s*\.\s*(?:{_IDENT}))*"
_NAME_RE = re.compile(_NAME)
# A relation after FROM/JOIN (or a comma in a FROM list) and its optional alias.
_SOURCE_RE = re.compile(rf"(?:\bFROM|\bJOIN|,)\s+({_NAME})(?:\s+(?:AS\s+)?({_IDENT}))?", re.I)
_SQL_CELL_RE = re.compile(r"%%sql(?=\s|$)")
_SQL_LINE_RE = re.compile(r"^\s*(?:[\w.]+\s*=\s*)?%sql(?=\s|$)")
_VARIABLE_RE = re.compile(r"\$(\w*)$")
_QUALIFIED_RE = re.compile(rf"({_NAME})\.(\w*)$")
_WORD_RE = re.compile(r"\w*$")


def register_completer(ipython: Any) -> None:
    """Add the SQL matcher to ``ipython``'s completer (once, even on ``%reload_ext``).

    Args:
        ipython: The running InteractiveShell.
    """
    completer = ipython.Completer
    completer.custom_matchers[:] = [
        m for m in completer.custom_matchers if getattr(m, "matcher_identifier", None) != MATCHER_ID
    ]
    completer.custom_matchers.append(SqlCompleter(ipython).matcher())


def key(name: str) -> str:
    """How DuckDB compares a (possibly dotted, possibly quoted) name: unquoted, case-folded.

    >>> key('Shop . "Customers"')
    'shop.customers'
    """
    parts = re.findall(_IDENT, name)
    return ".".join(p[1:-1] if p.startswith('"') else p for p in parts).lower()


def sql_at_cursor(cell: str, line: int, column: int) -> tuple[str, str] | None:
    """The SQL around the cursor and the SQL text before it on its line, or None outside SQL.

    Args:
        cell: The whole cell.
        line: The cursor's line (0-based).
        column: The cursor's column in that line.

    Returns:
        ``(sql, before)``: all the SQL of the cell (or ``%sql`` line), and the cursor line up to
        the cursor; None when the cursor is not in SQL (the magic line itself, Python code).
    """
    lines = cell.split("\n")
    if not 0 <= line < len(lines):
        return None
    current = lines[line]
    if _SQL_CELL_RE.match(lines[0]):
        return ("\n".join(lines[1:]), current[:column]) if line > 0 else None
    magic = _SQL_LINE_RE.match(current)
    if magic and column > magic.end():
        return current[magic.end():], current[magic.end():column]
    return None


def in_string_or_comment(before: str) -> bool:
    """Whether the cursor sits in a '...' literal or after ``--`` (within the line)."""
    outside = re.sub(r"'[^']*'", "''", before)
    return "'" in outside.replace("''", "") or "--" in outside


def aliases(sql: str) -> dict[str, str]:
    """``alias key -> relation key`` for ``FROM orders o``, ``JOIN customers AS c``, ``, t x``."""
    out = {}
    for match in _SOURCE_RE.finditer(sql):
        relation, alias = match.group(1), match.group(2)
        if alias and key(alias) not in _KEYWORD_KEYS:
            out[key(alias)] = key(relation)
    return out


class Relation(NamedTuple):
    """A name a cell can read and how to list its columns (only asked for when needed)."""

    name: str
    columns: Callable[[], list[str]]


class SqlCompleter:
    """The matcher's state: the shell and the catalog names cached per metadata generation.

    Args:
        ipython: The running InteractiveShell.
    """

    def __init__(self, ipython: Any) -> None:
        self.shell = ipython
        self._catalog_key: tuple | None = None
        self._catalog: dict[str, list[str]] = {}
        self._catalog_at = 0.0
        self._named_key: tuple | None = None
        self._named_columns: dict[str, list[str]] = {}
        self._warm_up: threading.Thread | None = None

    def matcher(self) -> Any:
        """The IPython matcher (API v2) bound to this state."""

        @context_matcher(priority=100, identifier=MATCHER_ID)
        def sql_matcher(context: CompletionContext) -> SimpleMatcherResult:
            try:
                return self.complete(context)
            except Exception:  # a completion must never show the user a traceback
                return SimpleMatcherResult(completions=[], suppress=False)

        return sql_matcher

    def complete(self, context: CompletionContext) -> SimpleMatcherResult:
        """The SQL completions at the cursor, or an empty result outside SQL."""
        found = sql_at_cursor(context.full_text, context.cursor_line, context.cursor_position)
        if found is None:
            found = self._from_kernel_request(context)
        if found is None or in_string_or_comment(found[1]):
            # Strings keep IPython's file-name completion (read_parquet('data/...')).
            return SimpleMatcherResult(completions=[], suppress=False)
        sql, before = found
        variable = _VARIABLE_RE.search(before)
        qualified = _QUALIFIED_RE.search(before)
        if variable:
            fragment = variable.group(1)
            completions = self._variables(fragment)
        elif qualified:
            fragment = qualified.group(2)
            completions = self._qualified(sql, qualified.group(1), fragment)
        else:
            fragment = _WORD_RE.search(before).group(0)
            completions = self._bare(sql, fragment)
        # IPython lets only a matcher with results suppress the others: where SQL has nothing
        # to offer, Python's matchers may still answer (JupyterLab shows even a lone item, so a
        # placeholder completion would be worse noise).
        return SimpleMatcherResult(
            completions=completions, matched_fragment=fragment, suppress=True, ordered=True
        )

    def _from_kernel_request(self, context: CompletionContext) -> tuple[str, str] | None:
        # ipykernel's non-experimental path (use_experimental_completions=False) hands IPython
        # only the cursor's line (and an empty one at the very end of a cell); the
        # complete_request being answered still holds the whole cell and the cursor.
        kernel = getattr(self.shell, "kernel", None)
        if kernel is None or context.cursor_line != 0 or "\n" in context.full_text.rstrip("\n"):
            return None
        parent = kernel.get_parent("shell") or {}
        if parent.get("header", {}).get("msg_type") != "complete_request":
            return None
        code = parent["content"].get("code", "")
        cursor = parent["content"].get("cursor_pos")
        cursor = len(code) if cursor is None else cursor
        line = code.count("\n", 0, cursor)
        column = cursor - (code.rfind("\n", 0, cursor) + 1)
        if not code.split("\n")[line][:column].endswith(context.text_until_cursor):
            return None  # not the request this completion answers
        return sql_at_cursor(code, line, column)

    def _variables(self, fragment: str) -> list[SimpleCompletion]:
        hidden = getattr(self.shell, "user_ns_hidden", {})
        names = sorted(
            n for n in self.shell.user_ns
            if n.startswith(fragment) and not n.startswith("_") and n not in hidden
            and n.isidentifier()
        )
        return [SimpleCompletion(n, type="variable") for n in names]

    def _qualified(self, sql: str, qualifier: str, fragment: str) -> list[SimpleCompletion]:
        relations = self._relations()
        target = aliases(sql).get(key(qualifier), key(qualifier))
        if target in relations:
            return _matching(relations[target].columns(), fragment, "column")
        # A database of an attached DuckDB file: ``shop.`` -> its tables.
        prefix = key(qualifier) + "."
        tables = [
            r.name.split(".", qualifier.count(".") + 1)[-1]
            for k, r in relations.items() if k.startswith(prefix)
        ]
        return _matching(tables, fragment, "table")

    def _bare(self, sql: str, fragment: str) -> list[SimpleCompletion]:
        relations = self._relations()
        read = dict.fromkeys(
            key(m.group(0)) for m in _NAME_RE.finditer(sql) if key(m.group(0)) in relations
        )
        columns: list[str] = []
        for relation in read:
            columns.extend(relations[relation].columns())
        names = sorted((r.name for r in relations.values()), key=str.lower)
        lower = fragment.islower()
        keywords = [k.lower() if lower else k for k in KEYWORDS]
        return (
            _matching(list(dict.fromkeys(columns)), fragment, "column")
            + _matching(names, fragment, "table")
            + _matching(keywords, fragment, "keyword")
        )

    def _core_imported(self) -> bool:
        if self._warm_up is None:
            self._warm_up = threading.Thread(target=_import_core, name="mlwb-complete-warm-up",
                                             daemon=True)
            self._warm_up.start()
        self._warm_up.join(WARM_UP_WAIT_SECONDS)
        return not self._warm_up.is_alive()

    def _relations(self) -> dict[str, Relation]:
        """Everything a cell can read, by :func:`key`: workspace, named queries, DataFrames."""
        if not self._core_imported():
            return {}
        from mlworkbench.magics.run import is_frame
        from mlworkbench.notebook import runner

        state = runner()
        catalog = self._catalog_names(state)
        out = {key(n): Relation(n, lambda c=c: c) for n, c in catalog.items()}
        for name in state.named:
            out[key(name)] = Relation(
                name, lambda n=name: self._named_query_columns(state).get(n, [])
            )
        for name, value in self.shell.user_ns.items():
            if not name.startswith("_") and name.isidentifier() and is_frame(value):
                out[key(name)] = Relation(name, lambda v=value: frame_columns(v))
        return out

    def _catalog_names(self, state: Any) -> dict[str, list[str]]:
        # catalog.names() asks DuckDB for every column: do it again only when the metadata
        # generation moved (any process changed the catalog) or broken views may have healed.
        try:
            ws = state.ws
            generation = ws.store.generation()
        except Exception:  # a broken workspace completes keywords and variables only
            return {}
        cache_key = (id(ws), generation)
        healing = ws.engine.errors and time.monotonic() - self._catalog_at > RETRY_BROKEN_SECONDS
        if cache_key != self._catalog_key or healing:
            self._catalog = ws.catalog.names()
            self._catalog_key, self._catalog_at = cache_key, time.monotonic()
        return self._catalog

    def _named_query_columns(self, state: Any) -> dict[str, list[str]]:
        cache_key = (tuple(state.named.items()), self._catalog_key)
        if cache_key == self._named_key:
            return self._named_columns
        out: dict[str, list[str]] = {}
        cursor = state.ws.engine.cursor()
        try:
            for view, text in state.named.items():  # later ones may read earlier ones
                try:
                    cursor.execute(f'CREATE OR REPLACE TEMP VIEW "{view}" AS {text}')
                    described = cursor.execute(f'SELECT * FROM "{view}" LIMIT 0').description
                    out[view] = [column[0] for column in described]
                except Exception:  # it reads a DataFrame or something gone: no columns
                    continue
        finally:
            cursor.close()
        self._named_key, self._named_columns = cache_key, out
        return out


def _import_core() -> None:
    try:
        import mlworkbench.core.workspace.workspace  # noqa: F401
        import mlworkbench.notebook  # noqa: F401
    except Exception:  # the completion that needs them reports nothing either
        pass


def frame_columns(value: Any) -> list[str]:
    """Column names of a pandas/polars DataFrame or LazyFrame or an Arrow table/reader/dataset."""
    library = type(value).__module__.split(".")[0]
    if library == "pyarrow":
        return list(value.schema.names)
    if library == "polars" and type(value).__name__ == "LazyFrame":
        return list(value.collect_schema().names())
    return [str(c) for c in value.columns]


def _matching(names: list[str], fragment: str, kind: str) -> list[SimpleCompletion]:
    folded = fragment.lower()
    return [SimpleCompletion(n, type=kind) for n in names if n.lower().startswith(folded)]
