"""Nothing is served without the Jupyter token."""

import pytest
from tornado.httpclient import AsyncHTTPClient

from mlworkbench.server.routes import API, ROUTES


def _concrete(path: str) -> str:
    return "/".join("x" if p.startswith("{") else p for p in path.split("/"))


@pytest.mark.parametrize(
    "route,verb",
    [(r, v) for r in ROUTES for v in sorted(r.handler.endpoints)],
    ids=lambda x: getattr(x, "path", x),
)
async def test_every_route_refuses_a_request_without_the_token(
    jp_serverapp, jp_http_port, jp_base_url, route, verb
):
    url = f"http://127.0.0.1:{jp_http_port}{jp_base_url.rstrip('/')}{API}{_concrete(route.path)}"
    body = "{}" if verb in ("post", "put", "patch") else None
    response = await AsyncHTTPClient().fetch(
        url, method=verb.upper(), body=body, raise_error=False, follow_redirects=False
    )
    assert response.code == 403, f"{verb.upper()} {route.path} answered {response.code}"


async def test_status_answers_with_the_token(api):
    code, status = await api.get("status")
    assert code == 200
    assert status["workspace"]
    assert status["running_queries"] == 0
