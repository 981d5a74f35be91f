"""Reading one sheet of an Excel workbook (.xlsx, .xlsm) into a Parquet file.

DuckDB's own excel extension is not built into the wheel (and cannot be downloaded here), so
sheets are read with openpyxl (read-only, cached values rather than formulas), typed per column
and written with pyarrow. The first non-empty row names the columns.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from mlworkbench.core.errors import InvalidRequestError


def _sheet_error(filename: str, sheet: str | None, reason: str, **detail: Any):
    where = f"sheet '{sheet}' of '{filename}'" if sheet else f"'{filename}'"
    return InvalidRequestError("sheet", f"Cannot read {where}: {reason}", sheet=sheet, **detail)


def _column_names(header: tuple) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(header, start=1):
        base = str(value).strip() if value is not None and str(value).strip() else f"column{i}"
        name, n = base, 2
        while name.lower() in seen:
            name, n = f"{base}_{n}", n + 1
        seen.add(name.lower())
        names.append(name)
    return names


def _array(values: list[Any]):
    """One column as an Arrow array: bool, int64, double, timestamp, date or time when every
    value agrees, else text (so a column mixing numbers and words keeps both)."""
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return pa.array([None] * len(values), type=pa.string())
    if kinds == {bool}:
        return pa.array(values, type=pa.bool_())
    if kinds == {int}:
        try:
            return pa.array(values, type=pa.int64())
        except OverflowError:
            pass
    elif kinds <= {int, float}:
        return pa.array([None if v is None else float(v) for v in values], type=pa.float64())
    if kinds == {dt.datetime}:
        return pa.array(values, type=pa.timestamp("us"))
    if kinds == {dt.date}:
        return pa.array(values, type=pa.date32())
    if kinds == {dt.time}:
        return pa.array(values, type=pa.time64("us"))
    return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def sheet_names(path: Path, filename: str) -> list[str]:
    """The workbook's sheets, in order.

    Raises:
        InvalidRequestError: Not a workbook openpyxl can open (the message says why).
    """
    workbook = _open(path, filename)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _open(path: Path, filename: str):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # A file object, not the path: openpyxl refuses a path whose extension it does not know
    # (an upload's temp name). The read-only workbook reads it lazily; close() closes it.
    try:
        file = open(path, "rb")  # noqa: SIM115 - the workbook keeps it open until close()
        return openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException) as error:
        raise _sheet_error(
            filename,
            None,
            "it is not an .xlsx workbook (a password-protected or old .xls file cannot be "
            f"read; save it as .xlsx without a password). ({type(error).__name__}: {error})",
        ) from None
    except Exception as error:  # openpyxl raises many kinds on parts it does not understand
        raise _sheet_error(
            filename,
            None,
            f"openpyxl cannot read this workbook ({type(error).__name__}: {error}). Open it in "
            "Excel and save it again, or export the sheet as CSV.",
        ) from None


def read_sheet(
    path: Path, filename: str, sheet: str | None, out: Path
) -> tuple[str, list[str], int]:
    """Write one sheet to ``out`` as Parquet.

    Args:
        path: The workbook.
        filename: Its name as uploaded, for messages.
        sheet: The sheet's name; None for the first one.
        out: The Parquet file to write.

    Returns:
        The sheet read, every sheet's name, and the number of data rows.

    Raises:
        InvalidRequestError: The workbook cannot be opened, no sheet has this name, or the
            sheet cannot be read (a chart sheet, an empty sheet, a cell openpyxl refuses); the
            message names the sheet and why.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    workbook = _open(path, filename)
    try:
        names = list(workbook.sheetnames)
        if sheet is None:
            sheet = names[0]
        elif sheet not in names:
            listed = ", ".join(f"'{n}'" for n in names)
            raise InvalidRequestError(
                "sheet",
                f"'{filename}' has no sheet named '{sheet}'; its sheets are {listed}.",
                sheet=sheet,
                sheets=names,
            )
        worksheet = workbook[sheet]
        if not hasattr(worksheet, "iter_rows"):
            raise _sheet_error(filename, sheet, "it is a chart sheet, which holds no cells.")
        try:
            rows = [r for r in worksheet.iter_rows(values_only=True)]
        except Exception as error:  # openpyxl raises many kinds on a malformed sheet
            raise _sheet_error(filename, sheet, f"{type(error).__name__}: {error}") from None
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        start = next((i for i, r in enumerate(rows) if any(v is not None for v in r)), None)
        if start is None:
            raise _sheet_error(filename, sheet, "the sheet is empty.", sheets=names)
        header, data = rows[start], rows[start + 1 :]
        width = max(len(r) for r in rows[start:])
        columns = _column_names(tuple(header) + (None,) * (width - len(header)))
        arrays = [
            _array([r[i] if i < len(r) else None for r in data]) for i in range(width)
        ]
        pq.write_table(pa.table(arrays, names=columns), out)
        return sheet, names, len(data)
    finally:
        workbook.close()
