"""Saved queries: .sql files in the workspace's queries/ folder, written atomically."""

from __future__ import annotations

import os
import signal
import time

import pytest

from mlworkbench.core.errors import BadRequestError, ConflictError, NotFoundError
from mlworkbench.core.workspace.saved_queries import parse_header, with_header
from mlworkbench.schemas import RenameSavedQueryRequest, SaveQueryRequest

from .conftest import python


def save(ws, name, sql, **kw):
    return ws.saved_queries.save(name, SaveQueryRequest(sql=sql, **kw))


def test_a_saved_query_is_a_plain_sql_file_with_an_optional_header(ws):
    saved = save(ws, "monthly revenue", "SELECT 1\n", title="Revenue", description="per\nmonth")
    path = ws.path / "queries" / "monthly revenue.sql"
    assert path.read_text() == "-- title: Revenue\n-- description: per month\nSELECT 1\n"
    assert (saved.name, saved.title) == ("monthly revenue", "Revenue")
    assert saved.description == "per month"
    assert saved.size_bytes == path.stat().st_size
    read = ws.saved_queries.read("monthly revenue.sql")  # the suffix may be given
    assert read.sql == path.read_text() and read.title == "Revenue"


def test_a_file_written_by_hand_or_git_is_listed_with_its_header(ws):
    folder = ws.path / "queries"
    folder.mkdir()
    (folder / "b.sql").write_text("-- title: Bee\nSELECT 2")
    (folder / "A.sql").write_text("SELECT 1")
    (folder / "not a query.txt").write_text("x")
    (folder / "bad.name.sql").write_text("x")
    listed = ws.saved_queries.list().queries
    assert [(q.name, q.title) for q in listed] == [("A", None), ("b", "Bee")]


def test_saving_over_an_existing_query_needs_overwrite(ws):
    save(ws, "q", "SELECT 1")
    with pytest.raises(ConflictError) as raised:
        save(ws, "q", "SELECT 2")
    assert raised.value.status == 409 and "overwrite" in raised.value.message
    assert ws.saved_queries.read("q").sql == "SELECT 1"
    assert save(ws, "q", "SELECT 2", overwrite=True).sql == "SELECT 2"
    # A new title replaces the header and keeps the text.
    assert save(ws, "q", "-- title: Old\nSELECT 3", overwrite=True, title="New").sql == (
        "-- title: New\nSELECT 3"
    )


@pytest.mark.parametrize("name", ["../x", "a/b", "..", ".hidden", "", " padded", "x" * 101, "é"])
def test_a_name_with_a_path_or_odd_characters_is_refused_with_the_rule(ws, name):
    with pytest.raises(BadRequestError) as raised:
        save(ws, name, "SELECT 1")
    assert raised.value.status == 400
    assert "letters, digits" in raised.value.message
    assert not (ws.path.parent / "x.sql").exists()


def test_rename_and_delete(ws):
    save(ws, "old", "SELECT 1")
    save(ws, "taken", "SELECT 2")
    with pytest.raises(ConflictError):
        ws.saved_queries.rename("old", RenameSavedQueryRequest(new_name="taken"))
    renamed = ws.saved_queries.rename("old", RenameSavedQueryRequest(new_name="new name"))
    assert renamed.name == "new name" and renamed.sql == "SELECT 1"
    assert not (ws.path / "queries" / "old.sql").exists()
    replaced = ws.saved_queries.rename(
        "new name", RenameSavedQueryRequest(new_name="taken", overwrite=True)
    )
    assert replaced.sql == "SELECT 1"
    assert [q.name for q in ws.saved_queries.list().queries] == ["taken"]
    with pytest.raises(NotFoundError):
        ws.saved_queries.rename("gone", RenameSavedQueryRequest(new_name="x"))
    ws.saved_queries.delete("taken")
    with pytest.raises(NotFoundError):
        ws.saved_queries.delete("taken")
    with pytest.raises(NotFoundError):
        ws.saved_queries.read("taken")


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(ws, monkeypatch):
    save(ws, "q", "SELECT 'old'")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        save(ws, "q", "SELECT 'new'", overwrite=True)
    monkeypatch.undo()
    assert ws.saved_queries.read("q").sql == "SELECT 'old'"
    assert sorted(p.name for p in (ws.path / "queries").iterdir()) == ["q.sql"]


def test_a_process_killed_while_saving_leaves_a_whole_file(ws):
    """SIGKILL a process that saves a 20 MB query over and over: the file on disk is always
    one whole version, never a mix or a cut."""
    size = 20 << 20
    save(ws, "big", "A" * size)
    child = python(
        f"""
        from mlworkbench.core import Workspace
        from mlworkbench.schemas import SaveQueryRequest
        ws = Workspace.open({str(ws.path)!r}, root_dir={str(ws.root_dir)!r})
        print("ready", flush=True)
        i = 0
        while True:
            i += 1
            ws.saved_queries.save("big", SaveQueryRequest(sql="AB"[i % 2] * {size}, overwrite=True))
        """,
        wait=False,
        stdout=-1,
    )
    assert child.stdout.readline().strip() == b"ready"
    time.sleep(1.0)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(30)
    text = ws.saved_queries.read("big").sql
    assert len(text) == size and text in ("A" * size, "B" * size)


def test_the_header_helpers():
    assert parse_header("SELECT 1 -- title: no") == (None, None)
    assert parse_header("--Title:  T \n--DESCRIPTION: d\nSELECT") == ("T", "d")
    assert with_header("-- title: a\nSELECT 1", None, None) == "SELECT 1"
