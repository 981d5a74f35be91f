"""Real workspaces on temp dirs linked to the session's real Label Studio server (the
``label_studio`` fixture of tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlworkbench.core import Workspace
from mlworkbench.schemas import RegisterSourceRequest


@pytest.fixture
def studio_env(label_studio, monkeypatch):
    """The server's URL and key in the environment, as a user would set them."""
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    return label_studio


@pytest.fixture
def ws(tmp_path: Path):
    workspace = Workspace.open(tmp_path / ".mlworkbench", root_dir=tmp_path, memory_limit="1GB")
    yield workspace
    workspace.close()


@pytest.fixture
def reviews(ws):
    """A label set of 30 short reviews (text), keys r00..r29."""
    path = ws.root_dir / "reviews.csv"
    path.write_text("id,body,stars\n" + "".join(
        f"r{i:02d},review number {i},{i % 3}\n" for i in range(30)))
    ws.catalog.register_source(RegisterSourceRequest(path=str(path), name="reviews_src"))
    return ws.labels.create("reviews", "SELECT * FROM reviews_src", key="id",
                            choices=["pos", "neg"], show=["body"], kind="text")
