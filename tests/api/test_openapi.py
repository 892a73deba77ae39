"""The OpenAPI document is a tested artefact, and its docs UI works offline."""

from __future__ import annotations

import re

from api.app import create_app


async def test_every_operation_is_documented(client):
    spec = (await client.get("/schema/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]
    assert operations
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids))
    for path, method, op in operations:
        assert op.get("summary") and op.get("description"), (method, path)
        assert op.get("tags"), (method, path)
        for code, response in op["responses"].items():
            if code.startswith(("4", "5")) and (path, code) != ("/ready", "503"):  # readiness says what is missing
                assert "application/problem+json" in response["content"], (method, path, code)


async def test_docs_ui_loads_no_external_assets(client):
    html = (await client.get("/schema")).text
    external = [u for u in re.findall(r'(?:src|href)="([^"]+)"', html) if not u.startswith("/")]
    assert external == []
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        response = await client.get(asset)
        smallest = 100 if asset.endswith(".ico") else 500  # our favicon is one 32×32 PNG in an ICO
        assert response.status_code == 200 and len(response.content) > smallest, asset


def test_schema_builds_without_a_database(settings):
    assert "/v1/areas" in create_app(settings).openapi_schema.paths
