"""The preprocessing of a fitted pipeline, compiled: plain columns in, the model's matrix out.

Our training's ``ColumnTransformer`` (``training/pipelines.build_preprocessor``) has parts of
three shapes, each compiled its own way:

- ``numbers`` (``as_floats``): the values as float64, ``None`` as NaN;
- ``categories`` and ``strings:target`` (``as_strings`` then an ``OrdinalEncoder``,
  ``OneHotEncoder`` or ``TargetEncoder``): a lookup table per column, made by calling the real
  fitted encoder once on every known category, on a missing value and on an unseen one, so
  the table holds exactly what the encoder answers;
- ``strings:*`` and ``text:*`` (skrub string encoders): the real fitted sub-pipeline, called on
  a small pandas column of just those values.

Anything else (passthrough, dates, an unknown transformer) is :class:`Unsupported`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: A category no encoder was fitted on (its answer is every unseen category's answer).
UNSEEN = "\x00mlworkbench-unseen\x00"
NUMBER_TYPES = ("integer", "float", "boolean")


class Unsupported(Exception):
    """The pipeline holds something the fast path does not compile (the message says what)."""


@dataclass
class _Numbers:
    names: list[str]
    out: slice

    def fill(self, columns: dict[str, list], n: int, matrix: np.ndarray) -> None:
        for i, name in enumerate(self.names):
            matrix[:, self.out.start + i] = [np.nan if v is None else v for v in columns[name]]


@dataclass
class _Tables:
    names: list[str]
    out: slice
    #: Per column: (category -> output block, block of a missing value, block of an unseen one).
    tables: list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]
    widths: list[int]

    def fill(self, columns: dict[str, list], n: int, matrix: np.ndarray) -> None:
        start = self.out.start
        for name, (known, missing, unseen), width in zip(self.names, self.tables, self.widths,
                                                          strict=True):
            for row, value in enumerate(columns[name]):
                block = missing if value is None else known.get(value, unseen)
                matrix[row, start:start + width] = block
            start += width


@dataclass
class _Delegate:
    names: list[str]
    scalar: bool  # the ColumnTransformer gave this part one column as a Series
    out: slice
    transformer: Any

    def fill(self, columns: dict[str, list], n: int, matrix: np.ndarray) -> None:
        matrix[:, self.out] = np.asarray(self.transformer.transform(
            _pandas(self.names, columns, self.scalar)))


def _pandas(names: list[str], columns: dict[str, list], scalar: bool) -> Any:
    import pandas as pd

    series = {n: pd.Series([np.nan if v is None else v for v in columns[n]], name=n,
                           dtype="str") for n in names}
    return series[names[0]] if scalar else pd.DataFrame(series)


class Preprocessor:
    """The compiled ``ColumnTransformer``: ``matrix(columns, n)`` is its ``transform``.

    Attributes:
        types: Input column -> the signature type it accepts ('integer', 'float', 'boolean'
            or 'string').
        width: Output columns.
        dtype: The output's dtype (what the real ``ColumnTransformer`` gives).
    """

    def __init__(self, parts: list[Any], types: dict[str, str], width: int,
                 dtype: np.dtype) -> None:
        self.parts, self.types, self.width, self.dtype = parts, types, width, dtype

    def matrix(self, columns: dict[str, list], n: int) -> np.ndarray:
        out = np.empty((n, self.width), dtype=np.float64)
        for part in self.parts:
            part.fill(columns, n, out)
        return out if self.dtype == np.float64 else out.astype(self.dtype)


def compile_columns(ct: Any, signature: Any) -> Preprocessor:
    """Compile a fitted ``ColumnTransformer`` of our training for the columns of ``signature``.

    Raises:
        Unsupported: A part, or a column type, that is not compiled.
    """
    from sklearn.compose import ColumnTransformer

    if type(ct) is not ColumnTransformer or getattr(ct, "sparse_output_", False):
        raise Unsupported(f"the first step is {type(ct).__name__}, not a dense ColumnTransformer")
    sig = {c.name: c.type for c in signature.columns}
    parts: list[Any] = []
    types: dict[str, str] = {}
    dtypes: list[np.dtype] = []
    for name, transformer, spec in ct.transformers_:
        out = ct.output_indices_[name]
        if isinstance(transformer, str):
            if transformer == "drop" or out.stop == out.start:
                continue
            raise Unsupported(f"part '{name}' is '{transformer}'")
        scalar = isinstance(spec, str)
        names = [spec] if scalar else list(spec)
        if not all(isinstance(n, str) and n in sig for n in names):
            raise Unsupported(f"part '{name}' reads columns {names} not in the signature")
        try:
            kind = _kind(transformer)
        except Unsupported as why:
            raise Unsupported(f"part '{name}' ({', '.join(names)}): {why}") from None
        wanted = NUMBER_TYPES if kind == "numbers" else ("string",)
        for n in names:
            if sig[n] not in wanted or types.get(n, sig[n]) != sig[n]:
                raise Unsupported(f"column '{n}' ({sig[n]}) goes to a {kind} part")
            types[n] = sig[n]
        if kind == "numbers":
            parts.append(_Numbers(names, out))
            dtypes.append(np.dtype(np.float64))
        elif kind == "table":
            part = _tables(names, out, transformer)
            parts.append(part)
            dtypes.append(part.dtype)
        else:
            sample = np.asarray(transformer.transform(_pandas(
                names, {n: ["a", None] for n in names}, scalar)))
            if sample.ndim != 2 or sample.shape[1] != out.stop - out.start:
                raise Unsupported(f"part '{name}' gives {sample.shape} for two rows")
            parts.append(_Delegate(names, scalar, out, transformer))
            dtypes.append(sample.dtype)
    width = max((p.out.stop for p in parts), default=0)
    if width == 0:
        raise Unsupported("the ColumnTransformer has no output")
    return Preprocessor(parts, types, width, np.result_type(*dtypes))


def _kind(transformer: Any) -> str:
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import (
        FunctionTransformer,
        OneHotEncoder,
        OrdinalEncoder,
        TargetEncoder,
    )

    from mlworkbench.core.training.pipelines import DistinctValues, as_floats, as_strings

    def plain(step: Any, func: Any) -> bool:
        return (type(step) is FunctionTransformer and step.func is func
                and step.kw_args is None and not step.validate)

    if plain(transformer, as_floats):
        return "numbers"
    steps = [s for _, s in transformer.steps] if type(transformer) is Pipeline else []
    if len(steps) == 2 and plain(steps[0], as_strings):
        if type(steps[1]) in (OrdinalEncoder, OneHotEncoder, TargetEncoder):
            return "table"
        if type(steps[1]) is DistinctValues:
            return "delegate"
    raise Unsupported(f"{type(transformer).__name__} "
                      f"{[type(s).__name__ for s in steps] or ''} is not compiled")


def _tables(names: list[str], out: slice, pipeline: Any) -> _Tables:
    """Lookup tables from the real encoder's answers on every category, None and UNSEEN."""
    import pandas as pd
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    encoder = pipeline.steps[-1][1]
    if len(encoder.categories_) != len(names):
        raise Unsupported("the encoder's columns are not the part's")
    if type(encoder) is OrdinalEncoder:
        widths = [1] * len(names)
    elif type(encoder) is OneHotEncoder:
        if getattr(encoder, "_infrequent_enabled", False):
            raise Unsupported("a OneHotEncoder with infrequent categories")
        drops = encoder.drop_idx_ if encoder.drop_idx_ is not None else [None] * len(names)
        widths = [len(c) - (d is not None) for c, d in zip(encoder.categories_, drops,
                                                           strict=True)]
    else:  # TargetEncoder: one column per feature, or per feature and class
        widths = [len(encoder.encodings_) // len(names)] * len(names)
    if sum(widths) != out.stop - out.start:
        raise Unsupported(f"the encoder's output width is not {sum(widths)}")
    values = [[c for c in cats if isinstance(c, str)] + [None, UNSEEN]
              for cats in encoder.categories_]
    rows = sum(len(v) for v in values)
    frame = {n: [UNSEEN] * rows for n in names}
    at = 0
    for n, vals in zip(names, values, strict=True):
        frame[n][at:at + len(vals)] = vals
        at += len(vals)
    result = np.asarray(pipeline.transform(pd.DataFrame(
        {n: pd.Series([np.nan if v is None else v for v in frame[n]], dtype="str")
         for n in names})))
    tables, at, start = [], 0, 0
    for vals, width in zip(values, widths, strict=True):
        block = result[at:at + len(vals), start:start + width].astype(np.float64)
        known = {v: block[i] for i, v in enumerate(vals[:-2])}
        tables.append((known, block[-2], block[-1]))
        at += len(vals)
        start += width
    part = _Tables(names, out, tables, widths)
    part.dtype = result.dtype
    return part
