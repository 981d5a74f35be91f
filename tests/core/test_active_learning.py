"""The active-learning queue: a quick model on the current labels ranks the unlabeled items of a
label set by uncertainty into the workspace table ``<name>_queue`` (real DuckDB, scikit-learn)."""

from __future__ import annotations

import doctest
import threading

import numpy as np
import pytest

from mlworkbench.core.errors import ConflictError, InvalidRequestError, QueryCancelledError
from mlworkbench.core.labeling import uncertainty
from mlworkbench.core.labeling.uncertainty import score


def points(ws, name="pts", n=101):
    """Items 0..n-1 on a line, x = (id - 50) / 50; the class changes sign at id 50."""
    ws.tables.save_query(
        name, f"SELECT range AS id, (range - 50) / 50.0 AS x FROM range({n})", overwrite=True
    )
    return ws.labels.create(f"{name}_labels", f"SELECT * FROM {name}", key="id",
                            choices=["neg", "pos"])


def label_line(label_set, keys, annotator="ann"):
    for key in keys:
        label_set.record(key, ["neg" if key < 50 else "pos"], annotator=annotator)


def queue(ws, name):
    return ws.query(f'SELECT * FROM "{name}_queue" ORDER BY rank')


@pytest.mark.parametrize("strategy", ["least_confidence", "margin", "entropy"])
def test_items_nearest_the_decision_boundary_come_first(ws, strategy):
    labels = points(ws)
    label_line(labels, [0, 10, 20, 30, 70, 80, 90, 100])  # symmetric: the boundary is id 50

    described = labels.refresh_queue(strategy=strategy)

    assert described.table == "pts_labels_queue" and described.model_kind == "tabular"
    assert described.trained_on == 8 and described.scored == 93 and described.features == ["x"]
    frame = queue(ws, "pts_labels")
    distance = (frame["item_key"].astype(int) - 50).abs().tolist()
    assert distance == sorted(distance), "the queue is ordered by distance to the boundary"
    assert distance[0] == 0 and set(frame["item_key"][:3]) == {"49", "50", "51"}
    assert frame["rank"].tolist() == list(range(1, 94))
    assert described.top[0].item_key == "50" and described.top[0].rank == 1
    assert frame["uncertainty"].is_monotonic_decreasing


class FixedModel:
    """A fitted three-class 'model' whose probabilities are set per item by its ``kind``."""

    classes_ = np.array(["x", "y", "z"])
    cases = {
        "A": [0.5, 0.5, 0.0],
        "B": [0.4, 0.3, 0.3],
        "C": [0.9, 0.05, 0.05],
        "D": [0.6, 0.2, 0.2],
        "E": [0.56, 0.44, 0.0],
    }

    def predict_proba(self, frame):
        return np.array([self.cases[c] for c in frame["kind"]])


@pytest.mark.parametrize(
    ("strategy", "order"),
    [
        ("least_confidence", "BAEDC"),  # 1 - top: .6 .5 .44 .4 .1
        ("margin", "ABEDC"),  # 1 - (top - second): 1 .9 .88 .6 .15
        ("entropy", "BDAEC"),  # normalised entropy: .99 .87 .63 .62 .36
    ],
)
def test_each_strategy_ranks_by_its_own_measure(ws, strategy, order):
    ws.tables.save_query(
        "cases", "SELECT * FROM (VALUES ('A'), ('B'), ('C'), ('D'), ('E')) t(kind)"
    )
    labels = ws.labels.create("case_labels", "SELECT kind AS id, kind FROM cases", key="id",
                              choices=["x", "y", "z"])

    described = labels.refresh_queue(model=FixedModel(), strategy=strategy)

    assert described.model_kind == "custom" and described.classes == ["x", "y", "z"]
    assert "".join(queue(ws, "case_labels")["item_key"]) == order
    assert described.top[0].predicted == "x"


