"""Registering sources and describing the catalog."""

from __future__ import annotations

import gzip
import os
import sqlite3

import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import (
    ConflictError,
    ForbiddenPathError,
    InvalidRequestError,
    NotFoundError,
    QueryError,
    UnsupportedError,
)
from mlworkbench.schemas import RegisterSourceRequest, SourceKind

from .conftest import run, write_csv, write_duckdb, write_parquet


def register(ws, path, **kw):
    return ws.catalog.register_source(RegisterSourceRequest(path=str(path), **kw))


def test_a_csv_file_is_registered_under_its_stem_and_queried(ws, root):
    write_csv(root / "data" / "Sales 2024.csv")
    source = register(ws, "data/Sales 2024.csv")
    assert source.name == "sales_2024" and source.kind is SourceKind.csv
    assert source.path == "data/Sales 2024.csv"
    [table] = source.tables
    assert table.name == "sales_2024" and table.kind == "source" and table.row_count == 3
    assert [(c.name, c.type) for c in table.columns] == [("id", "BIGINT"), ("name", "VARCHAR")]
    assert run(ws, "SELECT name FROM sales_2024 ORDER BY id").rows == [["ann"], ["bob"], ["cy"]]


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [
        ("t.tsv", "a\tb\n1\t2\n", SourceKind.csv),
        ("t.json", '[{"a": 1, "b": 2}]', SourceKind.json),
        ("t.jsonl", '{"a": 1, "b": 2}\n', SourceKind.json),
        ("t.ndjson", '{"a": 1, "b": 2}\n', SourceKind.json),
    ],
)
def test_each_text_format_is_inferred_from_its_extension(ws, root, filename, content, kind):
    (root / "data" / filename).write_text(content)
    source = register(ws, f"data/{filename}")
    assert source.kind is kind and source.name == "t"
    assert run(ws, "SELECT a, b FROM t").rows == [[1, 2]]


def test_a_gzipped_csv_is_read(ws, root):
    with gzip.open(root / "data" / "z.csv.gz", "wt") as f:
        f.write("a\n1\n2\n")
    source = register(ws, "data/z.csv.gz")
    assert source.name == "z" and source.tables[0].row_count == 2


def test_a_parquet_file_reports_its_exact_row_count(ws, root):
    write_parquet(root / "data" / "p.parquet", "SELECT range AS id FROM range(1234)")
    source = register(ws, "data/p.parquet")
    assert source.kind is SourceKind.parquet and source.tables[0].row_count == 1234


def test_a_glob_reads_every_matching_file(ws, root):
    for i in range(3):
        write_csv(root / "data" / "parts" / f"p{i}.csv", f"id\n{i}\n")
    source = register(ws, "data/parts/*.csv")
    assert source.name == "parts" and source.tables[0].row_count == 3
    assert run(ws, "SELECT sum(id) AS s FROM parts").rows == [[3]]


def test_a_folder_reads_its_parquet_files_recursively_with_hive_partitions(ws, root):
    for year in (2023, 2024):
        write_parquet(
            root / "data" / "events" / f"year={year}" / "part.parquet",
            "SELECT range AS id FROM range(10)",
        )
    source = register(ws, "data/events")
    assert source.kind is SourceKind.parquet and source.path == "data/events/"
    assert source.tables[0].row_count == 20
    rows = run(ws, "SELECT year, count(*) AS n FROM events GROUP BY year ORDER BY year").rows
    assert rows == [[2023, 10], [2024, 10]]


def test_a_duckdb_file_lists_its_tables_as_source_dot_table(ws, root):
    write_duckdb(root / "data" / "shop.duckdb")
    source = register(ws, "data/shop.duckdb")
    assert source.kind is SourceKind.duckdb
    names = {t.name: t for t in source.tables}
    assert set(names) == {"shop.customers", 'shop.sales."Order Items"'}
    assert names["shop.customers"].kind == "database_table"
    assert names["shop.customers"].row_count == 4
    assert run(ws, "SELECT count(*) AS n FROM shop.customers").rows == [[4]]
    assert run(ws, 'SELECT qty FROM shop.sales."Order Items"').rows == [[1]]
    assert "shop.customers" in ws.catalog.names()


