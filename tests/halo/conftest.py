"""Fixtures for the HaloPSA door: an account's Halo client, holding a bearer token obtained
through the OAuth2 client credentials flow, as a Halo client library would."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.runtime import Runtime
from tests.conftest import Api, new_account

BASE = "/halo/api"


def token_for(
    http: Any, credentials: dict[str, Any], scope: str = "all", path: str = "/halo/auth/token"
) -> str:
    """A Halo access token for the account (client credentials), from `http` (a TestClient
    or an httpx client with a base URL) at the token endpoint's `path`."""
    halo = credentials["halo"]
    response = http.post(
        f"{path}?tenant={halo['tenant']}",
        data={
            "grant_type": "client_credentials",
            "client_id": halo["client_id"],
            "client_secret": halo["client_secret"],
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@dataclass
class Halo:
    """An account seen through the HaloPSA door: every call carries its bearer token."""

    http: TestClient
    credentials: dict[str, Any]
    token: str = ""
    native: Api = field(init=False)

    def __post_init__(self) -> None:
        if not self.token:
            self.token = token_for(self.http, self.credentials)
        self.native = Api(self.http, self.credentials)

    @property
    def account_id(self) -> int:
        return int(self.credentials["id"])

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path: str, **kw: Any) -> Any:
        return self.http.get(BASE + path, headers=self._headers(kw.pop("headers", None)), **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.http.post(BASE + path, headers=self._headers(kw.pop("headers", None)), **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.http.delete(BASE + path, headers=self._headers(kw.pop("headers", None)), **kw)

    def create_client(self, **fields: Any) -> dict[str, Any]:
        fields.setdefault("name", "ACME Corp")
        response = self.post("/Client", json=[fields])
        assert response.status_code == 201, response.text
        return dict(response.json())

    def create_site(self, client_id: int, **fields: Any) -> dict[str, Any]:
        fields.setdefault("name", "Main")
        response = self.post("/Site", json=[{"client_id": client_id, **fields}])
        assert response.status_code == 201, response.text
        return dict(response.json())

    def clients(self, query: str = "") -> dict[str, Any]:
        response = self.get(f"/Client{query}")
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def halo(runtime: Runtime, http: TestClient) -> Halo:
    return Halo(http, new_account(runtime, "Halo Account"))


@pytest.fixture
def other_halo(runtime: Runtime, http: TestClient) -> Halo:
    return Halo(http, new_account(runtime, "Other Halo Account"))


def halo_error(response: Any) -> dict[str, Any]:
    """The door's error body, after checking it has exactly the documented shape."""
    body = response.json()
    assert set(body) - {"details"} == {"error", "error_description", "field"}, body
    assert isinstance(body["error"], str) and body["error_description"], body
    return dict(body)
