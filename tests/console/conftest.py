"""Fixtures for the web console's HTTP tests: a browser-like client per account (its own
cookies), signed in through the sign-in form with the account's API key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.runtime import Runtime
from tests.conftest import Api, new_account

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


@dataclass
class Browser:
    """One visitor: a cookie jar of its own, and the CSRF token of the last page it read."""

    http: TestClient
    credentials: dict[str, Any]
    csrf: str = ""

    @property
    def api(self) -> Api:
        return Api(self.http, self.credentials)

    def get(self, path: str, **kw: Any) -> Any:
        response = self.http.get(path, follow_redirects=False, **kw)
        if "text/html" in response.headers.get("content-type", ""):
            found = CSRF.search(response.text)
            if found:
                self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        if not self.csrf:
            self.get("/sign-in")
        body = {"csrf": self.csrf, **(data or {})}
        return self.http.post(path, data=body, follow_redirects=False, **kw)

    def sign_in(self) -> Any:
        self.get("/sign-in")
        response = self.post("/sign-in", {"api_key": self.credentials["native"]["api_key"]})
        assert response.status_code == 303, response.text
        self.get("/clients")
        return response


@pytest.fixture(scope="session")
def console_app(runtime: Runtime) -> Starlette:
    return create_app(runtime=runtime)


def browser_for(app: Starlette, credentials: dict[str, Any]) -> Iterator[Browser]:
    # Not entered as a context manager: its lifespan's end would dispose the shared runtime.
    yield Browser(TestClient(app, raise_server_exceptions=False), credentials)


@pytest.fixture
def visitor(console_app: Starlette, runtime: Runtime) -> Iterator[Browser]:
    """A visitor to the console, not signed in, whose account exists."""
    yield from browser_for(console_app, new_account(runtime, "Console Co"))


@pytest.fixture
def user(visitor: Browser) -> Browser:
    """A visitor signed in with its account's API key."""
    visitor.sign_in()
    return visitor


@pytest.fixture
def other_user(console_app: Starlette, runtime: Runtime) -> Iterator[Browser]:
    for browser in browser_for(console_app, new_account(runtime, "Other Console Co")):
        browser.sign_in()
        yield browser
