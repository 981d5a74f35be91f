"""mlwb.label: the notebook labeler widget, driven by the messages its frontend sends; every
label must be in the workspace (a real DuckDB, read back in SQL) as soon as it is made."""

from __future__ import annotations

from pathlib import Path

import pytest

import mlworkbench as mlwb
import mlworkbench.notebook as notebook
from mlworkbench.core import Workspace
from mlworkbench.widgets.labeler import Labeler


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWORKBENCH_HOME", str(tmp_path / "ws"))
    monkeypatch.chdir(tmp_path)
    notebook._runner = None
    workspace = notebook.runner().ws
    workspace.tables.save_query(
        "reviews",
        "SELECT range AS id, 'review number ' || range AS text, range % 3 AS stars "
        "FROM range(120)",
    )
    yield workspace
    workspace.close()
    notebook._runner = None


def send(widget: Labeler, **content) -> None:
    """What the frontend's ``model.send(content)`` arrives as in the kernel."""
    widget._handle_msg({
        "content": {"data": {"method": "custom", "content": content}, "comm_id": widget.model_id},
        "buffers": [],
    })


def labels_in_sql(tmp_path: Path, name: str = "review_labels") -> dict[str, list[str]]:
    """The labels as another process opening the workspace sees them."""
    with Workspace.open(tmp_path / "ws", root_dir=tmp_path) as other:
        frame = other.query(f"SELECT item_key, labels FROM {name} ORDER BY item_key")
    return {k: list(v) for k, v in zip(frame["item_key"], frame["labels"])}


def test_keys_label_skip_and_undo_and_every_label_is_saved_at_once(ws, tmp_path):
    widget = mlwb.label("SELECT * FROM reviews", choices=["pos", "neg"], into="review_labels",
                        show=["text"], annotator="ann")

    assert isinstance(widget, Labeler) and "export default { render }" in str(widget._esm)
    assert widget.label_set == "review_labels" and widget.key_column == "id"
    assert widget.kind == "text" and widget.item["key"] == "0"
    assert widget.progress["total"] == 120 and widget.progress["labeled"] == 0

    send(widget, action="pick", choice=0)  # key 1
    assert labels_in_sql(tmp_path) == {"0": ["pos"]}
    assert widget.item["key"] == "1" and widget.progress["labeled"] == 1

    send(widget, action="pick", choice=1)  # key 2
    send(widget, action="skip")  # S: item 2
    assert widget.item["key"] == "3" and widget.progress["skipped"] == 1
    send(widget, action="undo")  # U: the skip of item 2
    assert widget.item["key"] == "2" and widget.progress["skipped"] == 0
    send(widget, action="undo")  # U again: the label of item 1
    assert widget.item["key"] == "1" and widget.item["mine"] is None
    assert labels_in_sql(tmp_path) == {"0": ["pos"]}

    send(widget, action="pick", choice=1)
    send(widget, action="previous")  # ←
    assert widget.item["key"] == "1" and widget.chosen == ["neg"]
    send(widget, action="confirm")  # Enter keeps my label and moves on
    assert widget.item["key"] == "2"
    assert labels_in_sql(tmp_path) == {"0": ["pos"], "1": ["neg"]}
    assert widget.handled == 8 and widget.error is None


def test_the_unlabeled_filter_pages_through_every_item_once(ws, tmp_path):
    widget = mlwb.label("reviews", choices=["pos", "neg"], into="review_labels",
                        annotator="ann", page_size=7)
    walked = []
    while widget.state == "item" and len(walked) < 200:
        walked.append(int(widget.item["key"]))
        send(widget, action="pick", choice=walked[-1] % 2)
    assert walked == list(range(120))  # shifting offsets skipped nothing, repeated nothing
    assert widget.progress["labeled"] == 120
    assert len(widget.session.items) == 120  # fetched a page at a time
    labels = labels_in_sql(tmp_path)
    assert len(labels) == 120 and labels["7"] == ["neg"] and labels["8"] == ["pos"]

    send(widget, action="filter", filter="all")
    assert widget.filter == "all" and widget.item["mine"] == ["pos"]


def test_labels_made_elsewhere_meanwhile_pass_over_no_item(ws):
    widget = mlwb.label("reviews", choices=["pos", "neg"], into="review_labels",
                        annotator="ann", page_size=7)
    for key in range(3):
        send(widget, action="pick", choice=0)
    for key in range(3, 7):  # another annotator labels the rest of the page the widget holds
        widget.labels.record(key, ["neg"], annotator="bo")
    for key in range(3, 7):  # still shown here; passed with the arrow key
        assert widget.item["key"] == str(key)
        send(widget, action="next")

    assert widget.item["key"] == "7"  # the first item nobody labeled, none passed over


def test_a_table_name_that_needs_quoting_is_taken_as_a_table(ws, tmp_path):
    ws.tables.save_query("order items", "SELECT range AS id, range * 2 AS qty FROM range(5)")

    widget = mlwb.label("order items", choices=["ok", "bad"], into="order_labels",
                        annotator="ann")

    assert widget.labels.sql == 'SELECT * FROM "order items"'
    assert widget.progress["total"] == 5 and widget.item["key"] == "0"


