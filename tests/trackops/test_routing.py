"""Everything under /trackops answers in Trackops' shape: unknown paths, wrong methods,
trailing slashes."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.trackops.conftest import BASE, Trackops


@pytest.mark.parametrize(
    "path",
    [
        "/trackops/nope",
        f"{BASE}/cases",
        f"{BASE}/clients/abc",
        f"{BASE}/client/locations/1/contacts",
        "/trackops/api/v2/clients",
    ],
)
def test_unknown_paths_are_a_json_404(http: TestClient, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 404
    assert response.json() == {"message": f"No route for {path}."}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/clients/1", "GET, HEAD"),
        ("DELETE", "/clients/1", "GET, HEAD"),
        ("PATCH", "/clients", "GET, HEAD, POST"),
        ("POST", "/client/locations/1", "GET, HEAD"),
        ("DELETE", "/client/contacts", "GET, HEAD, POST"),
    ],
)
def test_undocumented_methods_are_405(
    trackops: Trackops, method: str, path: str, allow: str
) -> None:
    response = trackops.http.request(method, BASE + path, auth=trackops.auth)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"message": f"{method} is not allowed on {BASE}{path}."}


def test_a_trailing_slash_is_the_same_path(trackops: Trackops) -> None:
    client = trackops.create_client()
    assert trackops.ok("/clients/") == trackops.ok("/clients")
    assert trackops.ok(f"/clients/{client['id']}/") == client
    response = trackops.post(
        "/client/locations/",
        {"location": {"root_id": client["id"], "name": "B", "state": "CO", "country": "US"}},
    )
    assert response.status_code == 201


def test_head_is_answered_as_get(trackops: Trackops) -> None:
    response = trackops.http.head(BASE + "/clients", auth=trackops.auth)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
