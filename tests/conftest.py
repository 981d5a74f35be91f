"""Shared fixtures. pytest-jupyter's plugin must be declared here, at the top level."""

pytest_plugins = ["pytest_jupyter.jupyter_server"]
