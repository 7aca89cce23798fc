"""A write that cannot get SQLite's one write lock in time (another process holds it: a large
import, say) is refused with a 503 and Retry-After in the door's own shape, and writes nothing;
once the lock is free the same request lands. (PostgreSQL writers wait on row locks, with no
busy timeout: the case does not arise there.)"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.config import Settings
from rolodex.db.migrate import upgrade
from rolodex.runtime import Runtime
from tests.conftest import Api, new_account
from tests.tevo.conftest import Tevo


@pytest.fixture
def busy_runtime(db_kind: str, fresh_url: str) -> Iterator[Runtime]:
    if db_kind != "sqlite":
        pytest.skip("PostgreSQL writers wait on row locks; no busy timeout refuses them")
    runtime = Runtime(Settings(database_url=fresh_url, sqlite_busy_timeout_ms=300))
    upgrade(runtime.engine)
    yield runtime
    runtime.dispose()


def _hold_the_write_lock(url: str) -> sqlite3.Connection:
    other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_write_refused_for_a_busy_database_is_a_503_in_each_doors_shape(
    busy_runtime: Runtime, fresh_url: str
) -> None:
    http = TestClient(create_app(runtime=busy_runtime), raise_server_exceptions=False)
    credentials = new_account(busy_runtime, "Busy")
    native, tevo = Api(http, credentials), Tevo(http, credentials)
    holder = _hold_the_write_lock(fresh_url)
    try:
        started = time.monotonic()
        refused = native.post("/v1/clients", json={"name": "Waits"})
        assert time.monotonic() - started < 5
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "5"
        error: dict[str, Any] = refused.json()["error"]
        assert error["code"] == "busy" and "nothing was written" in error["message"]
        vendor = tevo.post("/clients", {"clients": [{"name": "Waits too"}]})
        assert vendor.status_code == 503, vendor.text
        assert set(vendor.json()) == {"error"}
        assert vendor.headers["retry-after"] == "5"
        # Reads go on meanwhile.
        assert native.get("/v1/clients").status_code == 200
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert native.all_clients() == []
    assert native.post("/v1/clients", json={"name": "Lands"}).status_code == 201
    assert [c["name"] for c in native.all_clients()] == ["Lands"]