def test_the_documented_scores_hold():
    results = doctest.testmod(uncertainty)
    assert results.attempted > 0 and results.failed == 0


def test_scores_of_a_multi_label_batch():
    s = score(np.array([[0.9, 0.1], [0.55, 0.9], [0.5, 0.5]]), multi=True)
    assert np.allclose(s.confidence, [0.9, 0.55, 0.5])
    assert np.allclose(s.uncertainty("margin"), [0.2, 0.9, 1.0])
    assert s.uncertainty("entropy").argmax() == 2


def test_the_queue_is_a_sql_view_and_more_labels_change_it(ws):
    labels = points(ws)
    label_line(labels, [0, 100])
    first = labels.refresh_queue()
    before = queue(ws, "pts_labels")
    assert len(before) == 99 and first.version == 1
    assert not {"0", "100"} & set(before["item_key"])
    assert list(before.columns) == [
        "item_key", "predicted", "predicted_labels", "confidence", "margin", "entropy",
        "uncertainty", "model_version", "rank",
    ]
    # A user can join it with the items in SQL.
    joined = ws.query(
        "SELECT p.x FROM pts_labels_queue q JOIN pts p ON CAST(p.id AS VARCHAR) = q.item_key "
        "ORDER BY q.rank LIMIT 1"
    )
    assert len(joined) == 1

    label_line(labels, [40, 45, 60, 65], annotator="bo")  # the boundary is now near 50-55
    second = labels.refresh_queue()

    after = queue(ws, "pts_labels")
    assert second.version == 2 and second.trained_on == 6
    assert second.model_version != first.model_version
    assert len(after) == 95 and not {"40", "45", "60", "65"} & set(after["item_key"])
    assert ws.tables.describe("pts_labels_queue").versions[1].version == 1  # the old one stays
    assert labels.items("uncertain", limit=1, annotator="ann").items[0].key == after["item_key"][0]


def test_text_items_are_read_through_tf_idf(ws):
    rows = [(i, f"great lovely film number {i}", "pos") for i in range(6)]
    rows += [(10 + i, f"awful boring film number {i}", "neg") for i in range(6)]
    rows += [(100, "great awful film", None), (101, "lovely lovely great great", None),
             (102, "boring awful awful", None)]
    values = ", ".join(f"({i}, '{t}')" for i, t, _ in rows)
    ws.tables.save_query("reviews", f"SELECT * FROM (VALUES {values}) t(id, text)")
    labels = ws.labels.create("review_labels", "SELECT * FROM reviews", key="id",
                              choices=["pos", "neg"], show=["text"])
    for key, _, label in rows:
        if label:
            labels.record(key, [label], annotator="ann")

    described = labels.refresh_queue()

    assert described.model_kind == "text" and described.features == ["text"]
    frame = queue(ws, "review_labels")
    assert frame["item_key"][0] == "100"  # both kinds of words: the one to ask about
    assert dict(zip(frame["item_key"], frame["predicted"])) == {
        "100": frame["predicted"][0], "101": "pos", "102": "neg"
    }


def test_multi_label_sets_get_one_vs_rest(ws):
    ws.tables.save_query(
        "tags", "SELECT range AS id, range % 2 AS a, range % 3 = 0 AS b FROM range(60)"
    )
    labels = ws.labels.create("tag_labels", "SELECT * FROM tags", key="id",
                              choices=["odd", "triple"], multi=True)
    for key in range(30):
        tags = (["odd"] if key % 2 else []) + (["triple"] if key % 3 == 0 else [])
        if tags:
            labels.record(key, tags, annotator="ann")

    described = labels.refresh_queue(strategy="entropy")

    assert described.multi and described.classes == ["odd", "triple"]
    frame = ws.query("SELECT item_key, predicted_labels FROM tag_labels_queue")
    assert described.scored == len(frame) > 30
    predicted = {int(k): set(v) for k, v in zip(frame["item_key"], frame["predicted_labels"])}
    assert "odd" in predicted[59] and "triple" in predicted[57] and "odd" not in predicted[58]


