"""Shared fixtures. pytest-jupyter's plugin must be declared here, at the top level."""

import pytest

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """A real Label Studio server (from .venv-labelstudio, see `make labelstudio`) for the whole
    session, on a free port of 127.0.0.1, stopped by pid at the end (also when a test fails).
    The bridge's tests and the bench's smoke run share it: one start (20 s and more) per run."""
    from mlworkbench.testing.labelstudio import LabelStudioServer

    server = LabelStudioServer.start(tmp_path_factory.mktemp("label-studio"), timeout=300)
    try:
        yield server
    finally:
        server.stop()
