"""The OpenAPI document and the interactive docs page."""

from __future__ import annotations

from starlette.testclient import TestClient

from rolodex.doors.native.routes import ROUTES


def test_openapi_lists_every_route_with_its_schemas(http: TestClient) -> None:
    response = http.get("/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    for route in ROUTES:
        operation = doc["paths"][f"/v1{route.path}"][route.method.lower()]
        assert str(route.status) in operation["responses"]
        for ref in _refs(operation):
            assert ref.removeprefix("#/components/schemas/") in doc["components"]["schemas"]
    client_create = doc["components"]["schemas"]["ClientCreate"]
    assert client_create["required"] == ["name"]
    assert client_create["properties"]["name"]["maxLength"] == 200
    country = doc["components"]["schemas"]["AddressCreate"]["properties"]["country"]
    assert country["maxLength"] == 2


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        for value in node.values():
            found += _refs(value)
        return found
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def test_docs_page_loads_its_assets_locally(http: TestClient) -> None:
    page = http.get("/v1/docs")
    assert page.status_code == 200
    assert 'data-spec="/v1/openapi.json"' in page.text
    bundle = http.get("/docs/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert 'PACKAGE_VERSION:"5.' in bundle.text  # Swagger UI 5 renders OpenAPI 3.1; 4.x cannot
    assert http.get("/docs/static/swagger-ui/swagger-ui.css").status_code == 200
    assert http.get("/docs/static/rolodex-docs.js").status_code == 200
