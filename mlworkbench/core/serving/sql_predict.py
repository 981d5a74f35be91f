"""``predict('churn@production', *)`` and ``predict('churn@2', col_a, col_b)`` in DuckDB SQL.

DuckDB's Python functions have fixed argument and result types and never see the names of
their arguments, while a model needs its columns by name and returns its own label type. So a
query is prepared before it runs (:func:`prepare_predict`):

1. DuckDB's own tokenizer finds each ``predict(<model>, ...)`` call outside strings and
   comments (``x.predict(...)``, a function of another schema, is left alone).
2. Each distinct model is loaded once for the query (``load``, e.g. ``ws.registry.load``).
3. One vectorised (Arrow) function per model is registered under a unique name, taking the
   model's signature columns with their DuckDB types and returning its label type (VARCHAR,
   BIGINT, DOUBLE or BOOLEAN for a classifier; DOUBLE for a regressor).
4. The call is rewritten to that function: ``*`` (or ``t.*``) becomes the signature's columns
   by name, so a table holding them in another order, or holding more columns, still hands
   the model the right ones; named arguments that are plain column references are matched by
   name, other arguments by position in signature order.

The rest of the statement is left as written. Leaving the :class:`PreparedPredict` context
removes the functions again. DuckDB refusing the rewritten call (a column the table lacks, a
column of another type) is turned into the model's :class:`SignatureError` (422) by
:meth:`PreparedPredict.translate`.
"""

from __future__ import annotations

import inspect
import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import duckdb

from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.data.statements import tokens as statement_tokens
from mlworkbench.core.errors import BadRequestError, WorkbenchError
from mlworkbench.core.registry.signature import Signature, SignatureError

#: The DuckDB type each logical signature type is passed to the model as.
DUCKDB_TYPES = {"integer": "BIGINT", "float": "DOUBLE", "boolean": "BOOLEAN",
                "string": "VARCHAR", "datetime": "TIMESTAMP", "date": "DATE"}
FUNCTION = "predict"
_BRACKETS = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_NO_MATCH = re.compile(r"No function matches the given name and argument types "
                       r"'(?P<name>[^(]+)\((?P<types>.*)\)'")
_NOT_FOUND = re.compile(r'Referenced column "(?P<column>[^"]+)" not found')


class PredictModel(Protocol):
    """What ``predict()`` needs of a loaded model (the registry's ``LoadedModel``)."""

    name: str
    version: int
    signature: Signature
    task: str | None
    classes: list[Any] | None

    @property
    def label(self) -> str: ...

    def predict(self, frame: Any) -> Any: ...


@dataclass
class PredictCall:
    """One ``predict(...)`` in the query text: its span, model and argument texts."""

    start: int
    end: int
    arguments: list[str]


@dataclass
class _Function:
    name: str
    model: PredictModel
    types: list[str]
    result: str


