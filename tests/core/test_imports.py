"""Importing CSV, Parquet, JSON and Excel files as workspace tables or sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from mlworkbench.core.data.csv_rejects import first_undecodable
from mlworkbench.core.errors import BadRequestError, ConflictError, InvalidRequestError
from mlworkbench.schemas import ImportFileRequest, ImportMode

from .conftest import write_parquet


def import_(ws, path: Path, **kw):
    return ws.imports.import_file(path, ImportFileRequest(filename=path.name, **kw))


def leftovers(ws) -> list[str]:
    uploads = ws.path / "uploads"
    return sorted(p.name for p in uploads.iterdir()) if uploads.is_dir() else []


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Orders"
    sheet.append(["id", "city", "amount", "ordered", "mixed"])
    sheet.append([1, "Oslo", 9.5, dt.datetime(2024, 1, 2), 1])
    sheet.append([2, None, 3, dt.datetime(2024, 2, 3), "two"])
    sheet.append([3, "Rome", None, None, None])
    book.create_sheet("Blank")
    chart = book.create_chartsheet("Chart")
    bars = BarChart()
    bars.add_data(Reference(sheet, min_col=3, min_row=1, max_row=4), titles_from_data=True)
    chart.add_chart(bars)
    book.save(path)
    return path


def test_a_csv_becomes_a_versioned_table_and_the_upload_is_gone(ws, root):
    path = write_bytes(root / "Sales 2024.csv", b"id,name\n1,ann\n2,bob\n")
    done = import_(ws, path)
    assert (done.mode, done.name, done.row_count) == (ImportMode.table, "sales_2024", 2)
    assert [(c.name, c.type) for c in done.columns] == [("id", "BIGINT"), ("name", "VARCHAR")]
    assert done.table.version == 1 and done.size_bytes == path.stat().st_size
    assert ws.query("SELECT name FROM sales_2024 ORDER BY id")["name"].tolist() == ["ann", "bob"]
    assert "Sales 2024.csv" in ws.tables.describe("sales_2024").versions[0].sql
    assert leftovers(ws) == []
    again = import_(ws, path, overwrite=True)
    assert again.table.version == 2


def test_parquet_and_json_files_import_as_tables(ws, root):
    parquet = write_parquet(root / "nums.parquet", "SELECT range AS n FROM range(7)")
    assert import_(ws, parquet).row_count == 7
    ndjson = write_bytes(root / "events.ndjson", b'{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n')
    assert import_(ws, ndjson).row_count == 2
    array = write_bytes(root / "list.json", b'[{"a": 1}, {"a": 2, "c": true}]')
    assert [c.name for c in import_(ws, array, name="from json").columns] == ["a", "c"]
    assert ws.query('SELECT count(*) AS n FROM "from json"')["n"][0] == 2


def test_ragged_rows_name_the_line_and_can_be_skipped(ws, root):
    path = write_bytes(root / "ragged.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n")
    with pytest.raises(InvalidRequestError) as raised:
        import_(ws, path)
    error = raised.value
    assert error.status == 422 and error.detail["line"] == 3
    assert "Line 3" in error.message and "'4,5'" in error.message
    assert "ignore_errors" in error.message and "2 lines" in error.message
    assert ws.tables.names() == [] and leftovers(ws) == []

    done = import_(ws, path, ignore_errors=True)
    assert done.row_count == 2 and done.rejected_rows == 2
    assert [r.line for r in done.rejected] == [3, 5]
    assert done.rejected[0].text == "4,5"


def test_a_bad_encoding_names_the_byte_offset_and_line_and_suggests_the_option(ws, root):
    path = write_bytes(root / "latin.csv", "id,city\n1,Oslo\n2,Malmö\n".encode("latin-1"))
    with pytest.raises(InvalidRequestError) as raised:
        import_(ws, path)
    error = raised.value
    assert error.detail["byte_offset"] == 21 and error.detail["line"] == 3
    assert "0xF6" in error.message and "encoding=latin-1" in error.message
    assert leftovers(ws) == []
    done = import_(ws, path, encoding="latin-1")
    assert ws.query("SELECT city FROM latin WHERE id = 2")["city"][0] == "Malmö"
    assert done.row_count == 2


def test_first_undecodable_finds_a_bad_byte_across_chunk_boundaries(tmp_path):
    head = "é".encode() * ((1 << 20) // 2) + b"\n"  # a two-byte character spans the boundary
    path = write_bytes(tmp_path / "f.csv", b"x" + head + b"ok\n\xff")
    assert first_undecodable(path) == (len(head) + 4, 3, 0xFF)
    assert first_undecodable(write_bytes(tmp_path / "g.csv", b"x" + head)) is None


def test_an_empty_file_an_unknown_type_and_a_taken_name_are_refused(ws, root):
    with pytest.raises(InvalidRequestError, match="empty"):
        import_(ws, write_bytes(root / "empty.csv", b""))
    with pytest.raises(BadRequestError) as raised:
        import_(ws, write_bytes(root / "notes.docx", b"x"))
    assert raised.value.status == 400 and "Accepted: CSV" in raised.value.message
    with pytest.raises(BadRequestError, match="as .xlsx"):
        import_(ws, write_bytes(root / "old.xls", b"x"))
    with pytest.raises(BadRequestError, match="path"):
        ws.imports.check(ImportFileRequest(filename="../x.csv"))
    path = write_bytes(root / "t.csv", b"a\n1\n")
    import_(ws, path)
    with pytest.raises(ConflictError, match="overwrite=true"):
        import_(ws, path)
    assert leftovers(ws) == []


def test_an_excel_sheet_imports_with_types_per_column(ws, root):
    path = workbook(root / "book.xlsx")
    done = import_(ws, path)
    assert done.sheet == "Orders" and done.sheets == ["Orders", "Blank", "Chart"]
    types = {c.name: c.type for c in done.columns}
    assert types == {
        "id": "BIGINT",
        "city": "VARCHAR",
        "amount": "DOUBLE",
        "ordered": "TIMESTAMP",
        "mixed": "VARCHAR",
    }
    frame = ws.query("SELECT * FROM book ORDER BY id")
    assert frame["mixed"].tolist()[:2] == ["1", "two"] and done.row_count == 3


@pytest.mark.parametrize(
    "sheet,expected",
    [
        ("Nope", "has no sheet named 'Nope'; its sheets are 'Orders', 'Blank', 'Chart'"),
        ("Blank", "sheet 'Blank' of 'book.xlsx': the sheet is empty"),
        ("Chart", "sheet 'Chart' of 'book.xlsx': it is a chart sheet"),
    ],
)
def test_a_sheet_that_cannot_be_read_is_named_with_the_reason(ws, root, sheet, expected):
    with pytest.raises(InvalidRequestError) as raised:
        import_(ws, workbook(root / "book.xlsx"), sheet=sheet)
    assert raised.value.status == 422 and expected in raised.value.message
    assert raised.value.detail["sheet"] == sheet
    assert ws.tables.names() == [] and leftovers(ws) == []


def test_a_file_that_is_not_a_workbook_says_so(ws, root):
    with pytest.raises(InvalidRequestError, match="not an .xlsx workbook"):
        import_(ws, write_bytes(root / "fake.xlsx", b"id,name\n1,a\n"))


def test_source_mode_keeps_the_file_in_uploads_and_registers_it(ws, root):
    csv = write_bytes(root / "people.csv", b"id,name\n1,ann\n2,bob\n")
    done = import_(ws, csv, mode="source")
    assert done.mode is ImportMode.source and done.source.name == "people"
    assert done.row_count == 2
    kept = leftovers(ws)
    assert len(kept) == 1 and kept[0].startswith("people-") and kept[0].endswith(".csv")
    assert ws.query("SELECT count(*) AS n FROM people")["n"][0] == 2
    with pytest.raises(ConflictError, match="remove the source first"):
        import_(ws, csv, mode="source")

    book = import_(ws, workbook(root / "book.xlsx"), mode="source", name="orders_xl")
    assert book.source.kind.value == "parquet" and book.row_count == 3
    assert ws.query("SELECT count(*) AS n FROM orders_xl")["n"][0] == 3


def test_source_mode_checks_the_whole_file_and_refuses_table_only_options(ws, root):
    bad = write_bytes(root / "bad.csv", b"a,b\n1,2\n3\n")
    with pytest.raises(InvalidRequestError, match="as a table") as raised:
        import_(ws, bad, mode="source")
    assert raised.value.detail["line"] == 3
    with pytest.raises(InvalidRequestError, match="mode=table only"):
        import_(ws, bad, mode="source", ignore_errors=True)
    assert ws.catalog.describe().sources == [] and leftovers(ws) == []