def test_a_duckdb_database_is_attached_read_only(ws, root):
    write_duckdb(root / "data" / "ro.duckdb")
    register(ws, "data/ro.duckdb")
    with pytest.raises(QueryError) as caught:
        run(ws, "INSERT INTO ro.customers VALUES (99)")
    assert "read-only" in str(caught.value).lower() or "read only" in str(caught.value).lower()


def test_a_sqlite_file_needs_an_extension_and_is_unsupported(ws, root):
    con = sqlite3.connect(root / "data" / "legacy.db")
    con.execute("CREATE TABLE t(a)")
    con.commit()
    con.close()
    with pytest.raises(UnsupportedError) as caught:
        register(ws, "data/legacy.db")
    assert "sqlite" in caught.value.message


def test_an_unsupported_extension_lists_the_supported_types(ws, root):
    (root / "data" / "book.xlsx").write_bytes(b"PK")
    with pytest.raises(UnsupportedError) as caught:
        register(ws, "data/book.xlsx")
    assert caught.value.status == 415
    assert ".csv" in caught.value.message and ".parquet" in caught.value.message


def test_a_missing_file_is_not_found_and_named(ws):
    with pytest.raises(NotFoundError) as caught:
        register(ws, "data/missing.csv")
    assert caught.value.status == 404 and "data/missing.csv" in caught.value.message


def test_a_glob_matching_nothing_is_not_found(ws):
    with pytest.raises(NotFoundError):
        register(ws, "data/*.parquet")


def test_a_path_outside_the_root_is_forbidden(ws, root, tmp_path_factory):
    outside = write_csv(tmp_path_factory.mktemp("elsewhere") / "x.csv")
    with pytest.raises(ForbiddenPathError):
        register(ws, outside)
    with pytest.raises(ForbiddenPathError):
        register(ws, "../" + outside.parent.name + "/x.csv")


def test_a_symlink_out_of_the_root_is_forbidden(ws, root, tmp_path_factory):
    outside = write_csv(tmp_path_factory.mktemp("elsewhere") / "x.csv")
    os.symlink(outside, root / "data" / "link.csv")
    with pytest.raises(ForbiddenPathError):
        register(ws, "data/link.csv")


def test_a_path_outside_the_root_is_allowed_when_configured(root, tmp_path_factory):
    outside = write_csv(tmp_path_factory.mktemp("elsewhere") / "x.csv")
    with Workspace.open(root / "ws", root_dir=root, allow_outside_root=True) as ws:
        source = register(ws, outside)
        assert source.path == str(outside) and source.tables[0].row_count == 3


def test_a_broken_csv_fails_at_registration_with_duckdbs_message(ws, root):
    (root / "data" / "bad.csv").write_bytes(b"a,b\n1,2\n\xff\xfe,3\n")
    with pytest.raises(InvalidRequestError) as caught:
        register(ws, "data/bad.csv")
    assert caught.value.field == "path" and "bad.csv" in caught.value.message
    assert "utf-8" in caught.value.message  # DuckDB's own explanation
    assert ws.catalog.describe().sources == []


def test_a_name_used_by_a_source_or_a_table_is_a_conflict(ws, root):
    write_csv(root / "data" / "orders.csv")
    register(ws, "data/orders.csv")
    with pytest.raises(ConflictError) as caught:
        register(ws, "data/orders.csv")
    assert caught.value.status == 409
    with pytest.raises(ConflictError):
        register(ws, "data/orders.csv", name="ORDERS")  # DuckDB folds ASCII case
    ws.tables.save_query("kept", "SELECT 1 AS a")
    with pytest.raises(ConflictError):
        register(ws, "data/orders.csv", name="kept")


