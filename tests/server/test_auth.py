"""Nothing is served without the Jupyter token."""

import pytest
from mlworkbench.server.routes import API, ROUTES


def _concrete(path: str) -> str:
    return "/".join("x" if p.startswith("{") else p for p in path.split("/"))


@pytest.mark.parametrize(
    "route,verb",
    [(r, v) for r in ROUTES for v in sorted(r.handler.endpoints)],
    ids=lambda x: getattr(x, "path", x),
)
async def test_every_route_refuses_a_request_without_the_token(jp_fetch, route, verb):
    body = "{}" if verb in ("post", "put", "patch") else None
    parts = f"{API}{_concrete(route.path)}".strip("/").split("/")
    response = await jp_fetch(
        *parts,
        method=verb.upper(),
        body=body,
        headers={"Authorization": ""},  # replaces the token jp_fetch would send
        raise_error=False,
        follow_redirects=False,
    )
    assert response.code == 403, f"{verb.upper()} {route.path} answered {response.code}"


async def test_status_answers_with_the_token(api):
    code, status = await api.get("status")
    assert code == 200
    assert status["workspace"]
    assert status["running_queries"] == 0


def _handlers(router):
    for rule in router.rules:
        if hasattr(rule.target, "rules"):
            yield from _handlers(rule.target)
        else:
            yield getattr(rule.matcher, "regex", None), rule.target


def test_every_mlworkbench_url_the_server_serves_is_in_the_route_table(jp_serverapp):
    """So the test above covers every route, including one added outside the table."""
    served = {
        target
        for regex, target in _handlers(jp_serverapp.web_app.default_router)
        if regex is not None and "mlworkbench" in regex.pattern
    }
    assert served == {r.handler for r in ROUTES}
