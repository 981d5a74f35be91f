"""Label sets on a real workspace: recording, SQL at once, filters, undo, bad input."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    QueryError,
)
from mlworkbench.core.labeling import LabelEvent
from mlworkbench.schemas import RegisterSourceRequest
from tests.core.conftest import REPO, python, write_csv


@pytest.fixture
def reviews(ws):
    ws.tables.save_query(
        "reviews",
        "SELECT i AS id, 'review ' || i AS body, i % 3 AS stars FROM range(1, 21) t(i)",
    )
    return ws.labels.create("review_labels", "SELECT * FROM reviews", key="id", choices=["pos", "neg"])


def rows(ws, sql="SELECT item_key, labels, annotator, source, status FROM review_labels"):
    cursor = ws.engine.cursor()
    try:
        return cursor.execute(sql + " ORDER BY ALL").fetchall()
    finally:
        cursor.close()


def test_a_label_is_a_row_of_the_label_sets_table_with_the_contract_columns(ws, reviews):
    event = reviews.record(3, "pos", annotator="ann")
    assert event > 0
    table = ws.query("SELECT * FROM review_labels")
    assert list(table.columns) == [
        "item_key", "label", "labels", "annotator", "labeled_at", "source", "status",
        "model_version", "score",
    ]
    row = table.iloc[0]
    assert (row.item_key, row.label, list(row.labels), row.annotator, row.source, row.status) == (
        "3", "pos", ["pos"], "ann", "builtin", "ok",
    )
    # joinable with the items at once
    joined = ws.query(
        "SELECT r.body, l.label FROM reviews r JOIN review_labels l ON l.item_key = r.id::VARCHAR"
    )
    assert joined.values.tolist() == [["review 3", "pos"]]


def test_relabeling_replaces_the_annotators_label_and_two_annotators_are_both_kept(ws, reviews):
    reviews.record(1, "pos", annotator="ann")
    reviews.record(1, "neg", annotator="ann")
    reviews.record(1, "pos", annotator="bob")
    reviews.record(2, "neg", annotator="ann")
    reviews.record(2, "neg", annotator="bob")
    assert rows(ws) == [
        ("1", ["neg"], "ann", "builtin", "ok"),
        ("1", ["pos"], "bob", "builtin", "ok"),
        ("2", ["neg"], "ann", "builtin", "ok"),
        ("2", ["neg"], "bob", "builtin", "ok"),
    ]
    page = reviews.items("disagreements", annotator="bob")
    assert [i.key for i in page.items] == ["1"] and page.total == 1
    item = page.items[0]
    assert item.disagreement and item.mine == ["pos"]
    assert sorted((x.annotator, x.labels[0]) for x in item.labels) == [("ann", "neg"), ("bob", "pos")]
    assert not reviews.items("all", limit=2, offset=1).items[0].disagreement  # item 2 agrees
    progress = reviews.progress("bob")
    assert (progress.total, progress.labeled, progress.disagreements, progress.mine) == (20, 2, 1, 2)


def test_a_label_is_in_sql_in_another_process_as_soon_as_record_returns(ws, reviews, root):
    reader = python(
        f"""
        import sys
        from mlworkbench.core import Workspace
        ws = Workspace.open({str(root / '.mlworkbench')!r}, root_dir={str(root)!r})
        ws.query("SELECT count(*) FROM review_labels")
        print("ready", flush=True)
        for line in sys.stdin:
            print(ws.query("SELECT string_agg(item_key || '=' || label, ',' ORDER BY item_key) "
                           "FROM review_labels").iloc[0, 0], flush=True)
        """,
        wait=False,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "ready"
        for key, label, expected in [(5, "pos", "5=pos"), (6, "neg", "5=pos,6=neg"), (5, "neg", "5=neg,6=neg")]:
            reviews.record(key, label, annotator="ann")
            reader.stdin.write("?\n")
            reader.stdin.flush()
            assert reader.stdout.readline().strip() == expected
        reviews.undo(annotator="ann")
        reader.stdin.write("?\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "5=pos,6=neg"
    finally:
        reader.stdin.close()
        reader.wait(60)
    # and the other way: a label written by another process is in this one's SQL
    python(
        f"""
        from mlworkbench.core import Workspace
        with Workspace.open({str(root / '.mlworkbench')!r}, root_dir={str(root)!r}) as ws:
            ws.labels.get("review_labels").record(7, "pos", annotator="kernel")
        """
    )
    assert ("7", ["pos"], "kernel", "builtin", "ok") in rows(ws)


def test_a_label_not_in_the_choices_is_refused_naming_the_allowed_ones(reviews):
    with pytest.raises(InvalidRequestError) as error:
        reviews.record(1, "positive", annotator="ann")
    assert error.value.status == 422
    assert "'positive'" in error.value.message and "pos, neg" in error.value.message
    assert error.value.detail["allowed"] == ["pos", "neg"]
    with pytest.raises(InvalidRequestError, match="one label per item"):
        reviews.record(1, ["pos", "neg"], annotator="ann")
    with pytest.raises(NotFoundError, match="no item '999'"):
        reviews.record(999, "pos", annotator="ann")
    assert reviews.progress().labeled == 0


def test_multi_label_sets_take_several_labels(ws):
    ws.tables.save_query("docs", "SELECT i AS id FROM range(3) t(i)")
    topics = ws.labels.create("topics", "SELECT * FROM docs", key="id", choices=["a", "b", "c"], multi=True)
    topics.record(0, ["a", "c"], annotator="ann")
    topics.record(1, [], annotator="ann")  # none of them applies
    assert rows(ws, "SELECT item_key, labels, label FROM topics") == [("0", ["a", "c"], "a"), ("1", [], None)]


def test_pulled_labels_not_in_the_set_are_kept_and_flagged_and_pulls_are_idempotent(ws, reviews):
    events = [
        LabelEvent(key="1", labels=["pos"], annotator="ls@x", source="labelstudio", external_id="11"),
        LabelEvent(key="2", labels=["meh"], annotator="ls@x", source="labelstudio", external_id="12"),
    ]
    assert reviews.record_many(events) == 2
    assert reviews.record_many(events) == 0  # the same pull again writes nothing
    assert rows(ws) == [
        ("1", ["pos"], "ls@x", "labelstudio", "ok"),
        ("2", ["meh"], "ls@x", "labelstudio", "unknown_label"),
    ]
    assert reviews.progress().unknown_labels == 1
    changed = [LabelEvent(key="1", labels=["neg"], annotator="ls@x", source="labelstudio", external_id="11")]
    assert reviews.record_many(changed) == 1
    assert reviews.flag_external("labelstudio", ["12"], "deleted_upstream") == 1
    assert rows(ws) == [
        ("1", ["neg"], "ls@x", "labelstudio", "ok"),
        ("2", ["meh"], "ls@x", "labelstudio", "deleted_upstream"),
    ]
    events = ws.query("SELECT count(*) FROM review_labels")
    assert events.iloc[0, 0] == 2


def test_undo_restores_what_the_annotator_had_before_and_undoes_skips(ws, reviews):
    reviews.record(1, "pos", annotator="ann")
    reviews.record(1, "neg", annotator="ann")
    reviews.record(2, "pos", annotator="bob")
    assert reviews.undo(annotator="ann") == "1"
    assert rows(ws) == [("1", ["pos"], "ann", "builtin", "ok"), ("2", ["pos"], "bob", "builtin", "ok")]
    assert reviews.undo(annotator="ann") == "1"
    assert rows(ws) == [("2", ["pos"], "bob", "builtin", "ok")]
    assert reviews.undo(annotator="ann") is None
    reviews.skip(3, annotator="ann")
    assert reviews.progress().skipped == 1
    assert "3" not in [i.key for i in reviews.items("unlabeled", annotator="ann", limit=100).items]
    assert reviews.items("all", offset=2, limit=1, annotator="ann").items[0].skipped
    assert reviews.undo(annotator="ann") == "3"
    assert reviews.progress().skipped == 0
    assert "3" in [i.key for i in reviews.items("unlabeled", annotator="ann", limit=100).items]


def test_items_page_in_key_order_with_filters(ws, reviews):
    page = reviews.items("all", offset=0, limit=5)
    assert [i.key for i in page.items] == ["1", "2", "3", "4", "5"]
    assert [i.position for i in page.items] == [0, 1, 2, 3, 4]
    assert page.items[0].fields == {"id": 1, "body": "review 1", "stars": 1}
    assert page.total == 20
    reviews.record(1, "pos", annotator="ann")
    reviews.record(2, "pos", annotator="bob")
    reviews.skip(3, annotator="ann")
    page = reviews.items("unlabeled", limit=3, annotator="ann")
    assert [i.key for i in page.items] == ["4", "5", "6"] and page.total == 17
    page = reviews.items("unlabeled", offset=16, limit=3, annotator="ann")
    assert [i.key for i in page.items] == ["20"] and page.items[0].position == 16
    assert reviews.items("unlabeled", annotator="cy").total == 18  # ann's skip is not cy's
    with pytest.raises(InvalidRequestError, match="filter is one of: all, unlabeled, disagreements"):
        reviews.items("done")
    with pytest.raises(InvalidRequestError, match="source is one of: builtin, labelstudio, model"):
        reviews.record(1, "pos", annotator="ann", source="crowd")
    with pytest.raises(InvalidRequestError, match="kind is one of: text, image, record"):
        ws.labels.create("d", "SELECT * FROM reviews", key="id", choices=["x"], kind="video")


def test_uncertain_needs_the_queue_and_follows_it(ws, reviews):
    with pytest.raises(ConflictError, match="train the queue model first"):
        reviews.items("uncertain")
    ws.tables.save_query(
        "review_labels_queue",
        "SELECT i::VARCHAR AS item_key, 1.0 / i AS uncertainty FROM range(1, 21) t(i) WHERE i % 2 = 0",
    )
    reviews.record(2, "pos", annotator="ann")
    page = reviews.items("uncertain", limit=3)
    assert [i.key for i in page.items] == ["4", "6", "8"] and page.total == 9
    assert page.items[0].uncertainty == pytest.approx(0.25)


def test_bad_definitions_say_what_is_wrong(ws, reviews):
    ws.tables.save_query("dupes", "SELECT i % 3 AS id, i AS n FROM range(10) t(i)")
    with pytest.raises(InvalidRequestError) as error:
        ws.labels.create("d", "SELECT * FROM dupes", key="id", choices=["x"])
    assert "does not identify one item per row" in error.value.message
    assert error.value.detail["examples"][0] == {"key": "0", "rows": 4}
    with pytest.raises(InvalidRequestError) as error:
        ws.labels.create("d", "SELECT * FROM reviews", key="review_id", choices=["x"])
    assert error.value.detail["columns"] == ["id", "body", "stars"]
    assert "its columns are: id, body, stars" in error.value.message
    with pytest.raises(QueryError) as error:
        ws.labels.create("d", "SELECT *\nFROM reviewz", key="id", choices=["x"])
    assert (error.value.line, error.value.column) == (2, 6)
    with pytest.raises(QueryError) as error:  # the position is in the text as the user wrote it
        ws.labels.create("d", "-- the items\nSELECT *\nFROM reviewz;", key="id", choices=["x"])
    assert (error.value.line, error.value.column) == (3, 6)
    with pytest.raises(ConflictError):
        ws.labels.create("review_labels", "SELECT * FROM reviews", key="id", choices=["x"])
    with pytest.raises(ConflictError, match="already a table"):
        ws.labels.create("reviews", "SELECT * FROM reviews", key="id", choices=["x"])
    with pytest.raises(NotFoundError, match="'nope'"):
        ws.labels.get("nope")
    assert ws.labels.names() == ["review_labels"]


def test_labels_of_keys_that_are_not_items_do_not_count_until_they_are(ws, reviews):
    reviews.record(1, "pos", annotator="ann")
    pulled = [
        LabelEvent(key=str(k), labels=["pos"], annotator="ls", source="labelstudio", external_id=str(k))
        for k in (21, 22)  # not items of the query (yet)
    ]
    reviews.record_many(pulled)
    reviews.skip(2, annotator="ann")
    assert (reviews.progress().labeled, reviews.progress().skipped) == (1, 1)
    wider = ws.labels.create(
        "review_labels", "SELECT i AS id, 'review ' || i AS body FROM range(1, 23) t(i)",
        key="id", choices=["pos", "neg"], overwrite=True,
    )
    assert (wider.progress().total, wider.progress().labeled) == (22, 3)
    wider.record(3, "neg", annotator="ann")  # one more, found by looking up the changed key only
    assert wider.progress().labeled == 4
    wider.record_many([LabelEvent(key="99", labels=["neg"], annotator="ls", source="labelstudio")])
    assert wider.progress().labeled == 4
    narrower = ws.labels.create(
        "review_labels", "SELECT * FROM reviews WHERE id <> 3", key="id",
        choices=["pos", "neg"], overwrite=True,
    )
    progress = narrower.progress()
    assert (progress.total, progress.labeled, progress.skipped) == (19, 1, 1)


def test_overwrite_changes_the_definition_and_keeps_the_labels(ws, reviews):
    reviews.record(1, "pos", annotator="ann")
    updated = ws.labels.create(
        "review_labels", "SELECT * FROM reviews WHERE id < 10", key="id",
        choices=["pos", "neg", "mixed"], show=["body"], overwrite=True,
    )
    assert updated.choices == ["pos", "neg", "mixed"] and updated.show == ["body"]
    assert updated.progress().total == 9 and updated.progress().labeled == 1
    assert updated.items(limit=1).items[0].fields == {"body": "review 1"}


def test_compaction_writes_a_new_version_and_a_failed_one_leaves_the_last_readable(ws, reviews):
    for key in range(1, 6):
        reviews.record(key, "pos", annotator="ann")
    before = rows(ws)
    assert reviews.compact() == 2
    assert rows(ws) == before
    reviews.record(1, "neg", annotator="ann")  # after the snapshot: laid over it
    assert rows(ws)[0] == ("1", ["neg"], "ann", "builtin", "ok")
    snapshot = reviews.versions().versions[0].path
    assert rows(ws, f"SELECT count(*) FROM read_parquet('{snapshot}')") == [(5,)]

    def crash(path):
        path.write_bytes(b"half a parquet file")
        raise OSError("disk full")

    with pytest.raises(OSError):
        ws.tables.save_file("review_labels", crash, label_set=True)
    assert reviews.versions().table.version == 2
    assert rows(ws)[0] == ("1", ["neg"], "ann", "builtin", "ok") and len(rows(ws)) == 5


def test_writes_compact_in_the_background_every_so_many_changes(ws, reviews):
    ws.labels.compact_every = 5
    for key in range(1, 8):
        reviews.record(key, "pos", annotator="ann")
    ws.labels.wait_compaction(reviews.id)
    assert reviews.versions().table.version >= 2
    assert len(rows(ws)) == 7


def test_a_label_set_whose_items_cannot_be_read_is_listed_with_the_reason(ws, reviews):
    reviews.record(1, "pos", annotator="ann")
    ws.tables.remove("reviews")
    listed = ws.labels.list()
    assert [d.name for d in listed] == ["review_labels"]
    assert "reviews" in listed[0].error and listed[0].progress.total == 0
    with pytest.raises(QueryError) as error:
        reviews.items()
    assert error.value.sql == "SELECT * FROM reviews" and error.value.line == 1
    assert rows(ws) == [("1", ["pos"], "ann", "builtin", "ok")]  # the labels stay


def test_removing_a_label_set_drops_its_table(ws, reviews):
    reviews.record(1, "pos", annotator="ann")
    ws.labels.remove("review_labels")
    with pytest.raises(NotFoundError):
        ws.labels.get("review_labels")
    with pytest.raises(QueryError):
        ws.query("SELECT * FROM review_labels")


def test_links_keep_bridge_state(reviews):
    assert reviews.link("labelstudio") is None
    reviews.set_link("labelstudio", {"url": "http://127.0.0.1:8080", "project_id": 3})
    assert reviews.link("labelstudio") == {"url": "http://127.0.0.1:8080", "project_id": 3}
    assert reviews.describe().links == {"labelstudio": {"url": "http://127.0.0.1:8080", "project_id": 3}}


def test_source_relation_sql_selects_the_items_by_key(ws, reviews):
    got = ws.query(reviews.source_relation_sql() + " ORDER BY item_key LIMIT 2")
    assert list(got.columns) == ["item_key", "id", "body", "stars"]
    assert got.item_key.tolist() == ["1", "10"]


def test_a_process_killed_mid_compaction_leaves_the_last_version_and_every_label(ws, reviews, root):
    for key in range(1, 4):
        reviews.record(key, "pos", annotator="ann")
    reviews.compact()
    reviews.record(4, "neg", annotator="ann")
    before = rows(ws)
    # The other process dies between writing the new Parquet file and renaming it into place.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"""
