"""Shared fixtures. pytest-jupyter's plugin must be declared here, at the top level."""

import signal

import pytest


@pytest.fixture(scope="session", autouse=True)
def _sigint_raises_keyboard_interrupt():
    """Interrupts must raise KeyboardInterrupt, as in a terminal and a kernel. A shell that
    starts the suite in the background (`make test &`, some CI runners) leaves SIGINT ignored:
    then `_thread.interrupt_main()` does nothing, and child processes inherit the ignoring, so
    the interrupt and Ctrl-C tests would hang. With Python's handler installed, exec gives
    children SIGINT's default back."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)

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


@pytest.fixture(scope="session")
def workspace_templates(tmp_path_factory):
    """Workspaces with real training runs, trained once per session and copied per test (see
    tests/workspaces.py)."""
    from tests.workspaces import WorkspaceTemplates

    return WorkspaceTemplates(tmp_path_factory.mktemp("templates"))
