"""GET/POST /trackops/api/v1/client/locations and GET /client/locations/{id} (the singular
`client` is Trackops' own): one primary location per client, the documented filters, numbered
pages, validation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from rolodex.models import Location
from rolodex.runtime import Runtime
from tests.trackops.conftest import BASE, LOCATION, TIMESTAMP, Trackops, assert_errors, set_times


def primary_ids(trackops: Trackops, client_id: int) -> list[int]:
    return [
        loc["id"]
        for loc in trackops.ok(f"/client/locations?parent={client_id}")
        if loc["is_primary"]
    ]


def test_create_a_location_for_a_client(trackops: Trackops) -> None:
    client = trackops.create_client()
    body = {
        "root_id": client["id"],
        "name": "Branch Office",
        "email_invoice": "branch@example.com",
        "address_1": "9 Side St",
        "address_2": None,
        "address_3": "Unit 4",
        "city": "Boulder",
        "state": "CO",
        "zip": 80301,
        "country": "US",
        "phone_primary": "303-555-0100",
        "phone_secondary": "303-555-0101",
        "phone_fax": "303-555-0102",
        "policies_case": "pc",
        "policies_invoice": "pi",
        "policies_update": "pu",
        "notes": "n",
    }
    response = trackops.post("/client/locations", {"location": body})
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"{BASE}/client/locations/{created['id']}"
    assert created == {
        "id": created["id"],
        "root_id": client["id"],
        "is_primary": False,
        **{k: v for k, v in body.items() if k != "root_id"},
        "zip": "80301",
        "created": created["created"],
        "updated": created["updated"],
    }
    assert TIMESTAMP.match(created["created"]) and TIMESTAMP.match(created["updated"])
    assert trackops.ok(f"/client/locations/{created['id']}") == created
    # The client keeps its primary location.
    assert trackops.ok(f"/clients/{client['id']}")["primary_location"] == client["primary_location"]


@pytest.mark.parametrize("wrapper", ["location", "client_location", None])
def test_the_body_may_be_wrapped_or_bare(trackops: Trackops, wrapper: str | None) -> None:
    client = trackops.create_client()
    fields = {"root_id": str(client["id"]), **LOCATION, "name": "Wrapped"}
    response = trackops.post("/client/locations", {wrapper: fields} if wrapper else fields)
    assert response.status_code == 201, response.text
    assert (response.json()["root_id"], response.json()["name"]) == (client["id"], "Wrapped")


def test_one_primary_location_per_client(trackops: Trackops) -> None:
    client = trackops.create_client()
    first = client["primary_location"]["id"]
    assert primary_ids(trackops, client["id"]) == [first]

    second = trackops.create_location(client["id"], name="New HQ", is_primary=True)
    assert second["is_primary"] is True
    assert primary_ids(trackops, client["id"]) == [second["id"]]
    assert trackops.ok(f"/client/locations/{first}")["is_primary"] is False
    assert trackops.ok(f"/clients/{client['id']}")["primary_location"] == second

    third = trackops.create_location(client["id"], name="Annex", is_primary=False)
    assert third["is_primary"] is False
    assert primary_ids(trackops, client["id"]) == [second["id"]]


def test_a_client_without_a_primary_location_gets_one(trackops: Trackops) -> None:
    """A client created through another door may have no location; its first Trackops
    location becomes its primary one, unless the body says otherwise."""
    bare = trackops.native.create_client(name="No Location Yet")
    assert trackops.ok(f"/clients/{bare['id']}")["primary_location"] is None
    created = trackops.create_location(bare["id"], name="First")
    assert created["is_primary"] is True
    assert trackops.ok(f"/clients/{bare['id']}")["primary_location"] == created

    other = trackops.native.create_client(name="Not Primary")
    created = trackops.create_location(other["id"], name="Secondary", is_primary="0")
    assert created["is_primary"] is False
    assert trackops.ok(f"/clients/{other['id']}")["primary_location"] is None


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"name": "X", "state": "CO", "country": "US"}, ["root_id"]),
        ({"root_id": None, "name": "X", "state": "CO", "country": "US"}, ["root_id"]),
        ({"root_id": "abc", "name": "X", "state": "CO", "country": "US"}, ["root_id"]),
        ({"root_id": 999999999, "name": "X", "state": "CO", "country": "US"}, ["root_id"]),
        ({"root_id": "CLIENT", "state": "CO", "country": "US"}, ["name"]),
        ({"root_id": "CLIENT", "name": "X", "state": "COL", "country": "US"}, ["state"]),
        ({"root_id": "CLIENT", "name": "X", "country": "US"}, ["state"]),
        ({"root_id": "CLIENT", "name": "X", "state": "CO"}, ["country"]),
        ({"root_id": "CLIENT", "name": "X", "state": "CO", "country": "USA"}, ["country"]),
        ({"root_id": "CLIENT", **LOCATION, "email_invoice": "nope"}, ["email_invoice"]),
        ({"root_id": "CLIENT", **LOCATION, "is_primary": "perhaps"}, ["is_primary"]),
        (
            {"state": "Colorado", "email_invoice": "x"},
            ["root_id", "name", "state", "country", "email_invoice"],
        ),
    ],
)
def test_validation_failures_are_422_naming_each_field_and_write_nothing(
    trackops: Trackops, fields: dict[str, Any], errors: list[str]
) -> None:
    client = trackops.create_client()
    if fields.get("root_id") == "CLIENT":
        fields = {**fields, "root_id": client["id"]}
    response = trackops.post("/client/locations", {"location": fields})
    assert_errors(response, 422, *errors)
    assert trackops.ok("/client/locations?mode=count")["record_count"] == 1
    assert trackops.ok(f"/clients/{client['id']}") == client


def test_unknown_location_is_a_json_404(trackops: Trackops) -> None:
    response = trackops.get("/client/locations/999999999")
    assert response.status_code == 404
    assert response.json() == {"message": "No location with id 999999999."}


def test_fields_trackops_has_and_rolodex_does_not_come_back_unchanged(trackops: Trackops) -> None:
    client = trackops.create_client()
    created = trackops.create_location(client["id"], county="Boulder", hours={"mon": "9-5"})
    assert (created["county"], created["hours"]) == ("Boulder", {"mon": "9-5"})
    assert trackops.ok(f"/client/locations/{created['id']}") == created
    assert trackops.ok(f"/client/locations?id={created['id']}") == [created]


# --- lists ---------------------------------------------------------------------------------------


@pytest.fixture
def book(trackops: Trackops, runtime: Runtime) -> dict[str, dict[str, Any]]:
    acme = trackops.create_client(
        "ACME", salesperson_id=1, primary_location={**LOCATION, "name": "Acme HQ"}
    )
    bolt = trackops.create_client(
        "Bolt", salesperson_id=2, primary_location={**LOCATION, "name": "Bolt HQ"}
    )
    made = {
        "acme_hq": acme["primary_location"],
        "bolt_hq": bolt["primary_location"],
        "acme_east": trackops.create_location(acme["id"], name="East"),
        "bolt_east": trackops.create_location(bolt["id"], name="East"),
    }
    times = {
        "acme_hq": datetime(2024, 1, 1, tzinfo=UTC),
        "bolt_hq": datetime(2024, 2, 1, 10, 0, 0, tzinfo=UTC),
        "acme_east": datetime(2024, 3, 1, tzinfo=UTC),
        "bolt_east": datetime(2024, 4, 1, tzinfo=UTC),
    }
    for key, when in times.items():
        set_times(runtime, Location, made[key]["id"], when, when.replace(year=2025))
    out = {key: trackops.ok(f"/client/locations/{loc['id']}") for key, loc in made.items()}
    out["acme"], out["bolt"] = acme, bolt
    return out


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["acme_hq", "bolt_hq", "acme_east", "bolt_east"]),
        ("name=East", ["acme_east", "bolt_east"]),
        ("name=Acme%20HQ", ["acme_hq"]),
        ("parent=ACME", ["acme_hq", "acme_east"]),
        ("parent=BOLT&name=East", ["bolt_east"]),
        ("salesperson=2", ["bolt_hq", "bolt_east"]),
        ("salesperson=3", []),
        ("created_from=2024-02-01 10:00:00", ["bolt_hq", "acme_east", "bolt_east"]),
        ("created_to=2024-02-01", ["acme_hq", "bolt_hq"]),
        ("created_to=2024-02-01T09:59:59Z", ["acme_hq"]),
        ("updated_from=2025-03-01&updated_to=2025-03-31", ["acme_east"]),
        ("dir=desc&per_page=3", ["bolt_east", "acme_east", "bolt_hq"]),
        ("per_page=3&page=2", ["bolt_east"]),
    ],
)
def test_filters_and_pages(
    trackops: Trackops, book: dict[str, Any], query: str, expected: list[str]
) -> None:
    query = query.replace("ACME", str(book["acme"]["id"])).replace("BOLT", str(book["bolt"]["id"]))
    assert trackops.ok(f"/client/locations?{query}") == [book[k] for k in expected]


def test_id_filter_and_count(trackops: Trackops, book: dict[str, Any]) -> None:
    east = book["acme_east"]["id"]
    assert trackops.ids(f"/client/locations?id={east}") == [east]
    assert trackops.ok("/client/locations?mode=count&per_page=3") == {
        "record_count": 4,
        "page_count": 2,
    }
    assert trackops.ok(f"/client/locations?mode=count&parent={book['bolt']['id']}") == {
        "record_count": 2,
        "page_count": 1,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("parent=x", "parent"),
        ("id=", None),
        ("salesperson=1.0", "salesperson"),
        ("created_from=01/02/2024", "created_from"),
        ("per_page=1000", "per_page"),
        ("dir=sideways", "dir"),
    ],
)
def test_bad_list_parameters_are_400(trackops: Trackops, query: str, field: str | None) -> None:
    response = trackops.get(f"/client/locations?{query}")
    if field is None:  # an empty value is no filter at all
        assert response.status_code == 200
    else:
        assert_errors(response, 400, field)