import os
from mlworkbench.core import Workspace
ws = Workspace.open({str(root / '.mlworkbench')!r}, root_dir={str(root)!r})
labels = ws.labels.get("review_labels")
labels.record(5, "pos", annotator="kernel")
os.replace = lambda *a, **k: os._exit(9)
labels.compact()
""",
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 9, done.stderr
    assert reviews.versions().table.version == 2
    assert rows(ws) == sorted(before + [("5", ["pos"], "kernel", "builtin", "ok")])
    assert reviews.compact() == 3  # the next compaction works, and holds everything
    assert rows(ws) == sorted(before + [("5", ["pos"], "kernel", "builtin", "ok")])


def test_a_label_sets_table_is_neither_overwritten_nor_removed_as_a_plain_table(ws, root, reviews):
    reviews.record(1, "pos", annotator="ann")
    with pytest.raises(ConflictError, match="is a label set"):
        ws.tables.save_query("review_labels", "SELECT 1 AS x", overwrite=True)
    with pytest.raises(ConflictError, match="label set"):
        ws.tables.remove("review_labels")
    write_csv(root / "data" / "more.csv")
    with pytest.raises(ConflictError, match="A label set named 'review_labels' already exists"):
        ws.catalog.register_source(RegisterSourceRequest(path="data/more.csv", name="review_labels"))
    assert rows(ws) == [("1", ["pos"], "ann", "builtin", "ok")]


def test_the_catalog_counts_a_label_sets_rows_with_the_labels_made_since_its_snapshot(ws, reviews):
    reviews.record(1, "pos", annotator="ann")
    reviews.record(2, "neg", annotator="ann")
    reviews.record(2, "pos", annotator="bob")
    spaced = ws.labels.create("my labels", "SELECT * FROM reviews", key="id", choices=["a"])
    spaced.record(1, "a", annotator="ann")
    listed = {t.name: t for t in ws.catalog.describe().tables}
    assert listed["review_labels"].row_count == 3
    assert listed['"my labels"'].row_count == 1
    assert listed["reviews"].row_count == 20
    # the table's own description (GET /tables/{name}, `mlworkbench tables`) says the same
    assert ws.tables.describe("review_labels").table.row_count == 3
    assert reviews.versions().versions[0].row_count == 0  # the snapshot's own count stays


def test_a_snapshot_of_a_removed_label_set_neither_recreates_nor_overwrites_its_table(ws, reviews):
    def write(path):  # a compaction that was under way when the label set was removed
        path.write_bytes(b"")
        return 0

    ws.labels.remove("review_labels")
    with pytest.raises(NotFoundError, match="review_labels"):
        ws.tables.save_file("review_labels", write, label_set=True)
    assert "review_labels" not in ws.tables.names()
    ws.tables.save_query("review_labels", "SELECT 1 AS x")
    with pytest.raises(NotFoundError, match="review_labels"):
        ws.tables.save_file("review_labels", write, label_set=True)
    assert ws.tables.describe("review_labels").table.version == 1
    assert ws.query("SELECT x FROM review_labels").values.tolist() == [[1]]


def test_a_new_label_set_under_a_removed_ones_id_shows_none_of_its_labels_in_another_process(
    ws, root
):
    ws.tables.save_query("docs", "SELECT i AS id FROM range(5) t(i)")
    old = ws.labels.create("old", "SELECT * FROM docs", key="id", choices=["p", "q"])
    for key in range(4):
        old.record(key, "p", annotator="ann")
    assert ws.query("SELECT count(*) FROM old").iloc[0, 0] == 4  # in this process's memory
    with Workspace.open(root / ".mlworkbench", root_dir=root) as other:
        other.labels.remove("old")
        new = other.labels.create("new", "SELECT * FROM docs", key="id", choices=["p", "q"])
        new.record(0, "q", annotator="bob")
    assert new.id == old.id  # SQLite gave the new label set the removed one's id
    labels = ws.query("SELECT item_key, label, annotator FROM new").values.tolist()
    assert labels == [["0", "q", "bob"]]


def test_a_snapshot_empties_the_in_memory_copy_of_what_it_holds(ws, reviews):
    from mlworkbench.core.labeling.views import overlay_table

    def in_memory():
        return rows(ws, f"SELECT item_key FROM {overlay_table(reviews.id)}")

    reviews.record(1, "pos", annotator="ann")
    reviews.record(2, "neg", annotator="ann")
    assert in_memory() == [("1",), ("2",)]
    reviews.compact()
    assert in_memory() == []
    reviews.record(3, "pos", annotator="ann")
    assert in_memory() == [("3",)]  # the labels since the snapshot stay, pruned or not
    assert [r[0] for r in rows(ws)] == ["1", "2", "3"]


def test_the_key_check_of_a_new_label_set_becomes_its_index_and_a_refused_one_leaves_none(ws, reviews):
    def index_tables():
        return rows(ws, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'idx_%'")

    assert index_tables() == [(f"idx_{reviews.id}",)]
    adopted = ws.labels.indexes._built[reviews.id][1]
    assert reviews.items(offset=19, limit=1).items[0].key == "20"
    assert ws.labels.indexes._built[reviews.id][1] is adopted  # the first page sorted nothing
    ws.tables.save_query("dupes", "SELECT i % 3 AS id FROM range(10) t(i)")
    with pytest.raises(InvalidRequestError, match="does not identify one item"):
        ws.labels.create("d", "SELECT * FROM dupes", key="id", choices=["x"])
    with pytest.raises(InvalidRequestError, match="kind is one of"):
        ws.labels.create("d", "SELECT * FROM reviews", key="id", choices=["x"], kind="video")
    assert index_tables() == [(f"idx_{reviews.id}",)]


def test_a_local_image_becomes_an_inline_data_url_up_to_a_size(tmp_path):
    import base64

    from mlworkbench.core.labeling.images import data_url

    png = tmp_path / "a.png"
    png.write_bytes(b"\x89PNG small")
    assert data_url(png, limit=100) == "data:image/png;base64," + base64.b64encode(
        b"\x89PNG small").decode()
    assert data_url(png, limit=5) is None  # larger than the limit: the caller keeps its route
    odd = tmp_path / "b.AVIFX"  # a suffix mimetypes does not know is named by itself
    odd.write_bytes(b"x")
    assert data_url(odd, limit=100) == "data:image/avifx;base64,eA=="
    with pytest.raises(OSError):
        data_url(tmp_path / "gone.png", limit=100)
