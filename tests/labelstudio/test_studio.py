"""The Label Studio bridge's core against a real Label Studio server (see conftest.py)."""

from __future__ import annotations

import json
import time

import pytest

from mlworkbench.core.errors import (
    ConflictError,
    NotFoundError,
    QueryCancelledError,
    StudioKeyRefusedError,
    StudioUnreachableError,
)
from mlworkbench.core.labeling.studio import WATERMARK_OVERLAP, Studio
from mlworkbench.core.labeling.studio_config import choice_result, label_config
from mlworkbench.core.tasks import Progress
from mlworkbench.testing.labelstudio import free_port


@pytest.fixture
def studio(ws, studio_env):
    return Studio(ws.labels, ws.root_dir)


@pytest.fixture
def linked(studio, reviews):
    """The reviews label set linked to a new project, its 30 items pushed."""
    studio.connect("reviews")
    studio.push("reviews", batch_size=7)
    return reviews


def project_id(label_set) -> int:
    return label_set.link("labelstudio")["project_id"]


def tasks_of(studio, label_set, fields="task_only") -> list[dict]:
    client = studio.client()
    return client.get_json("list", "api/tasks/", {
        "project": project_id(label_set), "page_size": 1000, "fields": fields})["tasks"]


def annotate(studio, task_id: int, *labels: str) -> int:
    return studio.client().sdk.annotations.create(id=task_id, result=choice_result(list(labels))).id


def by_key(studio, label_set) -> dict[str, int]:
    return {t["data"]["mlwb_key"]: t["id"] for t in tasks_of(studio, label_set)}


def labels_table(ws, name="reviews"):
    return ws.query(f"SELECT item_key, labels, status, source, annotator FROM {name} "
                    "ORDER BY item_key")


def test_label_configs_show_text_images_and_record_cards():
    text = label_config("text", ["body"], ["pos", "neg"], multi=False)
    assert '<Text name="item" value="$body"/>' in text
    assert 'choice="single-radio"' in text and '<Choice value="pos"/>' in text
    image = label_config("image", ["photo path"], ["cat", "a \"dog\""], multi=True)
    assert '<Image name="item" value="$photo_path"/>' in image
    assert 'choice="multiple"' in image and "<Choice value='a \"dog\"'/>" in image
    record = label_config("record", ["age", "city"], ["a", "b"], multi=False)
    assert '<HyperText name="item" value="$mlwb_card"/>' in record