def test_names_with_spaces_quotes_and_unicode_work_everywhere(ws, root):
    write_csv(root / "data" / "o.csv")
    name = 'my "größte" Tabelle 📦'
    source = register(ws, "data/o.csv", name=name)
    assert source.name == name
    assert source.tables[0].name == '"my ""größte"" Tabelle 📦"'
    assert run(ws, 'SELECT count(*) AS n FROM "my ""größte"" Tabelle 📦"').rows == [[3]]
    assert '"my ""größte"" Tabelle 📦"' in ws.catalog.names()
    ws.catalog.remove_source(name)
    assert ws.catalog.describe().sources == []


@pytest.mark.parametrize("bad", ["", "  padded ", "tab\there", "memory", "x" * 129])
def test_unusable_names_are_refused(ws, root, bad):
    write_csv(root / "data" / "o.csv")
    with pytest.raises(InvalidRequestError):
        register(ws, "data/o.csv", name=bad)


def test_a_removed_source_is_gone_from_sql_and_the_catalog(ws, root):
    write_csv(root / "data" / "gone.csv")
    register(ws, "data/gone.csv")
    ws.catalog.remove_source("gone")
    assert ws.catalog.describe().sources == []
    with pytest.raises(QueryError):
        run(ws, "SELECT * FROM gone")
    with pytest.raises(NotFoundError):
        ws.catalog.remove_source("gone")


def test_a_vanished_file_is_listed_with_an_error_not_a_crash(ws, root):
    path = write_csv(root / "data" / "vanish.csv")
    write_csv(root / "data" / "stays.csv")
    register(ws, "data/vanish.csv")
    register(ws, "data/stays.csv")
    path.unlink()
    catalog = ws.catalog.describe()
    by_name = {s.name: s for s in catalog.sources}
    assert "vanish.csv" in by_name["vanish"].tables[0].error
    assert by_name["stays"].tables[0].error is None and by_name["stays"].tables[0].row_count == 3


def test_a_vanished_file_is_reported_after_a_fresh_open_too(root):
    path = write_csv(root / "data" / "v.csv")
    with Workspace.open(root / "ws", root_dir=root) as ws:
        register(ws, "data/v.csv")
    path.unlink()
    with Workspace.open(root / "ws", root_dir=root) as ws:
        assert ws.catalog.describe().sources[0].tables[0].error
        assert "v" in ws.engine.errors


def test_row_counts_follow_changes_to_the_file(ws, root):
    path = write_csv(root / "data" / "grow.csv", "a\n1\n")
    register(ws, "data/grow.csv")
    assert ws.catalog.describe().sources[0].tables[0].row_count == 1
    path.write_text("a\n1\n2\n3\n")
    assert ws.catalog.describe().sources[0].tables[0].row_count == 3


def test_the_catalog_lists_workspace_tables_with_versions_and_columns(ws):
    ws.tables.save_query("scores", "SELECT 1 AS id, 0.5 AS score")
    ws.tables.save_query(
        "scores", "SELECT 2 AS id, 0.7 AS score UNION ALL SELECT 3, 0.9", overwrite=True
    )
    [table] = ws.catalog.describe().tables
    assert table.kind == "workspace_table" and table.version == 2 and table.row_count == 2
    assert [c.name for c in table.columns] == ["id", "score"]
    assert ws.catalog.names()["scores"] == ["id", "score"]


def test_sources_are_stored_relative_to_the_workspace_so_other_roots_resolve_them(root):
    write_csv(root / "data" / "rel.csv")
    with Workspace.open(root / ".mlworkbench", root_dir=root) as ws:
        register(ws, "data/rel.csv")
    # A kernel started in a sub-folder opens the same workspace with another root.
    (root / "notebooks").mkdir()
    with Workspace.open(root / ".mlworkbench", root_dir=root / "notebooks") as ws:
        assert run(ws, "SELECT count(*) AS n FROM rel").rows == [[3]]


def test_querying_a_source_whose_file_vanished_says_why(root):
    path = write_csv(root / "data" / "lost.csv")
    with Workspace.open(root / "ws", root_dir=root) as ws:
        register(ws, "data/lost.csv")
    path.unlink()
    with Workspace.open(root / "ws", root_dir=root) as ws:
        with pytest.raises(QueryError) as caught:
            run(ws, "SELECT * FROM lost")
        assert "lost.csv" in caught.value.message
