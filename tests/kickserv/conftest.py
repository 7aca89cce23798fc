"""A Kickserv client for one account: every call carries `Basic base64(token:token)` and goes
under the account's base URL, /kickserv/{slug}."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.runtime import Runtime
from tests.conftest import Api, new_account

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def basic(user: str, password: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


@dataclass
class Kickserv:
    http: TestClient
    credentials: dict[str, Any]

    @property
    def slug(self) -> str:
        return str(self.credentials["slug"])

    @property
    def token(self) -> str:
        return str(self.credentials["kickserv"]["token"])

    @property
    def base(self) -> str:
        return f"/kickserv/{self.slug}"

    @property
    def native(self) -> Api:
        """The same account through the native API."""
        return Api(self.http, self.credentials)

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        headers = {**basic(self.token, self.token), **kw.pop("headers", {})}
        return self.http.request(method, self.base + path, headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self._call("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self._call("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self._call("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self._call("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self._call("DELETE", path, **kw)

    def ok(self, response: Any) -> Any:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        return response.json()

    def create_customer(self, **fields: Any) -> dict[str, Any]:
        fields.setdefault("name", "Clarence")
        return dict(self.ok(self.post("/customers.json", json={"customer": fields})))

    def create_job(self, number: int, **fields: Any) -> dict[str, Any]:
        fields.setdefault("job_type_id", 61)
        response = self.post(f"/customers/{number}/jobs.json", json={"job": fields})
        return dict(self.ok(response))


@pytest.fixture
def ks(runtime: Runtime, http: TestClient) -> Kickserv:
    return Kickserv(http, new_account(runtime, "Kickserv Account"))


@pytest.fixture
def other_ks(runtime: Runtime, http: TestClient) -> Kickserv:
    return Kickserv(http, new_account(runtime, "Other Kickserv Account"))


def errors_of(response: Any, status: int) -> dict[str, list[str]]:
    """The Rails-style error body, after checking its status and exact shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors"}, body
    errors = body["errors"]
    assert isinstance(errors, dict) and errors, body
    assert all(isinstance(v, list) and v for v in errors.values()), body
    return dict(errors)
