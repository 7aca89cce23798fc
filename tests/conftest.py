"""Test fixtures. Every test runs on a database built by the Alembic migrations: SQLite by
default, PostgreSQL with --db=postgres. Each test works in accounts of its own, which is what
isolates tests from each other (no query ever crosses accounts)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.config import Settings
from rolodex.db.engine import create_db_engine
from rolodex.db.migrate import upgrade
from rolodex.domain import accounts
from rolodex.runtime import Runtime

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
TEST_SECRET_KEY = "the tests' key, which encrypts webhook secrets"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="database engine to run the suite on",
    )


@pytest.fixture(scope="session")
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


def _postgres_base() -> str:
    return os.environ.get("ROLODEX_TEST_POSTGRES_URL", DEFAULT_PG)


def _postgres_available(url: str) -> str | None:
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return None
    except Exception as exc:  # the reason is printed, whatever it is
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        engine.dispose()


@contextmanager
def empty_database(db_kind: str, directory: Path, prefix: str) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file in `directory`, or a new PostgreSQL
    schema (selected through the connection's search_path) dropped afterwards."""
    if db_kind == "sqlite":
        yield f"sqlite:///{directory / f'{prefix}.db'}"
        return
    base = _postgres_base()
    problem = _postgres_available(base)
    if problem:
        message = f"PostgreSQL at {base} is not reachable ({problem})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; under CI it must be.", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {message}. Start it to run the PostgreSQL half.")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database built by the migrations, shared by this test process."""
    with empty_database(db_kind, tmp_path_factory.mktemp("db"), "t") as url:
        engine = create_db_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture
def fresh_url(db_kind: str, database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty, unmigrated database only this test uses."""
    with empty_database(db_kind, tmp_path, "fresh") as url:
        yield url


@pytest.fixture(scope="session")
def runtime(database_url: str) -> Iterator[Runtime]:
    # A secret key, so that webhook endpoints can be made on PostgreSQL too (SQLite would make
    # a key file beside the database without it).
    rt = Runtime(Settings(database_url=database_url, secret_key=TEST_SECRET_KEY))
    yield rt
    rt.dispose()


@pytest.fixture(scope="session")
def http(runtime: Runtime) -> TestClient:
    return TestClient(create_app(runtime=runtime), raise_server_exceptions=False)


@dataclass
class Api:
    """An HTTP client for one account: every call carries its bearer key."""

    http: TestClient
    credentials: dict[str, Any]

    @property
    def account_id(self) -> int:
        return int(self.credentials["id"])

    @property
    def key(self) -> str:
        return str(self.credentials["native"]["api_key"])

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **(headers or {})}

    def get(self, path: str, **kw: Any) -> Any:
        return self.http.get(path, headers=self._headers(kw.pop("headers", None)), **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.http.post(path, headers=self._headers(kw.pop("headers", None)), **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.http.patch(path, headers=self._headers(kw.pop("headers", None)), **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.http.delete(path, headers=self._headers(kw.pop("headers", None)), **kw)

    def create_client(self, **fields: Any) -> dict[str, Any]:
        fields.setdefault("name", "ACME Corp")
        response = self.post("/v1/clients", json=fields)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def all_clients(self, query: str = "") -> list[dict[str, Any]]:
        response = self.get(f"/v1/clients?limit=100{query}")
        assert response.status_code == 200, response.text
        assert response.json()["has_more"] is False
        return list(response.json()["data"])


def new_account(runtime: Runtime, name: str = "Test Account") -> dict[str, Any]:
    unique = f"{name} {uuid.uuid4().hex[:8]}"
    return runtime.run_sync(lambda s: accounts.create_account(s, unique).as_json(), write=True)


@pytest.fixture
def api(runtime: Runtime, http: TestClient) -> Api:
    return Api(http, new_account(runtime))


@pytest.fixture
def other_api(runtime: Runtime, http: TestClient) -> Api:
    return Api(http, new_account(runtime, "Other Account"))


def error_of(response: Any) -> dict[str, Any]:
    """The native error object, after checking the body has exactly the documented shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "field"} <= set(body["error"]), body
    return dict(body["error"])
