"""What a large `rolodex import` does beside everything else: on SQLite it sets the secondary
and search indexes aside and builds them after its rows, so these tests make every import
"large" and check that a failed one leaves no rows and every index in place, that one into a
database already holding another account's clients keeps them findable, and that readers
meanwhile see the book as it was, unblocked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, inspect, text
from starlette.testclient import TestClient

from rolodex import transfer
from rolodex.db.engine import create_db_engine
from rolodex.domain import batches
from rolodex.domain.batches import BatchResult, Importer, ImportRow
from tests.test_transfer import MOE, NED, account, get, jsonl, native_http, run

__all__ = ["account", "native_http"]  # fixtures shared with test_transfer

TABLES = ("clients", "addresses", "phone_numbers", "email_addresses", "notes", "client_tags")


@pytest.fixture(autouse=True)
def every_import_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan every import as a large one (the indexes set aside wherever the database allows),
    in batches of two rows, so a three-row file has a middle."""
    monkeypatch.setattr(transfer, "COUNT_MIN_BYTES", 0)
    monkeypatch.setattr(transfer, "BATCH_ROWS", 2)
    monkeypatch.setattr(batches, "REBUILD_MIN_ROWS", 0)


@pytest.fixture
def engine(fresh_url: str, account: dict[str, Any]) -> Iterator[Engine]:
    made = create_db_engine(fresh_url)
    yield made
    made.dispose()


def schema_of(engine: Engine) -> dict[str, Any]:
    """Every index (name, columns, uniqueness, condition) of the tables an import fills, and
    SQLite's triggers: what an import must leave as it found it."""
    found: dict[str, Any] = {}
    inspector = inspect(engine)
    for table in TABLES:
        found[table] = sorted(
            (
                i["name"],
                tuple(i["column_names"]),
                bool(i["unique"]),
                sorted((k, str(v)) for k, v in i.get("dialect_options", {}).items()),
            )
            for i in inspector.get_indexes(table)
        )
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            found["sql"] = conn.execute(
                text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            ).all()
    return found


def names(http: TestClient, key: str, query: str = "") -> list[str]:
    return [c["name"] for c in get(http, key, f"/v1/clients?limit=100{query}")["data"]]


def create(http: TestClient, key: str, name: str) -> dict[str, Any]:
    made = http.post("/v1/clients", json={"name": name}, headers={"Authorization": f"Bearer {key}"})
    assert made.status_code == 201, made.text
    return dict(made.json())


@pytest.mark.parametrize("failure", ["a bad row", "a crash in the second batch"])
def test_a_failed_large_import_leaves_no_rows_and_every_index_in_place(
    fresh_url: str,
    account: dict[str, Any],
    engine: Engine,
    tmp_path: Path,
    native_http: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
) -> None:
    before = schema_of(engine)
    source = tmp_path / "clients.jsonl"
    rows = [NED, MOE, {"name": "Homer Simpson"}]
    if failure == "a bad row":
        rows.append({"name": "Bad", "addresses": [{"country": "USA"}]})
    else:
        write = Importer.write

        def crash_on_second(self: Importer, batch: list[ImportRow]) -> BatchResult:
            if self.batches >= 1:
                raise RuntimeError("killed mid-import")
            return write(self, batch)

        monkeypatch.setattr(Importer, "write", crash_on_second)
    source.write_bytes(jsonl(*rows))
    if failure == "a bad row":
        result = run("import", str(source), "--account", "imp", "--database-url", fresh_url)
        assert result.exit_code == 1
        assert "Nothing was written" in result.stderr
    else:
        with pytest.raises(RuntimeError, match="killed mid-import"):
            run("import", str(source), "--account", "imp", "--database-url", fresh_url)
    assert schema_of(engine) == before
    key = account["native"]["api_key"]
    assert names(native_http, key) == []
    # The search index and its triggers work as before: a client made now is found by q.
    create(native_http, key, "Maude Flanders")
    assert names(native_http, key, "&q=flanders") == ["Maude Flanders"]


@pytest.mark.parametrize("workers", ["0", "1"])
def test_a_large_import_beside_another_accounts_clients_keeps_both_findable(
    fresh_url: str,
    account: dict[str, Any],
    engine: Engine,
    tmp_path: Path,
    native_http: TestClient,
    workers: str,
) -> None:
    made = run(
        "accounts", "create", "Other", "--slug", "other", "--json", "--database-url", fresh_url
    )
    other = orjson.loads(made.stdout)["native"]["api_key"]
    for name in ("Lisa Simpson", "Bart Simpson", "Edna Krabappel"):
        create(native_http, other, name)
    before = schema_of(engine)
    source = tmp_path / "clients.jsonl"
    source.write_bytes(
        jsonl(NED, MOE, {"name": "Homer Simpson", "external_id": "h", "tags": ["vip"]})
    )
    result = run(
        "import", str(source), "--account", "imp", "--workers", workers, "--database-url", fresh_url
    )
    assert result.exit_code == 0, result.output
    assert "3 rows read, 3 clients created" in result.stderr
    assert schema_of(engine) == before
    key = account["native"]["api_key"]
    assert names(native_http, key, "&sort=name") == ["Homer Simpson", "Moe Szyslak", "Ned Flanders"]
    assert names(native_http, key, "&q=simpson") == ["Homer Simpson"]
    assert names(native_http, key, "&q=555-0123") == ["Ned Flanders"]
    assert names(native_http, key, "&tag=vip") == ["Ned Flanders", "Homer Simpson"]
    assert names(native_http, other, "&q=simpson") == ["Lisa Simpson", "Bart Simpson"]
    assert names(native_http, other, "&sort=-name") == [
        "Lisa Simpson",
        "Edna Krabappel",
        "Bart Simpson",
    ]
    # Again: nothing created twice, and the clients a second import finds stay as they were.
    again = run("import", str(source), "--account", "imp", "--database-url", fresh_url)
    assert "3 rows read, 0 clients created, 3 already there" in again.stderr
    assert schema_of(engine) == before


def test_readers_during_a_large_import_see_the_book_as_it_was_unblocked(
    fresh_url: str,
    account: dict[str, Any],
    tmp_path: Path,
    native_http: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = account["native"]["api_key"]
    create(native_http, key, "Maude Flanders")
    seen: list[dict[str, list[str]]] = []
    write = Importer.write

    def write_then_read(self: Importer, batch: list[ImportRow]) -> BatchResult:
        result = write(self, batch)
        # Between two batches, with the import's transaction open (on SQLite its indexes
        # set aside), another connection reads through the API.
        seen.append(
            {
                "all": names(native_http, key),
                "q": names(native_http, key, "&q=flanders"),
                "by name": names(native_http, key, "&sort=name"),
            }
        )
        return result

    monkeypatch.setattr(Importer, "write", write_then_read)
    source = tmp_path / "clients.jsonl"
    source.write_bytes(jsonl(NED, MOE, {"name": "Rod Flanders"}))
    result = run("import", str(source), "--account", "imp", "--database-url", fresh_url)
    assert result.exit_code == 0, result.output
    as_it_was = {"all": ["Maude Flanders"], "q": ["Maude Flanders"], "by name": ["Maude Flanders"]}
    assert seen == [as_it_was, as_it_was]
    assert names(native_http, key, "&q=flanders") == [
        "Maude Flanders",
        "Ned Flanders",
        "Rod Flanders",
    ]
