"""GET/POST /trackops/api/v1/clients and GET /clients/{id}: the seed's example replayed
verbatim, every documented filter, numbered pages and count mode, and validation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rolodex.models import Client
from rolodex.runtime import Runtime
from tests.trackops.conftest import BASE, LOCATION, TIMESTAMP, Trackops, assert_errors, set_times

# The seed's "Example New Client Request", byte for byte as the seed prints it.
SEED_EXAMPLE = """{
"client": {
"name": "ACME Client",
"website": "https://example.com",
"policies_case": "No subject contact on cases for this client.",
"policies_invoice": "Cannot bill more than 20 miles per day.",
"policies_update": "Do not include PII in case updates.",
"has_invoice_reminders": true,
"show_location_on_invoice": true,
"notes": "VIP client",
"primary_location": {
"name": "Main Location",
"email_invoice": "billing@example.com",
"phone_primary": "555-555-5555",
"phone_secondary": "555-555-5555",
"phone_fax": "555-555-5555",
"address_1": "123 Main Street",
"address_2": "STE 123",
"city": "Denver",
"state": "CO",
"zip": 80202,
"country": "US"
}
}
}"""
# The Trackops seed document this door is built to, carried with the tests (a copy of
# ../shared/seeds/000_*.txt, checked against it where that folder is beside the checkout).
SEED_FILE = Path(__file__).resolve().parent / "data" / "seed_clients_api.txt"
SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_a2a37744fb702cc4.txt"

EXPECTED_CLIENT = {
    "name": "ACME Client",
    "account_code": None,
    "website": "https://example.com",
    "email_invoice": None,
    "policies_case": "No subject contact on cases for this client.",
    "policies_invoice": "Cannot bill more than 20 miles per day.",
    "policies_update": "Do not include PII in case updates.",
    "notes": "VIP client",
    "has_invoice_reminders": True,
    "show_location_on_invoice": True,
    "salesperson_id": None,
    "case_manager_id": None,
}
EXPECTED_LOCATION = {
    "is_primary": True,
    "name": "Main Location",
    "email_invoice": "billing@example.com",
    "address_1": "123 Main Street",
    "address_2": "STE 123",
    "address_3": None,
    "city": "Denver",
    "state": "CO",
    "zip": "80202",
    "country": "US",
    "phone_primary": "555-555-5555",
    "phone_secondary": "555-555-5555",
    "phone_fax": "555-555-5555",
    "policies_case": None,
    "policies_invoice": None,
    "policies_update": None,
    "notes": None,
}


def post_seed_example(trackops: Trackops) -> Any:
    return trackops.http.post(
        BASE + "/clients",
        content=SEED_EXAMPLE.encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        auth=trackops.auth,
    )


def test_the_embedded_example_is_the_seeds_own() -> None:
    assert SEED_EXAMPLE in SEED_FILE.read_text()
    if SHARED_SEED.exists():
        assert SEED_FILE.read_text() == SHARED_SEED.read_text()


def test_the_seed_example_creates_the_client_and_its_primary_location(
    trackops: Trackops,
) -> None:
    response = post_seed_example(trackops)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    client_id = body["id"]
    assert isinstance(client_id, int)
    assert response.headers["location"] == f"{BASE}/clients/{client_id}"

    location = body["primary_location"]
    assert isinstance(location["id"], int)
    assert list(body) == [
        "id",
        *EXPECTED_CLIENT,
        "created",
        "updated",
        "primary_location",
    ]
    assert body == {
        "id": client_id,
        **EXPECTED_CLIENT,
        "created": body["created"],
        "updated": body["updated"],
        "primary_location": {
            "id": location["id"],
            "root_id": client_id,
            **EXPECTED_LOCATION,
            "created": location["created"],
            "updated": location["updated"],
        },
    }
    for value in (body["created"], body["updated"], location["created"], location["updated"]):
        assert TIMESTAMP.match(value), value
    # Times are UTC: what was just created was created within the last minute, in UTC.
    created = datetime.strptime(body["created"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60

    # Reading it back gives the same object, alone and in the list.
    assert trackops.ok(f"/clients/{client_id}") == body
    assert trackops.ok("/clients") == [body]
    assert trackops.ok(f"/client/locations/{location['id']}") == location


def test_the_seed_example_twice_makes_two_clients(trackops: Trackops) -> None:
    first, second = post_seed_example(trackops).json(), post_seed_example(trackops).json()
    assert first["id"] != second["id"]
    assert first["primary_location"]["id"] != second["primary_location"]["id"]
    assert trackops.ok("/clients?mode=count") == {"record_count": 2, "page_count": 1}


def test_unknown_client_is_a_json_404(trackops: Trackops) -> None:
    for path in ("/clients/999999999", "/clients/99999999999999999999"):
        response = trackops.get(path)
        assert response.status_code == 404, response.text
        assert response.json() == {"message": f"No client with id {path.rsplit('/', 1)[1]}."}


def test_every_field_round_trips(trackops: Trackops) -> None:
    body = {
        "name": "Full Client",
        "account_code": "FC-1",
        "website": "http://full.example/path",
        "email_invoice": "billing@full.example",
        "policies_case": "case",
        "policies_invoice": "invoice",
        "policies_update": "update",
        "notes": "notes",
        "has_invoice_reminders": False,
        "show_location_on_invoice": True,
        "salesperson_id": 12,
        "case_manager_id": 34,
    }
    location = {
        "name": "HQ",
        "email_invoice": "ap@full.example",
        "address_1": "1 A St",
        "address_2": "Floor 2",
        "address_3": "Rear",
        "city": "Toronto",
        "state": "ON",
        "zip": "M5V 2T6",
        "country": "CA",
        "phone_primary": "416-555-0100",
        "phone_secondary": "416-555-0101",
        "phone_fax": "416-555-0102",
        "policies_case": "lcase",
        "policies_invoice": "linvoice",
        "policies_update": "lupdate",
        "notes": "lnotes",
    }
    created = trackops.create_client(
        primary_location=location,
        **{k: v for k, v in body.items() if k != "name"},
        name=body["name"],
    )
    assert {k: created[k] for k in body} == body
    assert {k: created["primary_location"][k] for k in location} == location
    assert created["primary_location"]["is_primary"] is True


def test_php_style_values_are_read_as_the_field_needs(trackops: Trackops) -> None:
    created = trackops.create_client(
        has_invoice_reminders="1",
        show_location_on_invoice=0,
        salesperson_id="7",
        account_code=1234,
        primary_location={
            **LOCATION,
            "zip": 80202,
            "state": "co",
            "country": "us",
            "phone_primary": 5555550100,
        },
    )
    assert created["has_invoice_reminders"] is True
    assert created["show_location_on_invoice"] is False
    assert created["salesperson_id"] == 7
    assert created["account_code"] == "1234"
    location = created["primary_location"]
    assert (location["zip"], location["state"], location["country"], location["phone_primary"]) == (
        "80202",
        "CO",
        "US",
        "5555550100",
    )


def test_fields_trackops_has_and_rolodex_does_not_come_back_unchanged(
    trackops: Trackops,
) -> None:
    created = trackops.create_client(
        custom_fields=[{"id": 1, "value": "x"}],
        primary_location={**LOCATION, "county": "Denver County"},
    )
    assert created["custom_fields"] == [{"id": 1, "value": "x"}]
    assert created["primary_location"]["county"] == "Denver County"
    assert trackops.ok(f"/clients/{created['id']}") == created
    assert trackops.ok("/clients") == [created]
    # They never replace a real field, and what the body says is read-only is ignored.
    again = trackops.create_client(
        name="Second", id=1, created="1999-01-01 00:00:00", primary_location=LOCATION
    )
    assert again["id"] != 1 and again["created"] != "1999-01-01 00:00:00"
    assert "custom_fields" not in again


# --- validation ---------------------------------------------------------------------------------


def client_count(trackops: Trackops) -> int:
    count = trackops.ok("/clients?mode=count")["record_count"]
    assert len(trackops.native.all_clients()) == count
    return int(count)


@pytest.mark.parametrize(
    ("client", "fields"),
    [
        ({"primary_location": LOCATION}, ["name"]),
        ({"name": "   ", "primary_location": LOCATION}, ["name"]),
        ({"name": "No Location"}, ["primary_location"]),
        ({"name": "Null Location", "primary_location": None}, ["primary_location"]),
        ({"name": "X", "primary_location": "Main"}, ["primary_location"]),
        (
            {"name": "X", "primary_location": {**LOCATION, "state": "COL"}},
            ["primary_location.state"],
        ),
        ({"name": "X", "primary_location": {**LOCATION, "state": "C"}}, ["primary_location.state"]),
        (
            {"name": "X", "primary_location": {"name": "M", "country": "US"}},
            ["primary_location.state"],
        ),
        (
            {"name": "X", "primary_location": {**LOCATION, "country": "USA"}},
            ["primary_location.country"],
        ),
        (
            {"name": "X", "primary_location": {"name": "M", "state": "CO"}},
            ["primary_location.country"],
        ),
        (
            {"name": "X", "primary_location": {"state": "CO", "country": "US"}},
            ["primary_location.name"],
        ),
        (
            {"name": "X", "primary_location": {**LOCATION, "email_invoice": "billing"}},
            ["primary_location.email_invoice"],
        ),
        (
            {"name": "X", "email_invoice": "not an email", "primary_location": LOCATION},
            ["email_invoice"],
        ),
        ({"name": "X", "website": "example.com", "primary_location": LOCATION}, ["website"]),
        (
            {"name": "X", "has_invoice_reminders": "maybe", "primary_location": LOCATION},
            ["has_invoice_reminders"],
        ),
        (
            {"name": "X", "salesperson_id": "seven", "primary_location": LOCATION},
            ["salesperson_id"],
        ),
        ({"name": "X" * 201, "primary_location": LOCATION}, ["name"]),
        (
            {
                "email_invoice": "x",
                "primary_location": {"state": "COL", "country": "USA", "email_invoice": "y"},
            },
            [
                "name",
                "email_invoice",
                "primary_location.name",
                "primary_location.state",
                "primary_location.country",
                "primary_location.email_invoice",
            ],
        ),
    ],
)
def test_validation_failures_are_422_naming_each_field_and_write_nothing(
    trackops: Trackops, client: dict[str, Any], fields: list[str]
) -> None:
    trackops.create_client(name="Existing")
    before = client_count(trackops)
    response = trackops.post("/clients", {"client": client})
    assert_errors(response, 422, *fields)
    assert client_count(trackops) == before
    assert len(trackops.ok("/client/locations")) == before


def test_error_messages_say_what_is_wrong(trackops: Trackops) -> None:
    response = trackops.post(
        "/clients",
        {"client": {"primary_location": {**LOCATION, "state": "COL", "email_invoice": "x"}}},
    )
    errors = assert_errors(
        response, 422, "name", "primary_location.state", "primary_location.email_invoice"
    )
    assert errors == {
        "name": ["is required"],
        "primary_location.state": ["must be a 2-character state or province code"],
        "primary_location.email_invoice": ["must be an email address"],
    }
    assert response.json()["message"] == "Validation failed: name is required."


def test_the_body_must_be_nested_under_client(trackops: Trackops) -> None:
    response = trackops.post("/clients", {"name": "Bare", "primary_location": LOCATION})
    assert_errors(response, 422, "client")
    response = trackops.post("/clients", {"client": ["Bare"]})
    assert_errors(response, 422, "client")
    assert client_count(trackops) == 0


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]", b'"client"'])
def test_an_unreadable_body_is_400(trackops: Trackops, content: bytes) -> None:
    response = trackops.http.post(
        BASE + "/clients",
        content=content,
        headers={"Content-Type": "application/json"},
        auth=trackops.auth,
    )
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"message"}
    assert client_count(trackops) == 0


# --- lists ---------------------------------------------------------------------------------------


@pytest.fixture
def book(trackops: Trackops, runtime: Runtime) -> dict[str, dict[str, Any]]:
    """Four clients with known fields and times (UTC)."""
    made = {
        "acme": trackops.create_client(
            "ACME Client", account_code="A-1", salesperson_id=1, case_manager_id=10
        ),
        "bolt": trackops.create_client(
            "Bolt Ltd", account_code="B-2", salesperson_id=2, case_manager_id=10
        ),
        "core": trackops.create_client(
            "Core Inc", account_code="A-1", salesperson_id=1, case_manager_id=20
        ),
        "dyna": trackops.create_client("Dyna Co", salesperson_id=3),
    }
    times = {
        "acme": (datetime(2024, 1, 10, 8, 0, tzinfo=UTC), datetime(2024, 4, 1, 9, 0, tzinfo=UTC)),
        "bolt": (
            datetime(2024, 2, 15, 12, 30, 45, 250000, tzinfo=UTC),
            datetime(2024, 2, 15, 12, 30, 45, 250000, tzinfo=UTC),
        ),
        "core": (datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 20, 18, 0, tzinfo=UTC)),
        "dyna": (datetime(2024, 3, 31, 23, 59, 59, tzinfo=UTC), datetime(2024, 5, 1, tzinfo=UTC)),
    }
    for key, (created, updated) in times.items():
        set_times(runtime, Client, made[key]["id"], created, updated)
    return {key: trackops.ok(f"/clients/{c['id']}") for key, c in made.items()}


def names(trackops: Trackops, query: str) -> list[str]:
    return [c["name"] for c in trackops.ok(f"/clients?{query}")]


def test_list_is_a_bare_array_of_client_objects(trackops: Trackops, book: dict[str, Any]) -> None:
    listed = trackops.ok("/clients")
    assert isinstance(listed, list)
    assert listed == [book[k] for k in ("acme", "bolt", "core", "dyna")]
    assert all(c["primary_location"]["is_primary"] for c in listed)


def test_times_are_rendered_in_utc(trackops: Trackops, book: dict[str, Any]) -> None:
    assert (book["bolt"]["created"], book["bolt"]["updated"]) == (
        "2024-02-15 12:30:45",
        "2024-02-15 12:30:45",
    )
    assert (book["dyna"]["created"], book["dyna"]["updated"]) == (
        "2024-03-31 23:59:59",
        "2024-05-01 00:00:00",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=Bolt%20Ltd", ["Bolt Ltd"]),
        ("name=bolt", []),
        ("account_code=A-1", ["ACME Client", "Core Inc"]),
        ("salesperson=1", ["ACME Client", "Core Inc"]),
        ("salesperson=3", ["Dyna Co"]),
        ("case_manager=10", ["ACME Client", "Bolt Ltd"]),
        ("case_manager=10&salesperson=2", ["Bolt Ltd"]),
        ("salesperson=99", []),
        ("name=", ["ACME Client", "Bolt Ltd", "Core Inc", "Dyna Co"]),
        ("expand_field_values=1&unknown=2", ["ACME Client", "Bolt Ltd", "Core Inc", "Dyna Co"]),
    ],
)
def test_filters(trackops: Trackops, book: dict[str, Any], query: str, expected: list[str]) -> None:
    assert names(trackops, query) == expected
    count = trackops.ok(f"/clients?{query}&mode=count")
    assert count == {"record_count": len(expected), "page_count": 1 if expected else 0}


def test_id_filter(trackops: Trackops, book: dict[str, Any]) -> None:
    assert names(trackops, f"id={book['core']['id']}") == ["Core Inc"]
    assert names(trackops, f"id={book['core']['id']}&name=Bolt%20Ltd") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A date alone: from its first moment, to its last.
        ("created_from=2024-02-15", ["bolt", "core", "dyna"]),
        ("created_to=2024-02-15", ["acme", "bolt"]),
        ("created_from=2024-02-15&created_to=2024-03-01", ["bolt", "core"]),
        # "YYYY-MM-DD HH:MM:SS", to the second (the form the API renders).
        ("created_from=2024-02-15 12:30:45", ["bolt", "core", "dyna"]),
        ("created_from=2024-02-15 12:30:46", ["core", "dyna"]),
        ("created_to=2024-02-15 12:30:45", ["acme", "bolt"]),
        ("created_to=2024-02-15 12:30:44", ["acme"]),
        ("created_to=2024-03-31 23:59:59", ["acme", "bolt", "core", "dyna"]),
        # ISO 8601, with fractions and offsets.
        ("created_to=2024-02-15T12:30:45.100Z", ["acme"]),
        ("created_to=2024-02-15T12:30:45.25Z", ["acme", "bolt"]),
        ("created_from=2024-02-15T13:30:45%2B01:00", ["bolt", "core", "dyna"]),
        ("created_from=2024-02-15T07:30:46-05:00", ["core", "dyna"]),
        ("created_from=2024-02-15T12:30Z", ["bolt", "core", "dyna"]),
        ("created_to=2024-03-31T23:59", ["acme", "bolt", "core", "dyna"]),
        ("created_to=2024-03-31T23", ["acme", "bolt", "core", "dyna"]),
        ("created_to=2024-03-31T22", ["acme", "bolt", "core"]),
        ("updated_from=2024-03-20 18:00:00", ["acme", "core", "dyna"]),
        ("updated_to=2024-03-20T18:00:00Z", ["bolt", "core"]),
        ("updated_from=2024-04-01&updated_to=2024-04-30", ["acme"]),
        ("created_from=2024-01-01&updated_to=2024-03-31&salesperson=1", ["core"]),
    ],
)
def test_time_filters_are_utc_and_inclusive(
    trackops: Trackops, book: dict[str, Any], query: str, expected: list[str]
) -> None:
    assert trackops.ids(f"/clients?{query}") == [book[k]["id"] for k in expected]
    assert trackops.ok(f"/clients?{query}&mode=count")["record_count"] == len(expected)


def test_a_rendered_time_sent_back_finds_its_record(
    trackops: Trackops, book: dict[str, Any]
) -> None:
    bolt = book["bolt"]
    query = f"created_from={bolt['created']}&created_to={bolt['created']}"
    assert trackops.ids(f"/clients?{query}") == [bolt["id"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("id=abc", "id"),
        ("id=1.5", "id"),
        ("salesperson=x", "salesperson"),
        ("salesperson=99999999999", "salesperson"),
        ("case_manager=-", "case_manager"),
        ("created_from=yesterday", "created_from"),
        ("created_to=2024-13-01", "created_to"),
        ("updated_from=2024-02-30", "updated_from"),
        ("updated_to=2024-01-01T25:00:00", "updated_to"),
        ("page=0", "page"),
        ("page=two", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("dir=up", "dir"),
        ("mode=sum", "mode"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(
    trackops: Trackops, query: str, field: str
) -> None:
    assert_errors(trackops.get(f"/clients?{query}"), 400, field)


def test_pages(trackops: Trackops) -> None:
    ids = [trackops.native.create_client(name=f"Client {i}")["id"] for i in range(7)]
    assert trackops.ids("/clients?per_page=3") == ids[:3]
    assert trackops.ids("/clients?per_page=3&page=2") == ids[3:6]
    assert trackops.ids("/clients?per_page=3&page=3") == ids[6:]
    assert trackops.ids("/clients?per_page=3&page=4") == []
    assert trackops.ids("/clients?per_page=3&dir=desc") == ids[::-1][:3]
    assert trackops.ids("/clients?per_page=3&page=3&dir=DESC") == ids[:1]
    assert trackops.ids("/clients?dir=asc") == ids
    assert trackops.ok("/clients?mode=count&per_page=3") == {"record_count": 7, "page_count": 3}
    assert trackops.ok("/clients?mode=count&per_page=7") == {"record_count": 7, "page_count": 1}
    assert trackops.ok("/clients?mode=count") == {"record_count": 7, "page_count": 1}
    # Filters apply before paging.
    assert trackops.ids("/clients?per_page=1&page=1&name=Client%205") == [ids[5]]


def test_the_default_page_is_25_and_100_is_the_largest(trackops: Trackops) -> None:
    ids = [trackops.native.create_client(name=f"Client {i}")["id"] for i in range(26)]
    assert trackops.ids("/clients") == ids[:25]
    assert trackops.ids("/clients?page=2") == ids[25:]
    assert trackops.ids("/clients?per_page=100") == ids
    assert trackops.ok("/clients?mode=count") == {"record_count": 26, "page_count": 2}


def test_the_sdk_export_loop_reads_everything_once(trackops: Trackops) -> None:
    """The SDK's example: count, then page until a page is shorter than per_page."""
    ids = [trackops.native.create_client(name=f"Client {i}")["id"] for i in range(5)]
    params = {"dir": "asc", "per_page": 2, "page": 1}
    counts = trackops.ok("/clients", params={**params, "mode": "count"})
    seen: list[int] = []
    pages = 0
    while True:
        records = trackops.ok("/clients", params=params)
        pages += 1
        seen += [r["id"] for r in records]
        if len(records) < params["per_page"]:
            break
        params["page"] += 1
    assert seen == ids
    assert counts == {"record_count": 5, "page_count": pages}
