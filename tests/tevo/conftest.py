"""Fixtures for the Ticket Evolution door: a client that signs every request with the
account's tevo token and secret, and the native API on the same account."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from rolodex.runtime import Runtime
from tests.conftest import Api, new_account
from tests.tevo.signing import signature, sorted_query, string_to_sign

HOST = "testserver"
BASE = "/tevo/v9"


@dataclass
class Tevo:
    """Signs like the SDKs: the query sorted by key (and sent that way), the raw JSON body."""

    http: TestClient
    credentials: dict[str, Any]

    @property
    def token(self) -> str:
        return str(self.credentials["tevo"]["token"])

    @property
    def secret(self) -> str:
        return str(self.credentials["tevo"]["secret"])

    @property
    def office_id(self) -> int:
        return int(self.credentials["tevo"]["office_id"])

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | list[tuple[str, Any]] | None = None,
        json_body: Any = None,
        content: bytes | str | None = None,
        headers: dict[str, str | None] | None = None,
        secret: str | None = None,
    ) -> Any:
        """`headers` adds to or overrides the signed JSON request's; a None value drops one."""
        # The path as it goes on the wire (percent-encoded), which is what an SDK signs.
        full = quote(BASE + path, safe="/:@!$&'()*+,;=-._~%")
        query = (
            sorted_query(
                [(k, str(v)) for k, v in (params.items() if isinstance(params, dict) else params)]
            )
            if params
            else ""
        )
        body: bytes | None
        if content is not None:
            body = content.encode() if isinstance(content, str) else content
        elif json_body is not None:
            body = json.dumps(json_body).encode()
        else:
            body = None
        signed = string_to_sign(method, HOST, full, query, body)
        given: dict[str, str | None] = {
            "X-Token": self.token,
            "X-Signature": signature(secret or self.secret, signed),
            "Content-Type": "application/json",
            **(headers or {}),
        }
        sent = {name: value for name, value in given.items() if value is not None}
        url = full + (f"?{query}" if query else "")
        return self.http.request(method, url, content=body, headers=sent)

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("POST", path, json_body=body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("PUT", path, json_body=body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.request("DELETE", path, **kw)

    def create_client(self, **fields: Any) -> dict[str, Any]:
        fields.setdefault("name", "Ned Flanders")
        response = self.post("/clients", {"clients": [fields]})
        assert response.status_code == 201, response.text
        return dict(response.json()["clients"][0])


@pytest.fixture
def account(runtime: Runtime) -> dict[str, Any]:
    return new_account(runtime, "Tevo POS Test")


@pytest.fixture
def tevo(http: TestClient, account: dict[str, Any]) -> Tevo:
    return Tevo(http, account)


@pytest.fixture
def native(http: TestClient, account: dict[str, Any]) -> Api:
    """The native API on the same account as `tevo`."""
    return Api(http, account)


@pytest.fixture
def other_tevo(runtime: Runtime, http: TestClient) -> Tevo:
    return Tevo(http, new_account(runtime, "Other Brokerage"))