@dataclass
class PreparedPredict:
    """A query with its ``predict()`` calls rewritten, and the functions they call.

    Use it as a context manager: leaving it removes the functions (and the stream of a
    streamed query) from the connection. Run ``sql`` once, on ``connection``: a streamed
    query's rows are a stream registered on that connection and are read once (materialise
    them, e.g. ``CREATE TEMP TABLE r AS <sql>``, to read them again).

    Attributes:
        sql: The query to run.
        parameters: The parameters to run it with (None when a streamed query bound them).
        functions: The registered function names, each with its model.
        streamed: Whether the predictions come from large batches (``sql_stream``) rather
            than from a function DuckDB calls per 2,048 rows.
    """

    sql: str
    connection: duckdb.DuckDBPyConnection | None = None
    parameters: Any = None
    functions: dict[str, _Function] = field(default_factory=dict)
    streamed: bool = False
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    #: (start, end) of each rewritten call in the user's text and in ``sql``, in order.
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    def __enter__(self) -> PreparedPredict:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the registered functions (safe to call twice)."""
        for name in list(self.functions):
            try:
                self.connection.remove_function(name)
            except duckdb.Error:
                pass  # the connection was closed: its functions went with it
            del self.functions[name]
        while self.cleanups:
            self.cleanups.pop()()

    def user_offset(self, offset: int) -> int:
        """The offset in the user's text of an offset into :attr:`sql` (an error's position);
        a position inside a rewritten call is the call's start."""
        shift = 0
        for start, end, new_start, new_end in self.spans:
            if offset < new_start:
                break
            if offset < new_end:
                return start
            shift = new_end - end
        return offset - shift

    def translate(self, error: Exception) -> WorkbenchError | None:
        """The signature error behind DuckDB refusing a rewritten call, else None.

        A missing column of a ``predict(m, *)`` call, or an argument DuckDB will not cast to
        the type the model was trained on, becomes the model's :class:`SignatureError`.
        """
        text = str(error)
        match = _NO_MATCH.search(text)
        if match and match.group("name") in self.functions:
            function = self.functions[match.group("name")]
            given = list(zip(function.model.signature.columns, function.types,
                             _split_types(match.group("types")), strict=False))
            refused = [g for g in given if not _castable(g[2], g[1])] or [
                g for g in given if g[2].upper() != g[1]]  # DuckDB knows better: all that differ
            return SignatureError(function.model.label, [], [
                {"column": column.name, "expected": column.type, "got": got.lower(),
                 "example": None} for column, _, got in refused])
        match = _NOT_FOUND.search(text)
        if match:
            for function in self.functions.values():
                if match.group("column") in function.model.signature.names:
                    return SignatureError(function.model.label, [match.group("column")], [])
        return None


def prepare_predict(connection: duckdb.DuckDBPyConnection, sql: str,
                    load: Callable[[str], PredictModel], parameters: Any = None, *,
                    stream: bool = True) -> PreparedPredict:
    """Rewrite the ``predict()`` calls of ``sql`` and register what they call.

    A query whose ``predict()`` calls are all items of its outer SELECT list is streamed
    (``sql_stream``): DuckDB runs it with the calls' arguments in their place, the models
    predict on batches of ~130,000 rows, and ``sql`` becomes a scan of that stream. Any other
    query (or one that does not bind so rewritten) calls one function per model per 2,048-row
    batch, which costs each prediction call's overhead 64 times as often.

    Args:
        connection: The DuckDB connection (or cursor) the query will run on; functions are
            registered in its database under unique names, so queries running at once do not
            see each other's.
        sql: The query text as the user wrote it (one statement).
        load: Loads a model by reference (``"churn@production"``); called once per distinct
            reference.
        parameters: The query's ``$name`` or positional values; run the result's ``sql`` with
            its ``parameters``.
        stream: Try the streamed form first (False: always the per-batch function).

    Returns:
        The rewritten query; ``sql`` itself, with nothing registered, when it calls no
        ``predict()``.

    Raises:
        BadRequestError: A ``predict()`` whose first argument is not the model as a string
            literal.
        NotFoundError: An unknown model, version or alias (from ``load``; 404).
        SignatureError: Arguments that cannot be matched to the model's columns (422).
    """
    calls = find_calls(sql)
    prepared = PreparedPredict(sql, connection, parameters)
    if not calls:
        return prepared
    loaded: dict[str, PredictModel] = {}

    def load_once(ref: str) -> PredictModel:
        if ref not in loaded:
            loaded[ref] = load(ref)
        return loaded[ref]

    if stream:
        from mlworkbench.core.serving.sql_stream import prepare_streamed

        streamed = prepare_streamed(connection, sql, calls, load_once, parameters)
        if streamed is not None:
            return streamed
    try:
        by_ref: dict[str, _Function] = {}
        pieces, done = [], 0
        for call in calls:
            ref, arguments = model_argument(connection, call)
            if ref not in by_ref:
                by_ref[ref] = _register(connection, load_once(ref))
                prepared.functions[by_ref[ref].name] = by_ref[ref]
            function = by_ref[ref]
            columns = model_columns(function.model, arguments)
            written = f"{quote(function.name)}({', '.join(columns)})"
            at = sum(len(piece) for piece in pieces) + call.start - done
            prepared.spans.append((call.start, call.end, at, at + len(written)))
            pieces += [sql[done:call.start], written]
            done = call.end
        prepared.sql = "".join(pieces) + sql[done:]
    except BaseException:
        prepared.close()
        raise
    return prepared


