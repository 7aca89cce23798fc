"""`rolodex import` and `rolodex export`, run as a user runs them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.cli import main
from rolodex.config import Settings
from rolodex.runtime import Runtime
from rolodex.transfer import CSV_COLUMNS

NED = {
    "name": "Ned Flanders",
    "external_id": "crm-1",
    "kind": "person",
    "first_name": "Ned",
    "last_name": "Flanders",
    "tags": ["vip", "church"],
    "balance": "12.50",
    "custom_fields": {"tier": "gold"},
    "company": "The Leftorium",
    "addresses": [
        {
            "label": "home",
            "line1": "742 Evergreen Terrace",
            "city": "Springfield",
            "region": "OR",
            "postal_code": "97475",
            "country": "us",
            "is_primary": True,
        }
    ],
    "phone_numbers": [{"label": "cell", "number": "541-555-0123", "is_primary": True}],
    "email_addresses": [{"address": "ned@example.com", "is_primary": True}],
    "notes": [{"body": "Left handed", "author": "Homer"}],
}
MOE = {"name": "Moe Szyslak", "account_code": "MOE-1"}


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def jsonl(*records: dict[str, Any]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


@pytest.fixture
def account(fresh_url: str) -> dict[str, Any]:
    result = run(
        "accounts", "create", "Importer", "--slug", "imp", "--json", "--database-url", fresh_url
    )
    assert result.exit_code == 0, result.output
    return dict(orjson.loads(result.stdout))


@pytest.fixture
def native_http(fresh_url: str) -> Iterator[TestClient]:
    """The HTTP API on the test's database, for checking what an import wrote."""
    with TestClient(create_app(runtime=Runtime(Settings(database_url=fresh_url)))) as http:
        yield http


