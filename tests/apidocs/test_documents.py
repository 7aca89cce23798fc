"""Every door's OpenAPI document: valid OpenAPI 3.1, served with its docs page, and listing
exactly the routes its door's table serves."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from rolodex.apidocs.builder import UndocumentedRoute
from rolodex.apidocs.pages import DOORS, Door


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.name)
def test_each_door_serves_a_valid_openapi_31_document(http: TestClient, door: Door) -> None:
    response = http.get(door.spec_url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    doc = response.json()
    assert doc["openapi"] == "3.1.0"
    validate(doc)
    for ref in _refs(doc):
        name = ref.removeprefix("#/components/schemas/")
        assert name in doc["components"]["schemas"], ref


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.name)
def test_each_door_has_a_docs_page_on_the_shipped_swagger_ui(http: TestClient, door: Door) -> None:
    page = http.get(door.page_url)
    assert page.status_code == 200
    assert f'data-spec="{door.spec_url}"' in page.text
    assert "/docs/static/swagger-ui/swagger-ui-bundle.js" in page.text
    for other in DOORS:
        assert f'href="{other.page_url}"' in page.text


def test_the_docs_index_links_every_door(http: TestClient) -> None:
    page = http.get("/docs")
    assert page.status_code == 200
    for door in DOORS:
        assert f'href="{door.page_url}"' in page.text
        assert f'href="{door.spec_url}"' in page.text


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def _with_extra_route(door: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Add a route to a door's table as its OpenAPI module sees it; return how it is named."""
    module = importlib.import_module(f"rolodex.doors.{door}.openapi")
    if door == "tevo":
        table = module.table
        handler = table()[0][2]
        monkeypatch.setattr(module, "table", lambda: [*table(), ("GET", "/v9/offices", handler)])
        return "GET /v9/offices"
    _path, first_methods = module.TABLE[0]
    extra = {"trackops": "/client/notes", "halo": "/api/agent", "kickserv": "/items.json"}[door]
    monkeypatch.setattr(module, "TABLE", (*module.TABLE, (extra, dict(first_methods))))
    method = next(iter(first_methods))
    return f"{method} {'/api/v1' if door == 'trackops' else ''}{extra}"


@pytest.mark.parametrize("door", ["trackops", "tevo", "halo", "kickserv"])
def test_a_route_in_a_doors_table_without_documentation_fails_the_build(
    door: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = _with_extra_route(door, monkeypatch)
    build = next(d.build for d in DOORS if d.name == door)
    with pytest.raises(UndocumentedRoute, match=re.escape(named)):
        build()
