"""Uploading files through POST /imports: the raw body streamed to the workspace."""

import asyncio
import io
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq


def _uploads(jp_server_config) -> list[str]:
    folder = Path(jp_server_config["MLWorkbench"]["workspace"]) / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


async def upload(api, data: bytes, filename: str, **params: str):
    return await api.call("POST", "imports", data, filename=filename, **params)


async def test_a_csv_upload_becomes_a_table_that_queries_at_once(api, jp_server_config):
    rows = "".join(f"{i},name {i},{i % 3}\n" for i in range(50_000))
    code, done = await upload(api, f"id,name,k\n{rows}".encode(), "people.csv")
    assert code == 201, done
    assert (done["mode"], done["name"], done["row_count"]) == ("table", "people", 50_000)
    assert done["table"]["version"] == 1 and done["size_bytes"] > 500_000
    code, result = await api.post("queries", {"sql": "SELECT count(*) FROM people WHERE k = 0"})
    assert result["rows"] == [[16667]]
    assert _uploads(jp_server_config) == []

    code, conflict = await upload(api, b"id\n1\n", "people.csv")
    assert code == 409 and "overwrite=true" in conflict["message"]
    code, again = await upload(api, b"id\n1\n", "people.csv", overwrite="true")
    assert code == 201 and again["table"]["version"] == 2


async def test_parquet_json_and_excel_uploads(api):
    buffer = io.BytesIO()
    pq.write_table(pa.table({"x": [1, 2, 3]}), buffer)
    code, done = await upload(api, buffer.getvalue(), "x.parquet", name="from parquet")
    assert code == 201 and done["name"] == '"from parquet"' and done["row_count"] == 3

    code, done = await upload(api, b'{"a": 1}\n{"a": 2}\n', "events.ndjson")
    assert code == 201 and done["row_count"] == 2

    book = openpyxl.Workbook()
    book.active.title = "First"
    sheet = book.create_sheet("Second")
    sheet.append(["city", "n"])
    sheet.append(["Oslo", 3])
    data = io.BytesIO()
    book.save(data)
    code, done = await upload(api, data.getvalue(), "book.xlsx", sheet="Second")
    assert code == 201, done
    assert done["sheets"] == ["First", "Second"] and done["row_count"] == 1
    code, error = await upload(api, data.getvalue(), "book.xlsx", name="b2")
    assert code == 422 and "sheet 'First'" in error["message"] and "empty" in error["message"]
    code, error = await upload(api, data.getvalue(), "book.xlsx", name="b3", sheet="Third")
    assert code == 422 and error["detail"]["sheet"] == "Third"


async def test_bad_files_answer_4xx_naming_what_is_wrong_and_leave_nothing(api, jp_server_config):
    code, error = await upload(api, b"a,b\n1,2\n3\n", "ragged.csv")
    assert code == 422 and error["detail"]["line"] == 3 and "ignore_errors" in error["message"]
    code, error = await upload(api, "a\nå\n".encode("latin-1"), "latin.csv")
    assert code == 422 and error["detail"]["byte_offset"] == 2
    assert "encoding=latin-1" in error["message"]
    code, error = await upload(api, b"", "empty.csv")
    assert code == 422 and "empty" in error["message"]
    code, error = await upload(api, b"x", "notes.docx")
    assert code == 400 and ".parquet" in error["message"] and error["detail"]["accepted"]
    code, error = await upload(api, b"x", "x.csv", mode="sideways")
    assert code == 422 and error["detail"]["field"] == "mode"
    code, error = await upload(api, b"x", "../../x.csv")
    assert code == 400
    code, catalog = await api.get("catalog")
    assert catalog["tables"] == [] and catalog["sources"] == []
    assert _uploads(jp_server_config) == []


async def test_source_mode_registers_the_uploaded_file(api, jp_server_config):
    code, done = await upload(api, b"id,v\n1,a\n2,b\n", "things.csv", mode="source")
    assert code == 201, done
    assert done["source"]["name"] == "things" and done["row_count"] == 2
    kept = _uploads(jp_server_config)
    assert len(kept) == 1 and kept[0].endswith(".csv")
    code, result = await api.post("queries", {"sql": "SELECT v FROM things ORDER BY id"})
    assert result["rows"] == [["a"], ["b"]]


async def test_an_upload_over_the_limit_is_refused_before_it_is_read(api, jp_serverapp):
    jp_serverapp.web_app.settings["mlworkbench_max_upload_bytes"] = 1000
    code, error = await upload(api, b"a\n" + b"1\n" * 1000, "big.csv")
    assert code == 413 and "max_upload_mb" in error["message"]


async def test_an_upload_cut_off_midway_leaves_no_file(
    api, jp_serverapp, jp_http_port, jp_base_url, jp_server_config
):
    # `api` (through jp_fetch) starts the HTTP server on jp_http_port.
    folder = Path(jp_server_config["MLWorkbench"]["workspace"]) / "uploads"
    token = jp_serverapp.identity_provider.token
    reader, writer = await asyncio.open_connection("127.0.0.1", jp_http_port)
    head = (
        f"POST {jp_base_url}mlworkbench/api/imports?filename=big.csv HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{jp_http_port}\r\nAuthorization: token {token}\r\n"
        "Content-Length: 50000000\r\n\r\n"
    )
    writer.write(head.encode() + b"a,b\n" + b"1,2\n" * 100_000)
    await writer.drain()
    for _ in range(200):  # the first chunks reach a temp file while the rest is still to come
        temps = list(folder.glob(".upload-*.tmp")) if folder.is_dir() else []
        if temps and temps[0].stat().st_size > 0:
            break
        await asyncio.sleep(0.05)
    if not temps:
        writer.close()
        answer = await asyncio.wait_for(reader.read(2000), 5)
        raise AssertionError(f"the upload did not start: {answer!r}")
    writer.close()
    for _ in range(200):
        if not any(folder.iterdir()):
            break
        await asyncio.sleep(0.05)
    assert _uploads(jp_server_config) == []


async def test_a_file_over_tornados_default_body_limit_streams_to_disk(api):
    """110 MB: more than the 100 MB tornado buffers for a handler that does not stream."""
    line = b"1234567890,abcdefghijklmnopqrstuvwxyz,0.5\n"
    count = (110 << 20) // len(line) + 1
    code, done = await upload(api, b"id,text,x\n" + line * count, "large.csv")
    assert code == 201, done
    assert done["row_count"] == count and done["size_bytes"] > 110 << 20
