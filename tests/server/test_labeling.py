"""The label-set REST routes on a real jupyter-server with auth on, as the labeler calls them."""

from __future__ import annotations

import base64
import inspect

import pytest
from jupyter_server.auth.identity import IdentityProvider, User

from tests.server.conftest import Api

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


class HeaderIdentityProvider(IdentityProvider):
    """Token auth as usual; the user name comes from a header (a browser keeps one user in a
    cookie, jp_fetch would get a new random one on each request)."""

    async def get_user(self, handler):
        user = super().get_user(handler)
        if inspect.isawaitable(user):
            user = await user
        if user is None:
            return None
        return User(username=handler.request.headers.get("X-Test-User", "alice"))


@pytest.fixture
def jp_server_config(jp_server_config):
    return jp_server_config | {
        "ServerApp": jp_server_config["ServerApp"] | {"identity_provider_class": HeaderIdentityProvider}
    }


def as_user(jp_fetch, name: str) -> Api:
    def fetch(*parts, **kwargs):
        kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-Test-User": name}
        return jp_fetch(*parts, **kwargs)

    return Api(fetch)


@pytest.fixture
def images(jp_root_dir):
    folder = jp_root_dir / "img"
    folder.mkdir()
    (folder / "a.png").write_bytes(PNG)
    (folder / "b.png").write_bytes(PNG)
    (jp_root_dir.parent / "secret.png").write_bytes(PNG)
    return folder


async def create(api, **body):
    request = {"name": "pets", "key": "id", "choices": ["cat", "dog"]} | body
    return await api.post("labelsets", request)


IMAGE_SQL = (
    "SELECT * FROM (VALUES (1, 'img/a.png'), (2, 'img/missing.png'), (3, 'img/b.png'), "
    "(4, 'https://example.org/x.jpg'), (5, '../secret.png')) t(id, path)"
)


async def test_the_labeler_round_trip(api, images):
    code, described = await create(api, sql=IMAGE_SQL)
    assert code == 201, described
    assert described["kind"] == "image" and described["progress"]["total"] == 5
    code, page = await api.post("labelsets/pets/items", {"filter": "all", "limit": 10})
    assert code == 200
    items = page["items"]
    assert [i["key"] for i in items] == ["1", "2", "3", "4", "5"]
    assert items[0]["images"]["path"] == {
        "url": "labelsets/pets/image?key=1&column=path", "local": True, "missing": False,
    }
    assert items[1]["images"]["path"]["missing"] is True
    assert items[3]["images"]["path"] == {
        "url": "https://example.org/x.jpg", "local": False, "missing": False,
    }
    assert items[4]["images"]["path"]["missing"] is True  # outside the root: never served
    code, recorded = await api.post("labelsets/pets/labels", {"key": "1", "labels": ["cat"]})
    assert code == 200 and recorded["progress"]["labeled"] == 1 and recorded["progress"]["mine"] == 1
    code, progress = await api.post("labelsets/pets/skip", {"key": "2"})
    assert code == 200 and progress["skipped"] == 1
    code, page = await api.post("labelsets/pets/items", {"filter": "unlabeled"})
    assert [i["key"] for i in page["items"]] == ["3", "4", "5"] and page["total"] == 3
    code, page = await api.post("labelsets/pets/items", {"filter": "all", "limit": 1})
    first = page["items"][0]
    assert first["mine"] == ["cat"]
    # the annotator is the Jupyter user who is logged in
    assert first["labels"][0]["annotator"] == "alice" and first["labels"][0]["source"] == "builtin"
    code, described = await api.get("labelsets/pets")
    assert code == 200 and described["progress"]["mine"] == 1 and described["version"] == 1
    # its SQL table counts the label made since its (empty) snapshot, and is not a plain table
    code, table = await api.get("tables/pets")
    assert code == 200 and table["table"]["row_count"] == 1
    code, error = await api.delete("tables/pets")
    assert code == 409 and "label set" in error["message"]
    code, undone = await api.post("labelsets/pets/undo")
    assert code == 200 and undone["key"] == "2" and undone["progress"]["skipped"] == 0
    code, undone = await api.post("labelsets/pets/undo")
    assert undone["key"] == "1" and undone["progress"]["labeled"] == 0
    code, undone = await api.post("labelsets/pets/undo")
    assert code == 200 and undone["key"] is None
    code, listed = await api.get("labelsets")
    assert [s["name"] for s in listed["label_sets"]] == ["pets"]
    code, _ = await api.delete("labelsets/pets")
    assert code == 204
    code, error = await api.get("labelsets/pets")
    assert code == 404 and "pets" in error["message"]


