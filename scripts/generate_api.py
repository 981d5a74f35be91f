"""Write openapi.json from the route table and the pydantic models.

Usage: python scripts/generate_api.py [--check]
With --check, exit 1 (and say what to run) when the committed file differs from what the
models say. ``src/api/types.ts`` is then generated from openapi.json by ``jlpm generate:api``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a source tree without installing

from pydantic import BaseModel  # noqa: E402
from pydantic.json_schema import models_json_schema

from mlworkbench.schemas import ErrorResponse
from mlworkbench.server.routes import API, ROUTES

OUT = ROOT / "openapi.json"


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel]) -> dict:
    return {"application/json": {"schema": _ref(model)}}


def build() -> dict:
    """The OpenAPI 3.1 document as a dict."""
    models: set[type[BaseModel]] = {ErrorResponse}
    paths: dict[str, dict] = {}
    for route in ROUTES:
        item: dict[str, dict] = {}
        params = [
            {"name": part[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
            for part in route.path.split("/")
            if part.startswith("{")
        ]
        for verb, ep in sorted(route.handler.endpoints.items()):
            op: dict = {
                "summary": ep.summary,
                "operationId": f"{verb}_{route.handler.__name__.removesuffix('Handler')}",
                "security": [{"jupyterToken": []}],
            }
            query = [
                {"name": name, "in": "query", "required": False, "description": desc,
                 "schema": {"type": "string"}}
                for name, desc in (ep.query or {}).items()
            ]
            if ep.query_model is not None:
                models.add(ep.query_model)
                query += [
                    {"name": name, "in": "query", "required": field.is_required(),
                     "description": field.description or "",
                     "schema": {"type": "string"}}
                    for name, field in ep.query_model.model_fields.items()
                ]
            if params or query:
                op["parameters"] = params + query
            if ep.request is not None:
                models.add(ep.request)
                op["requestBody"] = {"required": True, "content": _json(ep.request)}
            elif ep.upload:
                op["requestBody"] = {"required": True, "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}
            if ep.response is not None:
                models.add(ep.response)
                ok = {"description": "OK", "content": _json(ep.response)}
            elif ep.status == 204:
                ok = {"description": "No content"}
            else:
                ok = {"description": "OK", "content": {ep.content_type: {"schema": {
                    "type": "string", "format": "binary"}}}}
            op["responses"] = {
                str(ep.status): ok,
                "4XX": {"description": "What went wrong and how to fix it",
                        "content": _json(ErrorResponse)},
                "403": {"description": "No valid Jupyter token"},
            }
            item[verb] = op
        paths[API + route.path] = item
    _, defs = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    version = json.loads((ROOT / "package.json").read_text())["version"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mlworkbench REST API",
            "version": version,
            "description": "Served by the mlworkbench jupyter-server extension. Every route "
            "needs the Jupyter token (Authorization: token <token>).",
        },
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "jupyterToken": {"type": "apiKey", "in": "header", "name": "Authorization"}
            },
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if openapi.json is stale")
    args = parser.parse_args()
    text = json.dumps(build(), indent=2, sort_keys=False) + "\n"
    if args.check:
        if not OUT.exists() or OUT.read_text() != text:
            print("openapi.json is stale: run `make api` and commit the result.", file=sys.stderr)
            return 1
        print("openapi.json is up to date")
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