def find_calls(sql: str) -> list[PredictCall]:
    """The top-level ``predict(...)`` calls in ``sql``, found with DuckDB's tokenizer.

    >>> [c.arguments for c in find_calls("SELECT predict('m', *), 'predict(' -- predict(x)")]
    [["'m'", '*']]
    """
    tokens = statement_tokens(sql)  # character offsets (DuckDB's count UTF-8 bytes)
    calls, i = [], 0
    while i < len(tokens) - 1:
        pos, kind, text = tokens[i]
        if (kind == duckdb.token_type.identifier and text.strip('"').lower() == FUNCTION
                and tokens[i + 1][2] == "(" and not (i and tokens[i - 1][2] == ".")):
            call, i = _call(sql, tokens, i)
            calls.append(call)
            continue
        i += 1
    return calls


def _call(sql: str, tokens: list[tuple[int, Any, str]], at: int) -> tuple[PredictCall, int]:
    """The call whose name is token ``at``, and the index of the token after it."""
    depth, start, arguments = 0, tokens[at + 1][0] + 1, []
    for i in range(at + 1, len(tokens)):
        pos, kind, text = tokens[i]
        if kind != duckdb.token_type.operator:
            continue
        depth += _BRACKETS.get(text, 0)
        if depth == 1 and text == ",":
            arguments.append(sql[start:pos].strip())
            start = pos + 1
        elif depth == 0:
            arguments.append(sql[start:pos].strip())
            return PredictCall(tokens[at][0], pos + 1, [a for a in arguments if a]), i + 1
    raise BadRequestError("sql", "A predict( call is not closed: add the missing ')'.")


def model_argument(connection: duckdb.DuckDBPyConnection,
                    call: PredictCall) -> tuple[str, list[dict[str, Any]]]:
    """The model reference of a call and its other arguments as DuckDB parses them."""
    parsed = _parse(connection, ", ".join(call.arguments))
    first = parsed[0] if parsed else {}
    literal = first.get("literal") or {}
    if first.get("class") != "CONSTANT" or literal.get("kind") != "STRING":
        raise BadRequestError(
            "sql", "predict()'s first argument is the model as a string literal, such as "
                   "predict('churn@production', *) or predict('churn@2', col_a, col_b).")
    return literal["text"], [{**node, "text": text}
                             for node, text in zip(parsed[1:], call.arguments[1:],
                                                   strict=True)]


def _parse(connection: duckdb.DuckDBPyConnection, arguments: str) -> list[dict[str, Any]]:
    """The argument expressions, parsed by DuckDB (its JSON form of the statement)."""
    serialized = connection.execute("SELECT json_serialize_sql($1)",
                                    [f"SELECT {arguments}"]).fetchall()[0][0]
    statement = json.loads(serialized)
    if statement.get("error"):
        raise BadRequestError("sql", f"The arguments of predict() do not parse: "
                                     f"{statement.get('error_message')}.")
    return statement["statements"][0]["node"]["select_list"]


def model_columns(model: PredictModel, arguments: list[dict[str, Any]]) -> list[str]:
    """The argument texts of the rewritten call, one per signature column, in its order."""
    names = model.signature.names
    if len(arguments) == 1 and arguments[0].get("class") == "STAR":
        relation = arguments[0].get("relation_name") or ""
        prefix = f"{quote(relation)}." if relation else ""
        return [prefix + quote(name) for name in names]
    given = [_column_name(node) for node in arguments]
    if all(given) and set(names) <= set(given):
        by_name = {name: node["text"] for name, node in zip(given, arguments, strict=True)}
        return [by_name[name] for name in names]
    if len(arguments) == len(names):
        return [node["text"] for node in arguments]
    missing = [name for name in names if name not in given]
    raise SignatureError(model.label, missing, [])