def get(http: TestClient, key: str, path: str) -> Any:
    response = http.get(path, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("workers", ["0", "1"])
def test_jsonl_import_shows_through_the_api_and_reruns_create_nothing(
    fresh_url: str,
    account: dict[str, Any],
    tmp_path: Path,
    native_http: TestClient,
    workers: str,
) -> None:
    source = tmp_path / "clients.jsonl"
    source.write_bytes(jsonl(NED, MOE))
    first = run(
        "import", str(source), "--account", "imp", "--workers", workers, "--database-url", fresh_url
    )
    assert first.exit_code == 0, first.output
    assert "2 rows read, 2 clients created, 0 already there, 0 invalid" in first.stderr
    again = run(
        "import", str(source), "--account", "imp", "--workers", workers, "--database-url", fresh_url
    )
    assert "2 rows read, 0 clients created, 2 already there" in again.stderr

    key = account["native"]["api_key"]
    clients = get(native_http, key, "/v1/clients?limit=100")["data"]
    assert [c["name"] for c in clients] == ["Ned Flanders", "Moe Szyslak"]
    ned = clients[0]
    assert ned["tags"] == ["church", "vip"]
    assert ned["balance"] == "12.50"
    assert ned["addresses"][0]["country"] == "US"
    assert ned["phone_numbers"][0]["number"] == "541-555-0123"
    assert ned["email_addresses"][0]["address"] == "ned@example.com"
    notes = get(native_http, key, f"/v1/clients/{ned['id']}/notes")["data"]
    assert [(n["body"], n["author"]) for n in notes] == [("Left handed", "Homer")]
    company = get(native_http, key, f"/v1/companies/{ned['company_id']}")
    assert company["name"] == "The Leftorium"
    assert get(native_http, key, "/v1/clients?q=555-0123")["data"][0]["id"] == ned["id"]
    # A client created afterwards through the API gets the next number.
    made = native_http.post(
        "/v1/clients", json={"name": "Homer"}, headers={"Authorization": f"Bearer {key}"}
    )
    assert made.json()["number"] == 3
    # ... and search still follows clients created after an import.
    assert [c["name"] for c in get(native_http, key, "/v1/clients?q=homer")["data"]] == ["Homer"]


@pytest.mark.parametrize("workers", ["0", "1"])
def test_a_bad_row_stops_the_import_and_writes_nothing(
    fresh_url: str,
    account: dict[str, Any],
    tmp_path: Path,
    native_http: TestClient,
    workers: str,
) -> None:
    bad = {"name": "Bad", "addresses": [{"country": "USA"}]}
    source = tmp_path / "clients.jsonl"
    source.write_bytes(jsonl(NED, MOE, bad, {"name": "After"}))
    result = run(
        "import", str(source), "--account", "imp", "--workers", workers, "--database-url", fresh_url
    )
    assert result.exit_code == 1
    assert "line 3: country: must be a 2-letter ISO 3166-1 country code" in result.stderr
    assert "Nothing was written" in result.stderr
    key = account["native"]["api_key"]
    assert get(native_http, key, "/v1/clients")["data"] == []
    made = native_http.post(
        "/v1/clients", json={"name": "After Flanders"}, headers={"Authorization": f"Bearer {key}"}
    )
    assert made.status_code == 201
    found = get(native_http, key, "/v1/clients?q=flanders")["data"]
    assert [c["name"] for c in found] == ["After Flanders"]


@pytest.mark.parametrize("workers", ["0", "1"])
def test_skip_invalid_reports_each_bad_row_and_imports_the_rest(
    fresh_url: str,
    account: dict[str, Any],
    tmp_path: Path,
    native_http: TestClient,
    workers: str,
) -> None:
    source = tmp_path / "clients.jsonl"
    source.write_bytes(
        jsonl(NED, {"name": ""}) + b"{not json\n" + jsonl({"name": "Ok", "inactive": "yes"}, MOE)
    )
    result = run(
        "import",
        str(source),
        "--account",
        "imp",
        "--skip-invalid",
        "--workers",
        workers,
        "--database-url",
        fresh_url,
    )
    assert result.exit_code == 0, result.output
    assert "line 2: name: must not be blank" in result.stderr
    assert "line 3: not valid JSON" in result.stderr
    assert "line 4: inactive: must be true or false" in result.stderr
    assert "5 rows read, 2 clients created, 0 already there, 3 invalid" in result.stderr
    names = [
        c["name"] for c in get(native_http, account["native"]["api_key"], "/v1/clients")["data"]
    ]
    assert names == ["Ned Flanders", "Moe Szyslak"]


def test_csv_import_and_export_use_the_documented_columns(
    fresh_url: str, account: dict[str, Any]
) -> None:
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(
        [
            "name",
            "external_id",
            "tags",
            "inactive",
            "balance",
            "address_line1",
            "address_city",
            "address_country",
            "phone",
            "email",
        ]
    )
    writer.writerow(
        [
            "Ned Flanders",
            "n1",
            "vip|church",
            "false",
            "1.10",
            "742 Evergreen Terrace",
            "Springfield",
            "us",
            "541-555-0123",
            "ned@example.com",
        ]
    )
    writer.writerow(["Moe Szyslak", "m1", "", "true", "", "", "", "", "", ""])
    result = run(
        "import",
        "-",
        "--format",
        "csv",
        "--account",
        "imp",
        "--database-url",
        fresh_url,
        input=rows.getvalue().encode(),
    )
    assert result.exit_code == 0, result.output
    assert "2 clients created" in result.stderr

    exported = run("export", "--account", "imp", "--format", "csv", "--database-url", fresh_url)
    assert exported.exit_code == 0, exported.output
    parsed = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert tuple(parsed[0]) == CSV_COLUMNS
    assert parsed[0]["name"] == "Ned Flanders"
    assert parsed[0]["tags"] == "church|vip"
    assert parsed[0]["address_country"] == "US"
    assert parsed[0]["phone"] == "541-555-0123"
    assert parsed[0]["balance"] == "1.10"
    assert parsed[1]["inactive"] == "true"
    assert "2 clients exported" in exported.stderr


def test_an_unknown_csv_column_is_refused(fresh_url: str, account: dict[str, Any]) -> None:
    result = run(
        "import",
        "-",
        "--format",
        "csv",
        "--account",
        "imp",
        "--database-url",
        fresh_url,
        input=b"name,colour\nNed,red\n",
    )
    assert result.exit_code == 1
    assert "colour: is not a known column" in result.stderr


def _comparable(line: bytes) -> dict[str, Any]:
    record = orjson.loads(line)
    for key in ("id", "number", "office_id", "company_id", "created_at", "updated_at"):
        record.pop(key)
    for key in ("addresses", "phone_numbers", "email_addresses"):
        for item in record[key]:
            for drop in ("id", "client_id", "created_at", "updated_at"):
                item.pop(drop)
    return dict(record)


def test_a_jsonl_export_imported_elsewhere_exports_the_same(
    fresh_url: str, account: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "clients.jsonl"
    source.write_bytes(jsonl(NED, MOE, {"name": "Homer Simpson", "inactive": True}))
    assert (
        run("import", str(source), "--account", "imp", "--database-url", fresh_url).exit_code == 0
    )
    first = tmp_path / "first.jsonl"
    assert (
        run(
            "export", "--account", "imp", "--out", str(first), "--database-url", fresh_url
        ).exit_code
        == 0
    )
    assert (
        run("accounts", "create", "Copy", "--slug", "copy", "--database-url", fresh_url).exit_code
        == 0
    )
    assert (
        run("import", str(first), "--account", "copy", "--database-url", fresh_url).exit_code == 0
    )
    second = run("export", "--account", "copy", "--database-url", fresh_url).stdout.encode()
    before = [_comparable(line) for line in first.read_bytes().splitlines()]
    after = [_comparable(line) for line in second.splitlines()]
    assert len(before) == 3
    assert after == before
    assert before[0]["notes"] == [{"body": "Left handed", "author": "Homer"}]
    assert before[0]["company"] == "The Leftorium"


def test_unknown_account_is_a_clear_error(fresh_url: str, account: dict[str, Any]) -> None:
    result = run("export", "--account", "nobody", "--database-url", fresh_url)
    assert result.exit_code == 1
    assert "No account with id nobody" in result.stderr
