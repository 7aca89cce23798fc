"""Fixtures for the event and webhook tests. Deliveries are tested on a database of their own
(made by the migrations once per test process), so that a worker here only ever meets the
endpoints these tests made, all of them receivers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.config import Settings
from rolodex.db.engine import create_db_engine
from rolodex.db.migrate import upgrade
from rolodex.domain import events
from rolodex.runtime import Runtime
from rolodex.webhooks.worker import Worker
from tests.conftest import TEST_SECRET_KEY, Api, empty_database, new_account

# Retries come fast in these tests: a tenth of a second, then a fifth, then give up.
SCHEDULE = (0.1, 0.2)
ACTOR = events.Actor("native", "api_key", "req-1")


@pytest.fixture(scope="session")
def hooks_settings(
    db_kind: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    with empty_database(db_kind, tmp_path_factory.mktemp("hooks"), "hooks") as url:
        engine = create_db_engine(url)
        upgrade(engine)
        engine.dispose()
        yield Settings(
            database_url=url,
            secret_key=TEST_SECRET_KEY,
            webhook_allow_private=True,
            webhook_retry_schedule=SCHEDULE,
            webhook_timeout_seconds=2.0,
            webhook_concurrency=4,
        )


@pytest.fixture(scope="session")
def hooks_runtime(hooks_settings: Settings) -> Iterator[Runtime]:
    runtime = Runtime(hooks_settings)
    yield runtime
    runtime.dispose()


@pytest.fixture(scope="session")
def hooks_http(hooks_runtime: Runtime) -> TestClient:
    return TestClient(create_app(runtime=hooks_runtime), raise_server_exceptions=False)


@pytest.fixture
def hook_api(hooks_runtime: Runtime, hooks_http: TestClient) -> Iterator[Api]:
    """An account on the webhook tests' database. Its endpoints are deleted afterwards, so
    no later test's worker sends to this test's receivers."""
    api = Api(hooks_http, new_account(hooks_runtime, "Hooks"))
    yield api
    listed = api.get("/v1/webhook_endpoints?limit=100").json()["data"]
    for endpoint in listed:
        api.delete(f"/v1/webhook_endpoints/{endpoint['id']}")


def worker(settings: Settings, runtime: Runtime, **changes: Any) -> Worker:
    return Worker(runtime.engine, replace(settings, **changes) if changes else settings)


def make_endpoint(api: Api, url: str, **fields: Any) -> dict[str, Any]:
    response = api.post("/v1/webhook_endpoints", json={"url": url, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def record(
    runtime: Runtime,
    account_id: int,
    news: list[events.NewEvent],
    actor: events.Actor = ACTOR,
) -> list[int]:
    """Append events as a write would (recording from the doors is wired separately)."""
    return runtime.run_sync(lambda s: events.append(s, account_id, actor, news), write=True)


def client_event(client_id: int, kind: str = "updated", **data: Any) -> events.NewEvent:
    return events.NewEvent(
        f"client.{kind}",
        "client",
        client_id,
        client_id,
        {"id": client_id, "object": "client", **data},
        {"name": "Before"} if kind == "updated" else None,
    )