async def test_a_label_the_set_does_not_have_is_refused_naming_the_allowed_ones(api):
    await create(api, sql="SELECT range AS id FROM range(3)")
    code, error = await api.post("labelsets/pets/labels", {"key": "1", "labels": ["bird"]})
    assert code == 422
    assert "cat, dog" in error["message"] and error["detail"]["allowed"] == ["cat", "dog"]
    code, error = await api.post("labelsets/pets/labels", {"key": "1", "labels": ["cat", "dog"]})
    assert code == 422 and "one label" in error["message"]
    code, error = await api.post("labelsets/pets/labels", {"key": "42", "labels": ["cat"]})
    assert code == 404 and "'42'" in error["message"]
    code, error = await api.post("labelsets/nope/labels", {"key": "1", "labels": ["cat"]})
    assert code == 404 and "'nope'" in error["message"]
    code, error = await api.post("labelsets/pets/items", {"filter": "uncertain"})
    assert code == 409 and "train the queue model first" in error["message"]


async def test_bad_label_set_definitions_are_4xx_that_say_why(api):
    code, error = await create(api, sql="SELECT range % 2 AS id FROM range(6)")
    assert code == 422 and "does not identify one item per row" in error["message"]
    assert {e["key"] for e in error["detail"]["examples"]} == {"0", "1"}
    code, error = await create(api, sql="SELECT range AS n FROM range(6)")
    assert code == 422 and error["detail"]["columns"] == ["n"] and "'id'" in error["message"]
    code, error = await create(api, sql="SELECT range AS id\nFROM rnge(6)")
    assert code == 400 and error["code"] == "query_error"
    assert error["detail"]["line"] == 2
    code, error = await create(api, sql="SELECT range AS id FROM range(6)", show=["id", "body"])
    assert code == 422 and error["detail"]["unknown"] == ["body"]
    code, error = await create(api, sql="SELECT range AS id FROM range(6)", choices=[])
    assert code == 422
    code, _ = await create(api, sql="SELECT range AS id FROM range(6)")
    code, error = await create(api, sql="SELECT range AS id FROM range(6)")
    assert code == 409 and "overwrite" in error["message"]


async def test_the_image_route_serves_local_files_under_the_root_only(api, images, jp_fetch):
    await create(api, sql=IMAGE_SQL)
    response = await jp_fetch(
        "mlworkbench", "api", "labelsets", "pets", "image", params={"key": "1", "column": "path"}
    )
    assert response.code == 200 and response.body == PNG
    assert response.headers["Content-Type"] == "image/png"
    code, error = await api.get("labelsets/pets/image", key="2", column="path")
    assert code == 404 and "missing.png" in error["message"]
    code, error = await api.get("labelsets/pets/image", key="5", column="path")
    assert code == 403 and "outside the Jupyter root" in error["message"]
    code, error = await api.get("labelsets/pets/image", key="4", column="path")
    assert code == 404
    code, error = await api.get("labelsets/pets/image", key="1", column="nope")
    assert code == 422
    code, error = await api.get("labelsets/pets/image", key="1")
    assert code == 422 and error["detail"]["field"] == "column"


async def test_two_users_labeling_the_same_item_are_both_kept_and_disagree(api, jp_fetch):
    await create(api, sql="SELECT range AS id, 'text ' || range AS body FROM range(10)")
    bob = as_user(jp_fetch, "bob")
    assert (await api.post("labelsets/pets/labels", {"key": "3", "labels": ["cat"]}))[0] == 200
    code, recorded = await bob.post("labelsets/pets/labels", {"key": "3", "labels": ["dog"]})
    assert code == 200 and recorded["progress"]["disagreements"] == 1
    code, page = await bob.post("labelsets/pets/items", {"filter": "disagreements"})
    assert page["total"] == 1
    item = page["items"][0]
    assert item["key"] == "3" and item["disagreement"] and item["mine"] == ["dog"]
    assert sorted((x["annotator"], x["labels"]) for x in item["labels"]) == [
        ("alice", ["cat"]), ("bob", ["dog"]),
    ]
    # bob's undo is bob's: alice's label stays
    code, undone = await bob.post("labelsets/pets/undo")
    assert undone["key"] == "3" and undone["progress"]["disagreements"] == 0
    code, page = await api.post("labelsets/pets/items", {"filter": "all", "offset": 3, "limit": 1})
    assert [x["annotator"] for x in page["items"][0]["labels"]] == ["alice"]


async def test_a_label_per_key_press_answers_quickly_with_the_new_progress(api):
    import statistics
    import time

    await create(api, sql="SELECT range AS id, 'text ' || range AS body FROM range(100000)")
    await api.post("labelsets/pets/items", {"filter": "unlabeled", "limit": 20})  # the key index
    took = []
    for key in range(30):
        start = time.perf_counter()
        code, recorded = await api.post("labelsets/pets/labels", {"key": str(key), "labels": ["cat"]})
        took.append(time.perf_counter() - start)
        assert code == 200 and recorded["progress"]["labeled"] == key + 1
    median = statistics.median(took)
    print(f"POST labels over 100,000 items: median {median * 1000:.1f} ms, max {max(took) * 1000:.1f} ms")
    assert median < 0.5