def test_multi_label_toggles_and_enter_saves(ws, tmp_path):
    widget = mlwb.label("SELECT * FROM reviews", choices=["funny", "long", "spam"],
                        into="review_tags", multi=True, annotator="ann")
    send(widget, action="pick", choice=0)
    send(widget, action="pick", choice=2)
    send(widget, action="pick", choice=0)  # toggled off again
    send(widget, action="pick", choice=1)
    assert widget.chosen == ["long", "spam"] and widget.item["key"] == "0"
    assert labels_in_sql(tmp_path, "review_tags") == {}  # nothing saved before Enter

    send(widget, action="confirm")
    assert labels_in_sql(tmp_path, "review_tags") == {"0": ["long", "spam"]}
    assert widget.item["key"] == "1"
    send(widget, action="confirm")  # Enter with nothing picked: a hint, no label
    assert "Toggle labels" in widget.notice and widget.item["key"] == "1"


def test_reopening_keeps_the_labels_and_refuses_another_definition(ws):
    first = mlwb.label("SELECT * FROM reviews", choices=["pos", "neg"], into="review_labels",
                       annotator="ann")
    send(first, action="pick", choice=0)

    again = mlwb.label(into="review_labels", annotator="ann")
    assert again.progress["labeled"] == 1 and again.item["key"] == "1"
    with pytest.raises(ValueError, match="already exists and its choices are"):
        mlwb.label("SELECT * FROM reviews", choices=["good", "bad"], into="review_labels")
    with pytest.raises(ValueError, match="Pass key="):
        mlwb.label("SELECT text FROM reviews", choices=["a", "b"], into="texts")


def test_the_uncertain_filter_says_to_train_first_then_walks_the_queue(ws, tmp_path):
    widget = mlwb.label("SELECT * FROM reviews", choices=["low", "high"], into="review_labels",
                        show=["stars"], annotator="ann", filter="all")
    for _ in range(12):  # stars 0 and 1 are low, 2 is high
        send(widget, action="pick", choice=int(int(widget.item["key"]) % 3 == 2))

    send(widget, action="filter", filter="uncertain")
    assert widget.state == "done" and "train the queue model first" in widget.notice

    seen = []
    widget.observe(lambda change: seen.append(change["new"]), names="scoring")
    send(widget, action="refresh_queue", strategy="margin")
    assert widget.error is None, widget.error
    assert seen == [{"done": 108, "total": 108}, None]  # shown while scoring, then gone
    assert widget.filter == "uncertain" and widget.queue["trained_on"] == 12
    assert widget.queue["scored"] == 108 and widget.state == "item"
    first = widget.item["key"]
    with Workspace.open(tmp_path / "ws", root_dir=tmp_path) as other:
        top = other.query("SELECT item_key FROM review_labels_queue WHERE uncertainty = "
                          "(SELECT max(uncertainty) FROM review_labels_queue)")
    assert first in set(top["item_key"]) and int(first) % 3 != 0  # the unsure stars

    described = widget.refresh_queue("entropy")  # the same from Python
    assert described.strategy == "entropy" and widget.queue["strategy"] == "entropy"
    assert widget.labels.name == "review_labels" and widget.filter == "uncertain"


def test_a_core_error_shows_in_the_widget_and_the_kernel_goes_on(ws):
    widget = mlwb.label("SELECT * FROM reviews", choices=["pos", "neg"], into="review_labels",
                        annotator="ann")
    send(widget, action="refresh_queue")  # no labels yet: the core says 409
    assert "at least 2 different labels" in widget.error["message"]
    send(widget, action="dismiss")
    assert widget.error is None
    send(widget, action="pick", choice=0)
    assert widget.progress["labeled"] == 1


def test_local_images_travel_as_data_urls_and_a_missing_one_says_so(ws, tmp_path):
    import base64

    png = base64.b64decode(  # one pixel
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJ"
        "RU5ErkJggg=="
    )
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(png)
    widget = mlwb.label(
        "SELECT * FROM (VALUES (1, 'img/a.png'), (2, 'img/gone.png')) t(id, path)",
        choices=["cat", "dog"], into="pics", annotator="ann",
    )
    assert widget.kind == "image"
    shown = widget.item["images"]["path"]
    assert shown["url"] == "data:image/png;base64," + base64.b64encode(png).decode()
    assert shown["missing"] is False

    send(widget, action="next")
    gone = widget.item["images"]["path"]
    assert gone["missing"] is True and gone["url"].startswith("labelsets/pics/image?key=2")
    send(widget, action="skip")  # a missing image is skippable
    assert widget.state == "done" and widget.progress["skipped"] == 1


def test_is_query_tells_a_select_from_a_table_name():
    import doctest

    import mlworkbench.notebook_prep as notebook_prep

    assert notebook_prep.is_query("WITH r AS (SELECT 1 AS id) SELECT * FROM r")
    assert not notebook_prep.is_query("reviews")
    results = doctest.testmod(notebook_prep)
    assert results.attempted > 0 and results.failed == 0