def test_fewer_than_two_labels_is_a_409_that_says_what_to_do(ws):
    labels = points(ws)
    label_line(labels, [0, 10])

    with pytest.raises(ConflictError) as caught:
        labels.refresh_queue()

    assert caught.value.status == 409
    assert "at least 2 different labels" in caught.value.message
    assert caught.value.detail["labels"] == ["neg"]


def test_no_usable_feature_column_is_a_422_naming_the_columns(ws, root):
    (root / "img").mkdir()
    ws.tables.save_query(
        "pics",
        "SELECT range AS id, 'img/' || range || '.png' AS path, DATE '2024-01-01' + range::INT "
        "AS taken FROM range(10)",
    )
    labels = ws.labels.create("pic_labels", "SELECT * FROM pics", key="id",
                              choices=["cat", "dog"])
    for key in range(4):
        labels.record(key, ["cat" if key % 2 else "dog"], annotator="ann")

    with pytest.raises(InvalidRequestError) as caught:
        labels.refresh_queue()

    assert caught.value.status == 422 and caught.value.field == "features"
    assert caught.value.detail["columns"] == ["path", "taken"]
    assert "'path': image paths" in caught.value.message and "DATE" in caught.value.message
    assert "model=" in caught.value.message


def test_scoring_streams_in_batches_reports_progress_and_cancels(ws):
    labels = points(ws, n=60_000)
    label_line(labels, [0, 10, 90, 100])
    seen = []
    labels.refresh_queue(batch_size=5_000, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) >= 12 and seen[-1] == (59_996, 59_996)
    assert all(0 < d <= 5_000 for d in np.diff([0] + [d for d, _ in seen]))
    version = ws.tables.describe("pts_labels_queue").table.version

    cancel = threading.Event()

    def stop_after_two(done, total):
        if done >= 10_000:
            cancel.set()

    with pytest.raises(QueryCancelledError):
        labels.refresh_queue(batch_size=5_000, progress=stop_after_two, cancel=cancel,
                             strategy="margin")
    assert ws.tables.describe("pts_labels_queue").table.version == version
    assert not list(ws.engine.temp_directory.glob("queue-*.parquet"))  # no scratch left


def test_a_queue_task_reports_training_then_scoring_and_stops_when_cancelled(ws):
    from mlworkbench.core.labeling.active import refresh_queue_task
    from mlworkbench.core.tasks import Progress

    labels = points(ws, n=3_000)
    label_line(labels, [0, 10, 90, 100])
    messages = []
    task = Progress("queue", listener=lambda p: messages.append((p.message, p.done, p.total)))

    result = refresh_queue_task(labels, task, strategy="entropy", batch_size=1_000)

    assert result["table"] == "pts_labels_queue" and result["strategy"] == "entropy"
    assert result["scored"] == 2_996 and isinstance(result["created_at"], str)  # JSON-ready
    assert messages[0] == ("Training the queue model of 'pts_labels'", 0, None)
    assert messages[-1] == ("Scoring the unlabeled items of 'pts_labels'", 2_996, 2_996)
    assert (task.done, task.total) == (2_996, 2_996)

    cancelled = Progress("queue")
    cancelled.cancel_event.set()
    with pytest.raises(QueryCancelledError):
        refresh_queue_task(labels, cancelled, batch_size=1_000)
    assert ws.tables.describe("pts_labels_queue").table.version == 1


def test_has_queue_says_whether_the_queue_table_exists(ws):
    labels = points(ws, n=200)
    label_line(labels, [0, 10, 90, 100])
    assert not labels.has_queue()
    with pytest.raises(ConflictError, match="no active-learning queue yet"):
        labels.items(filter="uncertain")

    labels.refresh_queue()

    assert labels.has_queue() and ws.labels.get("pts_labels").has_queue()
    assert labels.items(filter="uncertain", limit=1).items[0].key == "50"