def _column_name(node: dict[str, Any]) -> str | None:
    if node.get("class") == "COLUMN_REF" and node.get("column_names"):
        return node["column_names"][-1]
    return None


def _register(connection: duckdb.DuckDBPyConnection, model: PredictModel) -> _Function:
    columns = model.signature.columns
    types = [DUCKDB_TYPES.get(column.type, "VARCHAR") for column in columns]
    function = _Function(f"__mlwb_predict_{uuid.uuid4().hex[:12]}", model, types,
                         result_type(model))
    connection.create_function(function.name, _vectorised(function), types, function.result,
                               type="arrow", null_handling="special")
    return function


def result_type(model: PredictModel) -> str:
    """The DuckDB type of the model's predictions: the type of its labels for a classifier
    (VARCHAR when they mix types), DOUBLE for a regressor."""
    if model.task == "regression" or not model.classes:
        return "DOUBLE"
    classes = [c.item() if hasattr(c, "item") else c for c in model.classes]
    if all(isinstance(c, bool) for c in classes):
        return "BOOLEAN"
    if all(isinstance(c, int) and not isinstance(c, bool) for c in classes):
        return "BIGINT"
    if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in classes):
        return "DOUBLE"
    return "VARCHAR"


def arrow_type(result: str) -> Any:
    """The Arrow type of a DuckDB result type of :func:`result_type`."""
    import pyarrow as pa

    return {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
            "BOOLEAN": pa.bool_()}[result]


def to_arrow(predictions: Any, kind: Any) -> Any:
    """Predictions as an Arrow array of ``kind`` (labels as text for a string result)."""
    import pyarrow as pa

    values = predictions.tolist() if hasattr(predictions, "tolist") else list(predictions)
    if kind == pa.string():
        values = [None if v is None else str(v) for v in values]
    return pa.array(values, type=kind, from_pandas=True)


def _vectorised(function: _Function) -> Callable[..., Any]:
    """The Arrow function DuckDB calls once per batch of rows."""
    import pyarrow as pa

    names = function.model.signature.names
    kind = arrow_type(function.result)

    def predict(*arrays: Any) -> Any:
        frame = pa.Table.from_arrays(list(arrays), names=names).to_pandas()
        # One thread per batch: DuckDB already runs batches on its own threads, and an
        # OpenMP team per 2,048-row batch costs more than the prediction.
        with _single_thread():
            return to_arrow(function.model.predict(frame), kind)

    # DuckDB counts the parameters of the Python function: one per signature column.
    predict.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(f"c{i}", inspect.Parameter.POSITIONAL_ONLY)
         for i in range(len(names))])
    return predict


_controller: Any = None
_controller_lock = threading.Lock()


def _single_thread() -> Any:
    """Limit OpenMP to one thread in this block (one controller: building it is slow)."""
    global _controller
    with _controller_lock:
        if _controller is None:
            from threadpoolctl import ThreadpoolController

            _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="openmp")


def _split_types(types: str) -> list[str]:
    """``'VARCHAR, STRUCT(a INTEGER, b INTEGER)'`` -> its top-level types."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(types):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(types[start:i].strip())
            start = i + 1
    parts.append(types[start:].strip())
    return parts


def _castable(given: str, expected: str) -> bool:
    """Whether DuckDB casts ``given`` to ``expected`` on its own (the binder said no to at
    least one argument; these are the ones it would have taken)."""
    given = given.upper().removesuffix("_LITERAL")
    if given == expected or given == "NULL":
        return True
    integers = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                "UINTEGER")
    if expected in ("BIGINT",):
        return given in integers
    if expected == "DOUBLE":
        return given in (*integers, "UBIGINT", "HUGEINT", "FLOAT", "DOUBLE") or \
            given.startswith("DECIMAL")
    if expected == "TIMESTAMP":
        return given in ("DATE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS")
    return False
