"""The Label Studio routes on a server with no Label Studio URL or key configured: the link
description answers (configured false, how to set them) instead of failing."""

from __future__ import annotations

import pytest

from tests.server.conftest import Api

ITEMS = "SELECT * FROM (VALUES ('k1', 'one'), ('k2', 'two')) t(id, body)"


@pytest.fixture
def jp_server_config(tmp_path_factory, monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    return {
        "ServerApp": {"jpserver_extensions": {"mlworkbench": True},
                      "allow_unauthenticated_access": False},
        "MLWorkbench": {"workspace": str(tmp_path_factory.mktemp("workspace"))},
    }


@pytest.fixture
def api(jp_fetch) -> Api:
    return Api(jp_fetch)


async def test_the_link_says_not_configured_before_any_connect(api):
    code, _ = await api.post("labelsets", {"name": "notes", "sql": ITEMS, "key": "id",
                                           "choices": ["a", "b"], "show": ["body"]})
    assert code == 201
    code, link = await api.get("labelsets/notes/studio")
    assert code == 200, link
    assert (link["state"], link["configured"]) == ("not_connected", False)
    assert "label_studio_url" in link["message"] and "LABEL_STUDIO_URL" in link["message"]
    code, body = await api.post("labelsets/notes/studio/connect", {})
    assert code == 422 and body["detail"]["field"] == "url"
