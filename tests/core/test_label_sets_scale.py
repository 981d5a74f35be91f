"""A million items: the labeler pages through them without sorting or loading them all."""

from __future__ import annotations

import time
import tracemalloc

from mlworkbench.core.labeling import LabelEvent

MILLION = 1_000_000


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def test_a_page_far_into_a_million_items_is_fast_and_memory_stays_bounded(ws):
    ws.tables.save_query(
        "posts",
        "SELECT 'p' || lpad(i::VARCHAR, 7, '0') AS post_id, 'text of post ' || i AS body "
        f"FROM range({MILLION}) t(i) ORDER BY random()",  # stored out of key order
    )
    posts = ws.labels.create("post_labels", "SELECT * FROM posts", key="post_id", choices=["a", "b"])
    posts.record("p0999990", "a", annotator="ann")
    posts.skip("p0999991", annotator="ann")
    posts.items(limit=1)  # builds the key index once per data change

    tracemalloc.start()
    page, seconds = timed(posts.items, "all", offset=MILLION - 50, limit=50, annotator="ann")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [i.key for i in page.items][:2] == ["p0999950", "p0999951"]
    assert page.items[0].position == MILLION - 50 and page.total == MILLION
    assert page.items[40].mine == ["a"] and page.items[41].skipped
    assert seconds < 1.0, f"a page at offset 999,950 took {seconds:.2f} s"
    assert peak < 5_000_000, f"Python allocated {peak / 1e6:.1f} MB for a page"

    page, seconds = timed(posts.items, "unlabeled", offset=MILLION - 13, limit=5, annotator="ann")
    assert [i.key for i in page.items] == ["p0999987", "p0999988", "p0999989", "p0999992", "p0999993"]
    assert page.items[3].position == MILLION - 10
    assert page.total == MILLION - 2 and seconds < 1.0

    _, seconds = timed(posts.record, "p0500000", "b", annotator="bob")
    assert seconds < 0.5
    progress, seconds = timed(posts.progress, "ann")
    assert (progress.total, progress.labeled, progress.skipped, progress.mine) == (MILLION, 2, 1, 1)
    assert seconds < 1.0


def test_ten_thousand_pulled_annotations_are_one_transaction(ws):
    ws.tables.save_query("docs", "SELECT i AS id FROM range(20000) t(i)")
    docs = ws.labels.create("doc_labels", "SELECT * FROM docs", key="id", choices=["x", "y"])
    events = [
        LabelEvent(key=str(i), labels=["x" if i % 3 else "z"], annotator="ls@example.org",
                   source="labelstudio", external_id=str(100_000 + i))
        for i in range(10_000)
    ]
    written, seconds = timed(docs.record_many, events)
    assert written == 10_000 and seconds < 10
    again, seconds_again = timed(docs.record_many, events)
    assert again == 0
    progress = docs.progress()
    assert progress.labeled == 10_000 and progress.unknown_labels == 3334
    print(f"record_many 10,000: {seconds:.2f} s; again (no change): {seconds_again:.2f} s")
