"""Fixtures for the Trackops door: an HTTP client that authenticates the way Trackops' SDK does
(HTTP Basic, `{username}/token` and the API token), for its own account."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.runtime import Runtime
from tests.conftest import Api, new_account

BASE = "/trackops/api/v1"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
LOCATION = {"name": "Main Location", "state": "CO", "country": "US"}


@dataclass
class Trackops:
    http: TestClient
    credentials: dict[str, Any]

    @property
    def auth(self) -> tuple[str, str]:
        return (
            f"{self.credentials['trackops']['username']}/token",
            self.credentials["trackops"]["token"],
        )

    @property
    def native(self) -> Api:
        """The same account through the native API."""
        return Api(self.http, self.credentials)

    def get(self, path: str, **kw: Any) -> Any:
        return self.http.get(BASE + path, auth=self.auth, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> Any:
        return self.http.post(BASE + path, json=body, auth=self.auth, **kw)

    def ok(self, path: str, **kw: Any) -> Any:
        response = self.get(path, **kw)
        assert response.status_code == 200, response.text
        return response.json()

    def ids(self, path: str) -> list[int]:
        return [record["id"] for record in self.ok(path)]

    def create_client(self, name: str = "ACME Client", **fields: Any) -> dict[str, Any]:
        location = fields.pop("primary_location", LOCATION)
        response = self.post(
            "/clients", {"client": {"name": name, **fields, "primary_location": location}}
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def create_location(self, root_id: int, **fields: Any) -> dict[str, Any]:
        response = self.post(
            "/client/locations", {"location": {"root_id": root_id, **LOCATION, **fields}}
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def create_contact(self, location_id: int, **fields: Any) -> dict[str, Any]:
        body = {"client_id": location_id, "role_id": 1, "last_name": "Doe", **fields}
        response = self.post("/client/contacts", {"contact": body})
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture
def trackops(runtime: Runtime, http: TestClient) -> Trackops:
    return Trackops(http, new_account(runtime, "Trackops Account"))


@pytest.fixture
def other_trackops(runtime: Runtime, http: TestClient) -> Trackops:
    return Trackops(http, new_account(runtime, "Other Trackops Account"))


def set_times(
    runtime: Runtime, model: Any, ident: int, created: datetime, updated: datetime | None = None
) -> None:
    """Give a record the creation and update times a test needs (setup, not an API call)."""

    def write(session: Any) -> None:
        record = session.get(model, ident)
        record.created_at = created
        record.updated_at = updated or created
        session.flush()

    runtime.run_sync(write, write=True)


def assert_errors(response: Any, status: int, *fields: str) -> dict[str, list[str]]:
    """The Trackops error body, after checking its status and shape: `message`, and `errors`
    naming exactly `fields`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"message", "errors"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert sorted(body["errors"]) == sorted(fields), body
    for messages in body["errors"].values():
        assert messages and all(isinstance(m, str) and m for m in messages)
    return dict(body["errors"])
