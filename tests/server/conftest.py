"""A real jupyter-server with the extension loaded, auth on, and a temp workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def jp_server_config(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("workspace")
    return {
        "ServerApp": {
            "jpserver_extensions": {"mlworkbench": True},
            "allow_unauthenticated_access": False,
        },
        "MLWorkbench": {"workspace": str(workspace)},
    }


def with_churn_run(config: dict, workspace_templates) -> dict:
    """``config`` (a ``jp_server_config``) with its workspace a copy of the 'churn' template: one
    finished training run, trained once per session (tests/workspaces.py). A module's own
    ``jp_server_config`` fixture returns it to start its server on that workspace."""
    workspace_templates.copy("churn", Path(config["MLWorkbench"]["workspace"]))
    return config


@pytest.fixture
def churn_run_id(workspace_templates) -> int:
    """The id of the template's run (see ``with_churn_run``)."""
    return workspace_templates.facts("churn")["run_id"]


@pytest.fixture
def data_dir(jp_root_dir: Path) -> Path:
    """A folder of small real files under the Jupyter root."""
    import duckdb

    data = jp_root_dir / "data"
    data.mkdir()
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT i AS cust_id, 'name ' || i AS name, i % 7 AS region
                  FROM range(1, 1001) t(i)) TO '{data / "customers.csv"}' (HEADER)"""
    )
    con.execute(
        f"""COPY (SELECT i AS order_id, (i % 1000) + 1 AS cust_id, (i * 13 % 997) / 10.0 AS amount
                  FROM range(1, 5001) t(i)) TO '{data / "orders.parquet"}' (FORMAT parquet)"""
    )
    con.close()
    return data


class Api:
    """Calls the REST API as the panel does, with the token; returns (status, json)."""

    def __init__(self, jp_fetch):
        self._fetch = jp_fetch

    async def call(self, method: str, path: str, body: Any = None, **params: str):
        kwargs: dict[str, Any] = {"method": method, "raise_error": False}
        if body is not None:
            kwargs["body"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
        elif method in ("POST", "PUT", "PATCH"):
            kwargs["body"] = "{}"
        if params:
            kwargs["params"] = params
        try:
            response = await self._fetch("mlworkbench", "api", *path.strip("/").split("/"), **kwargs)
        except HTTPClientError as e:  # pragma: no cover - raise_error=False should prevent this
            response = e.response
        text = response.body.decode() if response.body else ""
        content_type = response.headers.get("Content-Type", "")
        data = json.loads(text) if text and "json" in content_type else text
        return response.code, data

    async def get(self, path: str, **params: str):
        return await self.call("GET", path, **params)

    async def post(self, path: str, body: Any = None):
        return await self.call("POST", path, body)

    async def delete(self, path: str):
        return await self.call("DELETE", path)


@pytest.fixture
def api(jp_fetch) -> Api:
    return Api(jp_fetch)
