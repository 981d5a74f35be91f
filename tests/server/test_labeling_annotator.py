"""Who a label belongs to when Jupyter's own token auth cannot say: the person at the machine,
the same name a kernel labels under, not a random anonymous id per browser session."""

from __future__ import annotations

import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.labeling.annotators import local_annotator
from tests.server.conftest import Api


@pytest.fixture
def jp_server_config(jp_server_config, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    return jp_server_config


async def test_token_users_label_as_the_local_user_and_match_a_kernels_labels(
    jp_fetch, jp_server_config
):
    api = Api(jp_fetch)
    status, _ = await api.post(
        "labelsets",
        {
            "name": "pets",
            "sql": "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, body)",
            "key": "id",
            "choices": ["cat", "dog"],
        },
    )
    assert status == 201
    for _ in range(2):  # two requests: jupyter would give each its own anonymous user
        status, body = await api.post("labelsets/pets/labels", {"key": "1", "labels": ["cat"]})
        assert status == 200, body
    assert local_annotator() == "ada"
    with Workspace.open(jp_server_config["MLWorkbench"]["workspace"]) as ws:
        ws.labels.get("pets").record(2, ["dog"], annotator=local_annotator())
        rows = ws.query("SELECT item_key, annotator FROM pets ORDER BY item_key").values.tolist()
    assert rows == [["1", "ada"], ["2", "ada"]]
    status, body = await api.post("labelsets/pets/undo")
    assert status == 200 and body["key"] == "2"  # the kernel's label is this person's last one