def test_task_data_inlines_local_images_and_escapes_record_cards(tmp_path):
    from mlworkbench.core.labeling.studio_config import TaskBuilder

    root = tmp_path / "root"
    (root / "img").mkdir(parents=True)
    (root / "img" / "a.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "outside.png").write_bytes(b"\x89PNG fake")  # exists, but outside the root
    images = TaskBuilder("image", ["path"], root)
    assert images.data("1", {"path": "img/a.png"})["path"].startswith("data:image/png;base64,")
    assert images.data("2", {"path": "https://x.org/b.jpg"})["path"] == "https://x.org/b.jpg"
    assert images.data("3", {"path": "img/missing.png"})["path"] == "img/missing.png"
    assert images.data("4", {"path": "../outside.png"})["path"] == "../outside.png"
    assert images.data("5", {"path": str(tmp_path / "outside.png")})["path"] == str(
        tmp_path / "outside.png")
    record = TaskBuilder("record", ["name", "when"], tmp_path).data(
        "k", {"name": "<b>x</b>", "when": __import__("datetime").date(2024, 1, 2)})
    assert record["mlwb_key"] == "k" and record["when"] == "2024-01-02"
    assert "&lt;b&gt;x&lt;/b&gt;" in record["mlwb_card"] and "<b>" not in record["mlwb_card"]


def test_items_come_in_a_smaller_first_batch_then_full_ones_each_once_in_order(reviews):
    from mlworkbench.core.labeling.studio_rows import item_batches

    reader = item_batches(reviews, None, 8, first_size=3)
    assert reader.total is None  # counted along with the rows: known once they come
    batches = list(reader)
    assert reader.total == 30
    assert [len(b) for b in batches] == [3, 8, 8, 8, 3]
    assert all("mlwb_total" not in row for batch in batches for row in batch)
    keys = [row["item_key"] for batch in batches for row in batch]
    assert keys == sorted(keys) and len(set(keys)) == 30
    assert [len(b) for b in item_batches(reviews, None, 8)] == [8, 8, 8, 6]
    assert [len(b) for b in item_batches(reviews, None, 8, first_size=50)] == [8, 8, 8, 6]


def test_connect_creates_a_project_with_the_generated_config_once(studio, reviews):
    first = studio.connect("reviews", title="Reviews")
    assert first.state == "ok" and first.project_id
    project = studio.client().sdk.projects.get(first.project_id)
    assert project.title == "Reviews"
    assert project.label_config == label_config("text", ["body"], ["pos", "neg"], False)
    again = studio.connect("reviews")
    assert again.project_id == first.project_id
    assert again.counts.tasks == 0 and again.counts.pushed == 0
    assert "api_key" not in json.dumps(reviews.link("labelstudio"))


def test_pushing_twice_adds_only_new_items(studio, ws, linked):
    assert len(tasks_of(studio, linked)) == 30
    again = studio.push("reviews")
    assert (again.pushed, again.skipped) == (0, 30)
    csv = ws.root_dir / "reviews.csv"
    csv.write_text(csv.read_text() + "r30,a new one,1\nr31,another,2\n")
    third = studio.push("reviews")
    assert (third.pushed, third.skipped) == (2, 30)
    keys = by_key(studio, linked)
    assert len(keys) == 32 and {"r30", "r31"} <= set(keys)
    task = next(t for t in tasks_of(studio, linked) if t["data"]["mlwb_key"] == "r31")
    assert task["data"]["body"] == "another"
    assert studio.describe("reviews").counts.tasks == 32


def test_push_of_chosen_items_keeps_their_order(studio, reviews):
    studio.connect("reviews")
    done = studio.push("reviews", sql="SELECT id FROM reviews_src WHERE stars = 2 "
                       "ORDER BY id DESC")
    assert done.pushed == 10
    tasks = sorted(tasks_of(studio, reviews), key=lambda t: t["id"])
    assert [t["data"]["mlwb_key"] for t in tasks][:3] == ["r29", "r26", "r23"]


def test_a_models_predictions_show_in_label_studio_with_version_and_score(studio, reviews):
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    import pandas

    train = pandas.DataFrame({"body": ["good great", "bad awful", "great", "awful"],
                              "stars": [2, 0, 2, 0]})
    model = make_pipeline(ColumnTransformer([("t", TfidfVectorizer(), "body")]),
                          LogisticRegression()).fit(train, ["pos", "neg", "pos", "neg"])
    studio.connect("reviews")
    done = studio.push("reviews", model=model, model_version="tfidf-v1")
    assert done.predictions == 30 and done.model_version == "tfidf-v1"
    tasks = tasks_of(studio, reviews, fields="all")
    prediction = tasks[0]["predictions"][0]
    assert prediction["model_version"] == "tfidf-v1"
    assert 0.5 <= prediction["score"] <= 1
    assert prediction["result"][0]["value"]["choices"][0] in ("pos", "neg")


def test_a_callable_can_predict_too(studio, reviews):
    studio.connect("reviews")
    studio.push("reviews", sql="SELECT id FROM reviews_src LIMIT 3",
                model=lambda df: [("neg", 0.25)] * len(df), model_version="rule")
    tasks = tasks_of(studio, reviews, fields="all")
    assert {t["predictions"][0]["score"] for t in tasks} == {0.25}


def test_pull_brings_annotations_then_only_what_changed(studio, ws, linked):
    keys = by_key(studio, linked)
    # Tasks changed within the overlap before a pull are read again by the next one (harmless);
    # let the push of the 30 tasks fall outside it, so the second pull must skip them.
    time.sleep(WATERMARK_OVERLAP.total_seconds() + 0.5)
    for key in ("r01", "r02", "r03"):
        annotate(studio, keys[key], "pos")
    first = studio.pull("reviews")
    assert (first.incremental, first.annotations, first.written) == (False, 3, 3)
    table = labels_table(ws)
    assert table["item_key"].tolist() == ["r01", "r02", "r03"]
    assert set(table["source"]) == {"labelstudio"}
    assert set(table["annotator"]) == {"tests@mlworkbench.local"}

    annotate(studio, keys["r04"], "neg")
    annotate(studio, keys["r05"], "neg")
    second = studio.pull("reviews")
    assert second.incremental and second.written == 2
    assert second.tasks_read <= 5  # only tasks changed since (or just before) the last pull
    assert labels_table(ws)["item_key"].tolist() == ["r01", "r02", "r03", "r04", "r05"]
    assert studio.pull("reviews").written == 0  # pulling again changes nothing
    counts = studio.describe("reviews").counts
    assert (counts.tasks, counts.annotated, counts.pulled) == (30, 5, 5)


def test_an_annotation_with_a_label_not_in_the_set_is_kept_and_flagged(studio, ws, linked):
    keys = by_key(studio, linked)
    annotate(studio, keys["r07"], "meh")
    done = studio.pull("reviews")
    assert done.unknown_labels == 1
    row = labels_table(ws).iloc[0]
    assert (row["item_key"], list(row["labels"]), row["status"]) == ("r07", ["meh"],
                                                                      "unknown_label")


def test_a_task_deleted_in_label_studio_flags_its_labels(studio, ws, linked):
    keys = by_key(studio, linked)
    annotate(studio, keys["r08"], "pos")
    annotate(studio, keys["r09"], "neg")
    studio.pull("reviews")
    studio.client().sdk.tasks.delete(id=keys["r08"])
    done = studio.pull("reviews")
    assert done.deleted_tasks == 1
    statuses = dict(zip(*[labels_table(ws)[c] for c in ("item_key", "status")]))
    assert statuses == {"r08": "deleted_upstream", "r09": "ok"}
    assert studio.push("reviews").pushed == 0  # a task deleted there is not pushed again


def test_an_annotation_deleted_in_label_studio_flags_its_label(studio, ws, linked):
    keys = by_key(studio, linked)
    first = annotate(studio, keys["r01"], "pos")
    annotate(studio, keys["r02"], "neg")
    annotate(studio, keys["r03"], "pos")
    studio.pull("reviews")
    sdk = studio.client().sdk
    # The first pull read an export snapshot and deleted it: the project keeps none.
    assert list(sdk.projects.exports.list(project_id(linked))) == []
    time.sleep(WATERMARK_OVERLAP.total_seconds() + 0.1)
    sdk.annotations.delete(id=first)  # its task r01 stays
    done = studio.pull("reviews")
    assert done.incremental and (done.deleted_annotations, done.deleted_tasks) == (1, 0)
    statuses = dict(zip(*[labels_table(ws)[c] for c in ("item_key", "status")]))
    assert statuses == {"r01": "deleted_upstream", "r02": "ok", "r03": "ok"}
    assert studio.describe("reviews").counts.deleted_upstream == 1
    # A full export no longer lists r03 once its only annotation is gone: flagged all the same.
    r03 = [a.id for a in sdk.annotations.list(id=keys["r03"])]
    sdk.annotations.delete(id=r03[0])
    full = studio.pull("reviews", full=True)
    assert not full.incremental and full.deleted_annotations == 1
    statuses = dict(zip(*[labels_table(ws)[c] for c in ("item_key", "status")]))
    assert statuses == {"r01": "deleted_upstream", "r02": "ok", "r03": "deleted_upstream"}


def test_a_wrong_api_key_is_reported_without_printing_it(ws, reviews, label_studio):
    wrong = "not-the-key-0123456789"
    studio = Studio(ws.labels, ws.root_dir, url=label_studio.url, api_key=wrong)
    with pytest.raises(StudioKeyRefusedError) as caught:
        studio.connect("reviews")
    message = caught.value.message
    assert "refused the API key" in message and label_studio.url in message
    assert wrong not in message and wrong not in json.dumps(caught.value.detail)


def test_label_studio_down_says_where_and_writes_nothing(ws, linked, studio_env, monkeypatch):
    link = linked.link("labelstudio")
    dead = f"http://127.0.0.1:{free_port()}"
    linked.set_link("labelstudio", {**link, "url": dead})
    studio = Studio(ws.labels, ws.root_dir)
    with pytest.raises(StudioUnreachableError) as caught:
        studio.pull("reviews")
    assert dead in caught.value.message and "label_studio_url" in caught.value.message
    assert len(labels_table(ws)) == 0
    described = studio.describe("reviews")
    assert described.state == "unreachable" and dead in described.message
    with pytest.raises(StudioUnreachableError):
        Studio(ws.labels, ws.root_dir, url=dead).connect("reviews", url=dead)


def test_push_and_pull_need_a_link_first(studio, reviews):
    with pytest.raises(ConflictError, match="connect"):
        studio.push("reviews")
    assert studio.describe("reviews").state == "not_connected"


def test_a_cancelled_push_stops_and_pushing_again_resumes(studio, reviews):
    studio.connect("reviews")
    progress = Progress("push")

    def stop_after_first_batch(p: Progress) -> None:
        if p.done >= 10:
            p.cancel_event.set()

    progress.listener = stop_after_first_batch
    with pytest.raises(QueryCancelledError, match="Push was cancelled"):
        studio.push("reviews", batch_size=10, progress=progress)
    created = len(tasks_of(studio, reviews))
    assert 0 < created < 30
    resumed = studio.push("reviews", batch_size=10)
    assert resumed.pushed == 30 - created
    assert len(tasks_of(studio, reviews)) == 30


def test_the_queue_orders_the_push_and_gives_pre_annotations(studio, ws, reviews):
    for key, label in (("r00", "pos"), ("r01", "neg"), ("r02", "pos"), ("r03", "neg")):
        reviews.record(key, label, annotator="ann")
    queue = reviews.refresh_queue()
    ranked = ws.query(f"SELECT item_key FROM {queue.table} ORDER BY rank")["item_key"].tolist()
    studio.connect("reviews")
    done = studio.push("reviews", predictions_from="queue")
    assert done.predictions == len(ranked) and done.pushed == 30
    tasks = sorted(tasks_of(studio, reviews, fields="all"), key=lambda t: t["id"])
    assert [t["data"]["mlwb_key"] for t in tasks[:len(ranked)]] == ranked  # queue order first
    prediction = tasks[0]["predictions"][0]
    assert prediction["model_version"] == queue.model_version
    assert prediction["result"][0]["value"]["choices"][0] in ("pos", "neg")


def test_a_push_to_a_project_deleted_in_label_studio_says_so_before_reading_items(studio,
                                                                                 reviews):
    studio.connect("reviews")
    studio.client().sdk.projects.delete(id=project_id(reviews))
    for sql in ("SELECT id FROM reviews_src WHERE false", None, "SELECT nope FROM reviews_src"):
        with pytest.raises(NotFoundError, match="no longer exists in Label Studio"):
            studio.push("reviews", sql=sql)


def test_connect_after_the_project_was_deleted_creates_a_new_one_and_pushes_all(studio, linked):
    old = project_id(linked)
    studio.client().sdk.projects.delete(id=old)
    assert studio.describe("reviews").state == "project_missing"
    again = studio.connect("reviews")
    assert again.state == "ok" and again.project_id != old
    assert (again.counts.tasks, again.counts.pushed) == (0, 0)
    from mlworkbench.core.labeling.studio_tasks import TaskMap

    assert TaskMap(linked._store, linked.id, old).count() == 0  # the old task map is forgotten
    assert studio.push("reviews").pushed == 30
    assert len(by_key(studio, linked)) == 30
    assert studio.connect("reviews").project_id == again.project_id  # a live project is kept


def test_the_links_counts_include_flagged_labels(studio, linked):
    keys = by_key(studio, linked)
    annotate(studio, keys["r07"], "meh")
    annotate(studio, keys["r08"], "pos")
    annotate(studio, keys["r09"], "neg")
    studio.pull("reviews")
    counts = studio.describe("reviews").counts
    assert (counts.unknown_labels, counts.deleted_upstream) == (1, 0)
    studio.client().sdk.tasks.delete(id=keys["r08"])
    studio.client().sdk.tasks.delete(id=keys["r07"])
    assert studio.pull("reviews").deleted_tasks == 2
    counts = studio.describe("reviews").counts
    # r07's label is flagged deleted_upstream now (one status per label).
    assert (counts.unknown_labels, counts.deleted_upstream, counts.pulled) == (0, 2, 3)


def test_describe_says_when_no_url_or_key_is_configured(ws, reviews, label_studio, monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    bare = Studio(ws.labels, ws.root_dir)
    described = bare.describe("reviews")
    assert (described.state, described.configured) == ("not_connected", False)
    assert "label_studio_url" in described.message
    Studio(ws.labels, ws.root_dir, url=label_studio.url, api_key=label_studio.token
           ).connect("reviews")
    described = bare.describe("reviews")  # linked, but no key here to reach it
    assert (described.state, described.configured) == ("not_configured", False)
    assert "label_studio_api_key" in described.message and described.project_id
    configured = Studio(ws.labels, ws.root_dir, url=label_studio.url, api_key=label_studio.token)
    assert (configured.describe("reviews").state, configured.describe("reviews").configured) == (
        "ok", True)
